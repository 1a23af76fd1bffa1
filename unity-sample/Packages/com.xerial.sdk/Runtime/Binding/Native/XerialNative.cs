// The raw layer: one C# declaration per item of include/xerial.h, nothing more.
//
// Hand-written, and checked against the header by bindings/csharp/tests (HeaderDriftTests): every
// function name, parameter and return type, every constant's value, every struct field (name,
// order, type) and every callback typedef must match, and the struct layouts are compared with a
// C compiler's sizeof/offsetof. Names are the header's, so a diff reads line for line.
//
// Rules (IL2CPP, Windows, Mono):
//  * CallingConvention.Cdecl everywhere; one [UnmanagedFunctionPointer(Cdecl)] delegate per
//    callback typedef.
//  * Strings go in as NUL-terminated UTF-8 byte[] (see Utf8.Z) and come out as IntPtr (see
//    Utf8.Read); never as `string`, which the marshaller would turn into the ANSI code page on
//    Windows.
//  * Booleans are byte (uint8_t), enums int/uint, size_t UIntPtr.
//  * XerialResult/XerialConfig are blittable [StructLayout(Sequential)] structs.
//
// To bind a new function of the header: add its [DllImport] line here (the drift test fails until
// you do), then its façade method in XerialSdk.Api.cs and its result class in Models/.
using System;
using System.Runtime.InteropServices;

namespace Xerial.Native
{
    /// <summary>The constants of include/xerial.h, with the header's names and values.</summary>
    internal static class XerialConstants
    {
        public const uint XERIAL_ABI_VERSION = (1u << 16) | 4u;

        public const int XERIAL_OK = 0;
        public const int XERIAL_E_INVALID_ARGUMENT = 1;
        public const int XERIAL_E_NOT_INITIALIZED = 2;
        public const int XERIAL_E_ALREADY_INITIALIZED = 3;
        public const int XERIAL_E_NOT_LOGGED_IN = 4;
        public const int XERIAL_E_CANCELLED = 5;
        public const int XERIAL_E_SHUTDOWN = 6;
        public const int XERIAL_E_BUFFER_TOO_SMALL = 7;
        public const int XERIAL_E_DENIED = 8;
        public const int XERIAL_E_UNAVAILABLE = 9;
        public const int XERIAL_E_NETWORK = 10;
        public const int XERIAL_E_TIMEOUT = 11;
        public const int XERIAL_E_OUTCOME_UNKNOWN = 12;
        public const int XERIAL_E_BAD_REQUEST = 20;
        public const int XERIAL_E_UNAUTHORIZED = 21;
        public const int XERIAL_E_FORBIDDEN = 22;
        public const int XERIAL_E_NOT_FOUND = 23;
        public const int XERIAL_E_NOT_SUPPORTED = 24;
        public const int XERIAL_E_PRECONDITION_FAILED = 25;
        public const int XERIAL_E_RATE_LIMITED = 26;
        public const int XERIAL_E_HTTP = 27;
        public const int XERIAL_E_SERVER = 30;
        public const int XERIAL_E_DECODE = 31;
        public const int XERIAL_E_INTERNAL = 99;

        public const int XERIAL_DISPATCH_POLL = 0;
        public const int XERIAL_DISPATCH_IMMEDIATE = 1;

        public const int XERIAL_LOG_ERROR = 1;
        public const int XERIAL_LOG_WARN = 2;
        public const int XERIAL_LOG_INFO = 3;
        public const int XERIAL_LOG_DEBUG = 4;
        public const int XERIAL_LOG_TRACE = 5;

        public const int XERIAL_AUTH_LOGGED_OUT = 0;
        public const int XERIAL_AUTH_LOGGED_IN = 1;

        public const ulong XERIAL_RUN_THREADS = 0;
        public const ulong XERIAL_RUN_IN_POLL = 1;

        public const int XERIAL_HTTP_NOT_SENT = 0;
        public const int XERIAL_HTTP_MAYBE_SENT = 1;

        public const int XERIAL_SIGNIN_GOOGLE = 1;
        public const int XERIAL_SIGNIN_BROWSER_WALLET = 2;

        public const ulong XERIAL_SESSION_STORE_DEFAULT = 0;
        public const ulong XERIAL_SESSION_STORE_PROTECTED = 1;
        public const ulong XERIAL_SESSION_STORE_FILE = 2;
        public const ulong XERIAL_SESSION_STORE_MEMORY = 3;
        public const ulong XERIAL_SESSION_STORE_HOST = 4;
    }

    /// <summary>`XerialSignInOptions` (abi.md §9, ABI 1.2). Strings are copied during xerial_signin_start.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct XerialSignInOptions
    {
        public uint struct_size;
        public int method;
        public IntPtr client_id;
        public IntPtr client_secret;
        public IntPtr redirect_uri;
        public ulong timeout_ms;
        /// <summary>A function pointer (Marshal.GetFunctionPointerForDelegate of a static XerialOpenUrlCallback) or IntPtr.Zero.</summary>
        public IntPtr open_url;
        public IntPtr open_url_user_data;
    }

