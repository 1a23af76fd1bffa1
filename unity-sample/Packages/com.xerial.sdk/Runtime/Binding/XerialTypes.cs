using System;
using System.Globalization;
using Xerial.Json;
using Xerial.Native;

namespace Xerial
{
    /// <summary>
    /// The SDK's result codes (abi.md §5), values fixed once shipped, and one of this binding's own
    /// (LibraryUnavailable). A code this binding does not know still arrives as its number (cast
    /// to XerialCode); compare with known values only.
    /// </summary>
    public enum XerialCode
    {
        Ok = XerialConstants.XERIAL_OK,
        InvalidArgument = XerialConstants.XERIAL_E_INVALID_ARGUMENT,
        NotInitialized = XerialConstants.XERIAL_E_NOT_INITIALIZED,
        AlreadyInitialized = XerialConstants.XERIAL_E_ALREADY_INITIALIZED,
        NotLoggedIn = XerialConstants.XERIAL_E_NOT_LOGGED_IN,
        Cancelled = XerialConstants.XERIAL_E_CANCELLED,
        Shutdown = XerialConstants.XERIAL_E_SHUTDOWN,
        BufferTooSmall = XerialConstants.XERIAL_E_BUFFER_TOO_SMALL,
        /// <summary>The player or the identity provider refused a sign-in.</summary>
        Denied = XerialConstants.XERIAL_E_DENIED,
        /// <summary>Not possible in this build or on this platform (e.g. no wallet in the browser).</summary>
        Unavailable = XerialConstants.XERIAL_E_UNAVAILABLE,
        Network = XerialConstants.XERIAL_E_NETWORK,
        Timeout = XerialConstants.XERIAL_E_TIMEOUT,
        OutcomeUnknown = XerialConstants.XERIAL_E_OUTCOME_UNKNOWN,
        BadRequest = XerialConstants.XERIAL_E_BAD_REQUEST,
        Unauthorized = XerialConstants.XERIAL_E_UNAUTHORIZED,
        Forbidden = XerialConstants.XERIAL_E_FORBIDDEN,
        NotFound = XerialConstants.XERIAL_E_NOT_FOUND,
        NotSupported = XerialConstants.XERIAL_E_NOT_SUPPORTED,
        PreconditionFailed = XerialConstants.XERIAL_E_PRECONDITION_FAILED,
        RateLimited = XerialConstants.XERIAL_E_RATE_LIMITED,
        Http = XerialConstants.XERIAL_E_HTTP,
        Server = XerialConstants.XERIAL_E_SERVER,
        Decode = XerialConstants.XERIAL_E_DECODE,
        Internal = XerialConstants.XERIAL_E_INTERNAL,
        /// <summary>
        /// The binding's own code, never sent by the library: the native library could not be
        /// used here (not found for this platform and CPU, built for another one, missing a
        /// function, or of another ABI major). The message says which and where it was looked for.
        /// </summary>
        LibraryUnavailable = 1000,
    }

    /// <summary>The `chain` names Xerial's API takes (XerialSdk's wallet, transaction and market calls).</summary>
    public static class XerialChains
    {
        /// <summary>Polygon (MATIC).</summary>
        public const string Polygon = "polygon";
        /// <summary>Telos (TLOS). Xerial documents the global inventory for Polygon only.</summary>
        public const string Telos = "telos";
    }

    /// <summary>Where completions run (abi.md §3).</summary>
    public enum XerialDispatch
    {
        /// <summary>Only inside XerialSdk.Poll, on the thread calling it (default; the Unity runner polls every frame).</summary>
        Poll = XerialConstants.XERIAL_DISPATCH_POLL,
        /// <summary>On an SDK worker thread. Not for Unity: foreign threads must not enter Unity APIs.</summary>
        Immediate = XerialConstants.XERIAL_DISPATCH_IMMEDIATE,
    }

    /// <summary>
    /// Where the player's session is kept between runs (ABI 1.3). The default is the OS's protected
    /// store at a per-user place, never inside the game's or the project's folder (README, "Sessions").
    /// </summary>
    public enum XerialSessionStore : ulong
    {
        /// <summary>The SessionPath file when SessionPath is set (as before ABI 1.3), else Protected.</summary>
        Default = XerialConstants.XERIAL_SESSION_STORE_DEFAULT,
        /// <summary>Keychain, Secret Service, DPAPI or the app's private storage; a SessionPath file is moved into it.</summary>
        Protected = XerialConstants.XERIAL_SESSION_STORE_PROTECTED,
        /// <summary>Plain JSON in the SessionPath file (required).</summary>
        File = XerialConstants.XERIAL_SESSION_STORE_FILE,
        /// <summary>Memory only: every start begins logged out.</summary>
        Memory = XerialConstants.XERIAL_SESSION_STORE_MEMORY,
    }

