// A host HTTP transport written in C# (abi.md §10): the game's own HTTP stack (UnityWebRequest,
// a console's, a test's) performs the SDK's requests, and everything above it — deadlines,
// retries, the never-retry rule for purchases, refresh, error mapping — stays the SDK's.
//
// With a managed transport the SDK runs inside Poll() (XERIAL_RUN_IN_POLL): it starts no thread,
// and Send and Cancel are called only inside Poll() and Shutdown(), on the polling thread — no
// native thread ever enters the managed runtime (which would keep Mono from unloading a domain).
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using AOT;
using Xerial.Internal;
using Xerial.Native;

namespace Xerial
{
    /// <summary>One HTTP request the SDK asks the transport to perform.</summary>
    public sealed class XerialHttpRequest
    {
        /// <summary>Names this request in XerialHttp.Complete / XerialHttp.Fail.</summary>
        public ulong Handle;
        /// <summary>"GET", "POST", …</summary>
        public string Method;
        /// <summary>Absolute URL.</summary>
        public string Url;
        /// <summary>Headers to send (Authorization, Content-Type).</summary>
        public KeyValuePair<string, string>[] Headers;
        /// <summary>The body; empty when none.</summary>
        public byte[] Body;
        /// <summary>What is left of the call's deadline. The SDK keeps the deadline itself (and
        /// cancels the request when it passes): a timer of the transport must not be shorter.</summary>
        public int TimeoutMs;
    }

    /// <summary>
    /// A host HTTP transport: set an instance as XerialSettings.HttpTransport. Send starts the
    /// request and returns at once; the transport then answers its handle exactly once, with
    /// XerialHttp.Complete (the response as received, redirects not followed) or XerialHttp.Fail.
    /// Send and Cancel run on the thread that calls XerialSdk.Poll (Unity: the main thread).
    /// Never send a request twice: a stack that repeats a request on a dead keep-alive
    /// connection must not do so for anything but GET.
    /// </summary>
    public abstract class XerialHttpTransport
    {
        /// <summary>Starts <paramref name="request"/>; must not block.</summary>
        public abstract void Send(XerialHttpRequest request);

        /// <summary>The SDK stopped waiting for <paramref name="handle"/> (deadline, cancel,
        /// shutdown): stop the request if you can. Answers that still come are refused.</summary>
        public virtual void Cancel(ulong handle) { }
    }

    /// <summary>How a host transport answers the SDK. Any thread.</summary>
    public static class XerialHttp
    {
        private static readonly XerialHttpSendCallback SendCallback = OnSend;
        private static readonly XerialHttpCancelCallback CancelCallback = OnCancel;
        private static volatile XerialHttpTransport s_transport;
        private static IntPtr s_table;

        /// <summary>
        /// Answers <paramref name="handle"/> with the HTTP response received: its status, its
        /// headers (the SDK reads Retry-After) and its body. Returns Ok, or NotFound when the
        /// SDK no longer waits for the handle (it was answered, abandoned, or is unknown).
        /// </summary>
        public static XerialCode Complete(ulong handle, int status, IList<KeyValuePair<string, string>> headers, byte[] body)
        {
            int count = headers == null ? 0 : headers.Count;
            var native = new XerialHttpHeader[count];
            var blocks = new List<IntPtr>(count * 2);
            try
            {
                for (int i = 0; i < count; i++)
                {
                    native[i].name = Keep(blocks, Utf8.AllocHGlobal(headers[i].Key ?? ""));
                    native[i].value = Keep(blocks, Utf8.AllocHGlobal(headers[i].Value ?? ""));
                }
                int length = body == null ? 0 : body.Length;
                return (XerialCode)XerialNative.xerial_http_complete(handle, status, native, new UIntPtr((uint)count),
                    length == 0 ? null : body, new UIntPtr((uint)length));
            }
            finally
            {
                foreach (IntPtr block in blocks) Marshal.FreeHGlobal(block);
            }
        }

        /// <summary>
        /// Answers <paramref name="handle"/> with a failure (no HTTP response). Pass
        /// <paramref name="mayHaveBeenSent"/> false only when nothing left the device (no
        /// connection, DNS): the SDK may then send the request again. When you cannot tell, pass
        /// true: a purchase is then never repeated and its lost answer is OutcomeUnknown.
        /// </summary>
        public static XerialCode Fail(ulong handle, bool mayHaveBeenSent, string message)
        {
            int reason = mayHaveBeenSent ? XerialConstants.XERIAL_HTTP_MAYBE_SENT : XerialConstants.XERIAL_HTTP_NOT_SENT;
            byte[] text = Utf8.Z((message ?? "").Replace('\0', ' '), "message");
            return (XerialCode)XerialNative.xerial_http_fail(handle, reason, text);
        }