    /// <summary>`XerialConfig` (abi.md §2). Fill with xerial_config_init(ref c, sizeof), then change fields.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct XerialConfig
    {
        public uint struct_size;
        public IntPtr base_url;
        public IntPtr marketplace_url;
        public IntPtr project_id;
        public uint timeout_ms;
        public uint connect_timeout_ms;
        public uint worker_threads;
        public uint dispatch;
        public uint max_retries;
        public IntPtr session_path;
        public byte allow_insecure_http;
        // ABI 1.1 (read by the library only when struct_size covers them)
        public IntPtr extra_root_ca_pem;
        public IntPtr proxy_url;
        // ABI 1.2
        public IntPtr oauth_authorize_url;
        public IntPtr oauth_token_url;
        public IntPtr transport;
        public ulong run_mode;
        // ABI 1.3
        public ulong session_store;
        public IntPtr session_host;
    }

    /// <summary>
    /// `XerialResult` (abi.md §4), ABI v1 fields exactly. Everything it points to is borrowed until
    /// the callback returns: copy with Utf8.Read before returning. A field added in a later minor
    /// version must be read separately, and only when xerial_abi_version() reports that minor.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct XerialResult
    {
        public ulong request_id;
        public int code;
        public int http_status;
        public IntPtr message;
        public IntPtr body;
        public UIntPtr body_len;
        public uint retry_after_ms;
        public byte retryable;
    }

    /// <summary>`XerialHttpHeader` (abi.md §10): two NUL-terminated UTF-8 strings.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct XerialHttpHeader
    {
        public IntPtr name;
        public IntPtr value;
    }

    /// <summary>`XerialHttpRequest` (abi.md §10), borrowed by a transport's send until it returns.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct XerialHttpRequest
    {
        public ulong handle;
        public IntPtr method;
        public IntPtr url;
        public IntPtr headers;
        public UIntPtr header_count;
        public IntPtr body;
        public UIntPtr body_len;
        public uint timeout_ms;
    }

    /// <summary>`XerialTransport` (abi.md §10): `send` and `cancel` are function pointers.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct XerialTransport
    {
        public uint struct_size;
        public IntPtr user_data;
        public IntPtr send;
        public IntPtr cancel;
    }

    /// <summary>`XerialHttpSendCallback`: `request` points to an XerialHttpRequest borrowed until return.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void XerialHttpSendCallback(IntPtr user_data, IntPtr request);

    /// <summary>`XerialHttpCancelCallback`: the SDK stopped waiting for `handle`.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void XerialHttpCancelCallback(IntPtr user_data, ulong handle);

    /// <summary>`XerialAllocator` (ABI 1.4): the host's allocator for the SDK's memory. The Unity layer
    /// does not set one: a managed allocator would run on the SDK's threads, under its locks and at
    /// thread exit, after a domain reload too. A native plugin that owns one may call xerial_set_allocator.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct XerialAllocator
    {
        public uint struct_size;
        public IntPtr user_data;
        public IntPtr allocate;
        public IntPtr reallocate;
        public IntPtr release;
    }

    /// <summary>`XerialAllocateCallback`: a block of `size` bytes aligned to `alignment`.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate IntPtr XerialAllocateCallback(IntPtr user_data, UIntPtr size, UIntPtr alignment);

    /// <summary>`XerialReallocateCallback`: `block` resized from `old_size` to `new_size` bytes.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate IntPtr XerialReallocateCallback(IntPtr user_data, IntPtr block, UIntPtr old_size, UIntPtr new_size, UIntPtr alignment);

    /// <summary>`XerialReleaseCallback`: frees `block` (of `size` bytes and `alignment`).</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void XerialReleaseCallback(IntPtr user_data, IntPtr block, UIntPtr size, UIntPtr alignment);

    /// <summary>`XerialCallback`: `result` points to an XerialResult borrowed until return.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void XerialCallback(IntPtr user_data, IntPtr result);

    /// <summary>`XerialAuthCallback`: runs where request callbacks run (inside xerial_poll in poll mode).</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void XerialAuthCallback(IntPtr user_data, int state);

    /// <summary>`XerialOpenUrlCallback`: runs where request callbacks run; `url` is borrowed.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void XerialOpenUrlCallback(IntPtr user_data, IntPtr url);

    /// <summary>`XerialLogCallback`: `message` is borrowed. Poll dispatch: only on the thread calling xerial_poll/xerial_shutdown or another xerial_* function (worker records wait for the next poll); Immediate: any thread.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void XerialLogCallback(IntPtr user_data, int level, IntPtr message);