    public enum XerialLogLevel
    {
        Off = 0,
        Error = XerialConstants.XERIAL_LOG_ERROR,
        Warn = XerialConstants.XERIAL_LOG_WARN,
        Info = XerialConstants.XERIAL_LOG_INFO,
        Debug = XerialConstants.XERIAL_LOG_DEBUG,
        Trace = XerialConstants.XERIAL_LOG_TRACE,
    }

    public enum XerialAuthState
    {
        LoggedOut = XerialConstants.XERIAL_AUTH_LOGGED_OUT,
        LoggedIn = XerialConstants.XERIAL_AUTH_LOGGED_IN,
    }

    /// <summary>
    /// The one error type of the SDK: every failed call, whatever went wrong, faults its Task with
    /// (or hands its callback) one of these.
    /// </summary>
    public sealed class XerialException : Exception
    {
        public XerialException(XerialCode code, string message, int httpStatus = 0, bool retryable = false,
                               TimeSpan? retryAfter = null, string body = null, ulong requestId = 0,
                               Exception inner = null)
            : base(string.IsNullOrEmpty(message) ? NameOf(code) : message, inner)
        {
            Code = code;
            HttpStatus = httpStatus;
            Retryable = retryable;
            RetryAfter = retryAfter;
            Body = body ?? string.Empty;
            RequestId = requestId;
        }

        /// <summary>What went wrong (XerialCode); unknown future codes arrive as their number.</summary>
        public XerialCode Code { get; private set; }
        /// <summary>The HTTP status received; 0 when no HTTP answer came back.</summary>
        public int HttpStatus { get; private set; }
        /// <summary>True when repeating the same call later may succeed (never for a value-moving call that may have run).</summary>
        public bool Retryable { get; private set; }
        /// <summary>The server's Retry-After, null when it sent none.</summary>
        public TimeSpan? RetryAfter { get; private set; }
        /// <summary>The server's JSON error body (e.g. {"code":404,"message":"Not Found"}), "" when none.</summary>
        public string Body { get; private set; }
        /// <summary>The request id of the failed call; 0 when it never started.</summary>
        public ulong RequestId { get; private set; }
        /// <summary>The native name of the code, e.g. "XERIAL_E_NOT_FOUND".</summary>
        public string CodeName { get { return NameOf(Code); } }

        internal static string NameOf(XerialCode code)
        {
            if (code == XerialCode.LibraryUnavailable) return "LibraryUnavailable"; // not the library's
            try { return Utf8.Read(XerialNative.xerial_code_name((int)code)) ?? code.ToString(); }
            catch (Exception) { return code.ToString(); } // library missing: still say something
        }

        public override string ToString()
        {
            return string.Format(CultureInfo.InvariantCulture, "XerialException {0} ({1}){2}: {3}{4}",
                CodeName, (int)Code, HttpStatus != 0 ? ", HTTP " + HttpStatus.ToString(CultureInfo.InvariantCulture) : "",
                Message, InnerException != null ? " ---> " + InnerException : "");
        }
    }

    /// <summary>Configuration of XerialSdk.Initialize; null/unset members take the library's defaults.</summary>
    public sealed class XerialSettings
    {
        /// <summary>Wallet host (default https://wallet.xerial.io; staging https://wallet.staging.xerial.io).</summary>
        public string BaseUrl;
        /// <summary>Marketplace/collections host; null: the marketplace calls answer InvalidArgument.</summary>
        public string MarketplaceUrl;
        /// <summary>The studio's project id, used by the calls that need it.</summary>
        public string ProjectId;
        /// <summary>Whole-call deadline (default 30000 ms).</summary>
        public int? TimeoutMs;
        /// <summary>Connection deadline (default 10000 ms).</summary>
        public int? ConnectTimeoutMs;
        /// <summary>Runtime worker threads, read by the process's first initialisation only (default 1).</summary>
        public int? WorkerThreads;
        /// <summary>Automatic retries of calls that are safe to repeat (default 2; 0: none).</summary>
        public int? MaxRetries;
        /// <summary>Poll (default) or Immediate. Unity: always Poll.</summary>
        public XerialDispatch Dispatch = XerialDispatch.Poll;
        /// <summary>(ABI 1.3) Where the session is kept between runs; Default: the OS's protected store, per user.</summary>
        public XerialSessionStore SessionStore = XerialSessionStore.Default;
        /// <summary>
        /// A plain session file: with SessionStore Default or File the session is kept there in clear; with
        /// Protected an old file there is moved into the OS's store. Never under Application.persistentDataPath
        /// or the project: the Editor's copy would ship with builds and backups (README, "Sessions").
        /// </summary>
        public string SessionPath;
        /// <summary>Allow plain http:// to hosts other than loopback.</summary>
        public bool AllowInsecureHttp;
        /// <summary>(ABI 1.1) PEM certificates trusted in addition to the bundled web PKI roots, e.g. a test CA.</summary>
        public string ExtraRootCaPem;
        /// <summary>(ABI 1.1) Proxy for every request, http://host:port (or http://user:pass@host:port); null: direct.</summary>
        public string ProxyUrl;
        /// <summary>(ABI 1.2) Google sign-in's authorization endpoint; null: Google's. The offline server plays it at {mock}/oauth/authorize.</summary>
        public string OAuthAuthorizeUrl;
        /// <summary>(ABI 1.2) Google sign-in's token endpoint; null: Google's ({mock}/oauth/token offline).</summary>
        public string OAuthTokenUrl;
        /// <summary>(ABI 1.2) The game's own HTTP stack for every request (XerialHttpTransport, e.g.
        /// Xerial.Unity.XerialUnityWebRequestTransport); null: the SDK's built-in one (WebGL: the
        /// browser's fetch). With one, the SDK starts no thread and runs inside Poll(). Not kept
        /// by ToJson (an object does not outlive its domain).</summary>
        public XerialHttpTransport HttpTransport;

