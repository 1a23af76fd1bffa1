/* bcryptprimitives_shim.c - TEST-ONLY stand-in for Windows' bcryptprimitives.dll.
 *
 * Rust's std (>= 1.78) imports ProcessPrng from bcryptprimitives.dll for its
 * random numbers (HashMap seeds and friends). Windows 10+ ships that DLL; Wine 8.0
 * (Debian 12's wine64) does not, so loading xerial.dll under Wine fails with
 * c0000135 (STATUS_DLL_NOT_FOUND). This shim, built as bcryptprimitives.dll and
 * placed next to the test .exe ONLY when the Wine prefix lacks the real one,
 * implements ProcessPrng with RtlGenRandom (advapi32!SystemFunction036).
 *
 * Never ship it: real Windows has the real DLL, and the product never contains
 * this file. Build:
 *   x86_64-w64-mingw32-gcc -shared -O2 -Wall -Wextra -Werror \
 *       -o bcryptprimitives.dll bcryptprimitives_shim.c -ladvapi32
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

/* advapi32 exports RtlGenRandom under this name (ntsecapi.h's RtlGenRandom macro). */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* BOOL WINAPI ProcessPrng(PBYTE pbData, SIZE_T cbData): documented to always return TRUE. */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x40000000u ? 0x40000000u : (ULONG)len;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved) {
    (void)instance;
    (void)reason;
    (void)reserved;
    return TRUE;
}