    /// <summary>The exported functions of libxerial, one line each.</summary>
    internal static class XerialNative
    {
#if (UNITY_IOS || UNITY_WEBGL) && !UNITY_EDITOR
        /// <summary>iOS and WebGL link libxerial.a statically into the player.</summary>
        public const string Library = "__Internal";
#else
        /// <summary>libxerial.so / xerial.dll / libxerial.dylib (or xerial.bundle).</summary>
        public const string Library = "xerial";
#endif
        private const CallingConvention Cdecl = CallingConvention.Cdecl;

        // ---- lifecycle (any thread, any time unless noted) ----
        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern uint xerial_abi_version();

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern IntPtr xerial_version();

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern IntPtr xerial_code_name(int code);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern int xerial_config_init(ref XerialConfig config, UIntPtr size);

        // the SDK's heap (ABI 1.4): before anything that allocates; not called by the Unity layer
        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern int xerial_set_allocator(ref XerialAllocator allocator);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern int xerial_init(ref XerialConfig config);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern int xerial_shutdown();

        // ---- dispatch ----
        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern uint xerial_poll(uint max_callbacks);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern int xerial_cancel(ulong id);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern void xerial_set_log_callback(XerialLogCallback cb, IntPtr user_data, int min_level);

        // ---- session (synchronous) ----
        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern int xerial_session_set(byte[] tokens_json);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern int xerial_session_get(byte[] buf, UIntPtr cap, out UIntPtr out_len);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern int xerial_session_clear();

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern int xerial_auth_state();

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern void xerial_set_auth_listener(XerialAuthCallback cb, IntPtr user_data);

        // ---- asynchronous calls: args…, callback, user_data → request id (0: never calls back) ----
        // auth
        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_login_google(byte[] id_token, byte[] client_id, XerialCallback callback, IntPtr user_data);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_request_nonce(byte[] address, XerialCallback callback, IntPtr user_data);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_login_wallet(byte[] address, byte[] signature, XerialCallback callback, IntPtr user_data);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_refresh(XerialCallback callback, IntPtr user_data);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_logout(byte[] refresh_token, XerialCallback callback, IntPtr user_data);

        // sign-in in the system browser (ABI 1.2)
        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_signin_start(ref XerialSignInOptions options, XerialCallback callback, IntPtr user_data);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern int xerial_signin_complete(byte[] redirect_url);

        // user and wallets
        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_user_get(XerialCallback callback, IntPtr user_data);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_wallet_native_balance(byte[] address, byte[] chain, XerialCallback callback, IntPtr user_data);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_wallet_token_balances(byte[] address, byte[] chain, XerialCallback callback, IntPtr user_data);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_wallet_project_inventory(byte[] address, byte[] chain, byte[] project_id, XerialCallback callback, IntPtr user_data);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_wallet_global_inventory(byte[] address, byte[] chain, XerialCallback callback, IntPtr user_data);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_custodial_create_user(byte[] reference, XerialCallback callback, IntPtr user_data);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_custodial_create_wallet(byte[] user_id, XerialCallback callback, IntPtr user_data);

        // transactions (value-moving: never retried once sent)
        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_tx_transfer_nft(byte[] address, byte[] chain, byte[] collection_address, byte[] token_id, byte[] to, XerialCallback callback, IntPtr user_data);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_tx_transfer_token(byte[] address, byte[] chain, byte[] token_address, byte[] amount, byte[] to, XerialCallback callback, IntPtr user_data);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_tx_primary_purchase(byte[] address, byte[] chain, byte[] collection_address, byte[] type_id, uint quantity, XerialCallback callback, IntPtr user_data);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_tx_secondary_purchase(byte[] address, byte[] chain, byte[] market_item_id, XerialCallback callback, IntPtr user_data);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_tx_list_nft(byte[] address, byte[] chain, byte[] collection_address, byte[] token_id, byte[] price, XerialCallback callback, IntPtr user_data);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_tx_delist_nft(byte[] address, byte[] chain, byte[] market_item_id, XerialCallback callback, IntPtr user_data);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_tx_custom(byte[] address, byte[] chain, byte[] transaction_json, XerialCallback callback, IntPtr user_data);

        // marketplace (needs marketplace_url)
        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_market_collections(byte[] project_id, XerialCallback callback, IntPtr user_data);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_market_primary_listings(byte[] project_id, byte[] chain, XerialCallback callback, IntPtr user_data);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_market_secondary_listings(byte[] project_id, byte[] chain, byte[] seller, XerialCallback callback, IntPtr user_data);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_market_project(byte[] domain, XerialCallback callback, IntPtr user_data);

        // escape hatch
        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern ulong xerial_request(byte[] method, byte[] path, byte[] json_body, byte needs_player, XerialCallback callback, IntPtr user_data);

        // host transport (any thread): answer a handle the SDK handed to XerialTransport.send
        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern int xerial_http_complete(ulong handle, int status, XerialHttpHeader[] headers, UIntPtr header_count, byte[] body, UIntPtr body_len);

        [DllImport(Library, CallingConvention = Cdecl, ExactSpelling = true)]
        public static extern int xerial_http_fail(ulong handle, int reason, byte[] message);
    }
}