        public XerialSettings Clone() { return (XerialSettings)MemberwiseClone(); }

        /// <summary>JSON form, e.g. to keep the settings across a domain reload (a ProxyUrl may hold credentials).</summary>
        public string ToJson()
        {
            JsonValue o = JsonValue.NewObject()
                .Set("baseUrl", JsonValue.String(BaseUrl))
                .Set("marketplaceUrl", JsonValue.String(MarketplaceUrl))
                .Set("projectId", JsonValue.String(ProjectId))
                .Set("timeoutMs", Num(TimeoutMs))
                .Set("connectTimeoutMs", Num(ConnectTimeoutMs))
                .Set("workerThreads", Num(WorkerThreads))
                .Set("maxRetries", Num(MaxRetries))
                .Set("dispatch", JsonValue.Number((long)Dispatch))
                .Set("sessionStore", JsonValue.Number((long)SessionStore))
                .Set("sessionPath", JsonValue.String(SessionPath))
                .Set("allowInsecureHttp", JsonValue.Bool(AllowInsecureHttp))
                .Set("extraRootCaPem", JsonValue.String(ExtraRootCaPem))
                .Set("proxyUrl", JsonValue.String(ProxyUrl))
                .Set("oauthAuthorizeUrl", JsonValue.String(OAuthAuthorizeUrl))
                .Set("oauthTokenUrl", JsonValue.String(OAuthTokenUrl));
            return o.ToJson();
        }

        public static XerialSettings FromJson(string json)
        {
            JsonValue o = JsonValue.Parse(json);
            return new XerialSettings
            {
                BaseUrl = o.GetString("baseUrl"),
                MarketplaceUrl = o.GetString("marketplaceUrl"),
                ProjectId = o.GetString("projectId"),
                TimeoutMs = (int?)o.GetNullableLong("timeoutMs"),
                ConnectTimeoutMs = (int?)o.GetNullableLong("connectTimeoutMs"),
                WorkerThreads = (int?)o.GetNullableLong("workerThreads"),
                MaxRetries = (int?)o.GetNullableLong("maxRetries"),
                Dispatch = (XerialDispatch)o.GetLong("dispatch"),
                SessionStore = (XerialSessionStore)o.GetLong("sessionStore"),
                SessionPath = o.GetString("sessionPath"),
                AllowInsecureHttp = o.GetBool("allowInsecureHttp"),
                ExtraRootCaPem = o.GetString("extraRootCaPem"),
                ProxyUrl = o.GetString("proxyUrl"),
                OAuthAuthorizeUrl = o.GetString("oauthAuthorizeUrl"),
                OAuthTokenUrl = o.GetString("oauthTokenUrl"),
            };
        }

        private static JsonValue Num(int? n) { return n.HasValue ? JsonValue.Number(n.Value) : JsonValue.Null; }
    }

    /// <summary>
    /// Base of every typed result: what every successful call tells besides its data. Json is the
    /// whole canonical body the library documents for the call (fields this binding does not map
    /// yet can be read from it).
    /// </summary>
    public abstract class XerialResponse
    {
        public ulong RequestId { get; internal set; }
        public int HttpStatus { get; internal set; }
        /// <summary>The canonical JSON body ("" when the endpoint answers no content).</summary>
        public string Json { get; internal set; }
    }
}
