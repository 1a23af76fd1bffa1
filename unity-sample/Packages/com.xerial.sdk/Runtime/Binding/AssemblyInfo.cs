// The raw C layer (Xerial.Native) and the JSON reader (Xerial.Json) are internal: games use the
// typed API only. The binding's tests (bindings/csharp/tests, assembly XerialTests) see them.
using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("XerialTests")]