        /// <summary>
        /// Puts the transport into <paramref name="config"/>: a managed one runs in poll
        /// (XERIAL_RUN_IN_POLL); without one, a WebGL player uses the browser's fetch (the WebGL
        /// plugin's xerial_fetch.c), and every other platform the SDK's built-in transport.
        /// </summary>
        internal static void Configure(XerialHttpTransport transport, ref XerialConfig config)
        {
            if (transport != null)
            {
                if (config.dispatch != (uint)XerialDispatch.Poll)
                    throw new XerialException(XerialCode.InvalidArgument,
                        "a managed HttpTransport runs inside Poll(): use XerialDispatch.Poll");
                if ((XerialNative.xerial_abi_version() & 0xFFFF) < 2)
                    throw new XerialException(XerialCode.InvalidArgument,
                        "HttpTransport needs libxerial ABI 1.2 or later; the loaded library is older");
                config.transport = Install(transport);
                config.run_mode = XerialConstants.XERIAL_RUN_IN_POLL;
                return;
            }
#if UNITY_WEBGL && !UNITY_EDITOR
            config.transport = xerial_fetch_transport();
            config.run_mode = XerialConstants.XERIAL_RUN_IN_POLL;
#endif
        }

#if UNITY_WEBGL && !UNITY_EDITOR
        /// <summary>Plugins/WebGL/xerial_fetch.c: the browser's fetch as the transport.</summary>
        [DllImport("__Internal", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        private static extern IntPtr xerial_fetch_transport();
#endif

        /// <summary>The native XerialTransport table for <paramref name="transport"/> (one SDK
        /// per process, so one table; valid until Uninstall).</summary>
        private static IntPtr Install(XerialHttpTransport transport)
        {
            s_transport = transport;
            if (s_table == IntPtr.Zero)
            {
                var table = new XerialTransport
                {
                    struct_size = (uint)Marshal.SizeOf(typeof(XerialTransport)),
                    user_data = IntPtr.Zero,
                    send = Marshal.GetFunctionPointerForDelegate(SendCallback),
                    cancel = Marshal.GetFunctionPointerForDelegate(CancelCallback),
                };
                s_table = Marshal.AllocHGlobal(Marshal.SizeOf(typeof(XerialTransport)));
                Marshal.StructureToPtr(table, s_table, false);
            }
            return s_table;
        }

        /// <summary>After Shutdown (which cancelled every open request): no transport.</summary>
        internal static void Uninstall()
        {
            s_transport = null;
        }

        private static IntPtr Keep(List<IntPtr> blocks, IntPtr block)
        {
            blocks.Add(block);
            return block;
        }

        [Preserve]
        [MonoPInvokeCallback(typeof(XerialHttpSendCallback))]
        private static void OnSend(IntPtr userData, IntPtr requestPointer)
        {
            ulong handle = 0;
            try
            {
                var raw = (Native.XerialHttpRequest)Marshal.PtrToStructure(requestPointer, typeof(Native.XerialHttpRequest));
                handle = raw.handle;
                int count = (int)raw.header_count.ToUInt32();
                var headers = new KeyValuePair<string, string>[count];
                int size = Marshal.SizeOf(typeof(XerialHttpHeader));
                for (int i = 0; i < count; i++)
                {
                    var h = (XerialHttpHeader)Marshal.PtrToStructure(new IntPtr(raw.headers.ToInt64() + (long)i * size), typeof(XerialHttpHeader));
                    headers[i] = new KeyValuePair<string, string>(Utf8.Read(h.name), Utf8.Read(h.value));
                }
                var body = new byte[(int)raw.body_len.ToUInt32()];
                if (body.Length > 0) Marshal.Copy(raw.body, body, 0, body.Length);
                var request = new XerialHttpRequest
                {
                    Handle = handle,
                    Method = Utf8.Read(raw.method),
                    Url = Utf8.Read(raw.url),
                    Headers = headers,
                    Body = body,
                    TimeoutMs = (int)Math.Min(raw.timeout_ms, int.MaxValue),
                };
                XerialHttpTransport transport = s_transport;
                if (transport == null) { Fail(handle, false, "no transport installed"); return; }
                transport.Send(request);
            }
            catch (Exception e)
            {
                // Never into native code. Send may have started the request: say so.
                Calls.Report(e);
                if (handle != 0) Fail(handle, true, "the transport threw " + e.GetType().Name);
            }
        }

        [Preserve]
        [MonoPInvokeCallback(typeof(XerialHttpCancelCallback))]
        private static void OnCancel(IntPtr userData, ulong handle)
        {
            try
            {
                XerialHttpTransport transport = s_transport;
                if (transport != null) transport.Cancel(handle);
            }
            catch (Exception e)
            {
                Calls.Report(e);
            }
        }
    }
}
