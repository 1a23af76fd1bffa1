// XerialSdk: the C# API games use. Lifecycle, dispatch, session and logging live here; the
// per-endpoint calls are in XerialSdk.Api.cs.
//
// Threads: every member may be called from any thread. With XerialDispatch.Poll (the default)
// every completion — Task result or callback — happens inside Poll() or Shutdown(), on the thread
// calling it. Unity's XerialRunner calls Poll() once per frame on the main thread.
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using AOT;
using Xerial.Internal;
using Xerial.Json;
using Xerial.Native;

namespace Xerial
{
    public static partial class XerialSdk
    {
        /// <summary>The ABI major version this binding was written for.</summary>
        public const uint BindingAbiMajor = XerialConstants.XERIAL_ABI_VERSION >> 16;

        private static readonly object Gate = new object();
        private static volatile bool s_initialized;
        private static volatile Action<XerialLogLevel, string> s_logHandler;
        private static XerialLogLevel s_logLevel = XerialLogLevel.Off;
        private static bool s_logInstalled;

        // IL2CPP/GC: the delegate handed to native code lives in a static field for the life of the domain.
        private static readonly XerialLogCallback LogCallback = OnLog;

        /// <summary>True between a successful Initialize and Shutdown (in this domain).</summary>
        public static bool IsInitialized { get { return s_initialized; } }

        /// <summary>Requests started whose completion has not run yet.</summary>
        public static int PendingRequests { get { return Calls.PendingCount; } }

        /// <summary>
        /// Raised when a completion callback you passed (or a Task continuation running inline)
        /// throws: the exception never reaches native code. Default: written to stderr. The Unity
        /// runner routes it to Debug.LogException.
        /// </summary>
        public static event Action<Exception> UnhandledCallbackException
        {
            add { Calls.UnhandledException += value; }
            remove { Calls.UnhandledException -= value; }
        }

        /// <summary>The library's version, e.g. "0.1.0".</summary>
        public static string NativeVersion { get { return Utf8.Read(XerialNative.xerial_version()); } }

        /// <summary>`major << 16 | minor` of the loaded library.</summary>
        public static uint NativeAbiVersion { get { return XerialNative.xerial_abi_version(); } }

        /// <summary>The native name of a code, e.g. "XERIAL_E_NOT_FOUND" ("XERIAL_E_UNKNOWN" for unknown values).</summary>
        public static string CodeName(XerialCode code) { return Utf8.Read(XerialNative.xerial_code_name((int)code)); }

        /// <summary>
        /// Initialises the SDK. Throws XerialException: AlreadyInitialized (call Shutdown first),
        /// InvalidArgument (a URL that does not parse, or plain http:// to a non-loopback host
        /// without AllowInsecureHttp), Internal (library missing or of another ABI major).
        /// </summary>
        public static void Initialize(XerialSettings settings)
        {
            settings = settings ?? new XerialSettings();
            lock (Gate)
            {
                if (s_initialized)
                    throw new XerialException(XerialCode.AlreadyInitialized, "the Xerial SDK is already initialised (call XerialSdk.Shutdown first)");
                CheckLibrary();

                XerialConfig config = new XerialConfig();
                int filled = XerialNative.xerial_config_init(ref config, new UIntPtr((uint)Marshal.SizeOf(typeof(XerialConfig))));
                if (filled != (int)XerialCode.Ok)
                    throw new XerialException((XerialCode)filled, "xerial_config_init refused this binding's XerialConfig");
                IntPtr baseUrl = IntPtr.Zero, marketplaceUrl = IntPtr.Zero, projectId = IntPtr.Zero, sessionPath = IntPtr.Zero;
                IntPtr extraRootCaPem = IntPtr.Zero, proxyUrl = IntPtr.Zero;
                try
                {
                    if (settings.BaseUrl != null) config.base_url = baseUrl = Utf8.AllocHGlobal(settings.BaseUrl);
                    marketplaceUrl = Utf8.AllocHGlobal(settings.MarketplaceUrl);
                    config.marketplace_url = marketplaceUrl;
                    projectId = Utf8.AllocHGlobal(settings.ProjectId);
                    config.project_id = projectId;
                    sessionPath = Utf8.AllocHGlobal(settings.SessionPath);
                    config.session_path = sessionPath;
                    if (settings.TimeoutMs.HasValue) config.timeout_ms = NonNegative(settings.TimeoutMs.Value, "TimeoutMs");
                    if (settings.ConnectTimeoutMs.HasValue) config.connect_timeout_ms = NonNegative(settings.ConnectTimeoutMs.Value, "ConnectTimeoutMs");
                    if (settings.WorkerThreads.HasValue) config.worker_threads = NonNegative(settings.WorkerThreads.Value, "WorkerThreads");
                    if (settings.MaxRetries.HasValue) config.max_retries = NonNegative(settings.MaxRetries.Value, "MaxRetries");
                    if ((settings.ExtraRootCaPem != null || settings.ProxyUrl != null) && (NativeAbiVersion & 0xFFFF) < 1)
                        throw new XerialException(XerialCode.InvalidArgument,
                            "ExtraRootCaPem and ProxyUrl need libxerial ABI 1.1 or later; the loaded library is older");
                    extraRootCaPem = Utf8.AllocHGlobal(settings.ExtraRootCaPem);
                    config.extra_root_ca_pem = extraRootCaPem;
                    proxyUrl = Utf8.AllocHGlobal(settings.ProxyUrl);
                    config.proxy_url = proxyUrl;
                    if (settings.SessionStore != XerialSessionStore.Default && (NativeAbiVersion & 0xFFFF) < 3)
                        throw new XerialException(XerialCode.InvalidArgument,
                            "SessionStore needs libxerial ABI 1.3 or later; the loaded library is older");
                    config.session_store = (ulong)settings.SessionStore;
                    config.dispatch = (uint)settings.Dispatch;
                    config.allow_insecure_http = settings.AllowInsecureHttp ? (byte)1 : (byte)0;

                    InstallLog(); // before init, so that init's own failure reasons are logged
                    int code = XerialNative.xerial_init(ref config);
                    if (code != XerialConstants.XERIAL_OK)
                    {
                        UninstallLog();
                        DrainLog();
                        throw new XerialException((XerialCode)code, InitFailureMessage((XerialCode)code));
                    }
                    s_initialized = true;
                    // Delivered like request callbacks (inside Poll): only ever on the polling thread.
                    XerialNative.xerial_set_auth_listener(AuthCallback, IntPtr.Zero);
                    DrainLog();
                }
                catch (ArgumentException e)
                {
                    UninstallLog();
                    throw new XerialException(XerialCode.InvalidArgument, e.Message, inner: e);
                }
                finally
                {
                    // xerial_init copied the strings.
                    Free(baseUrl); Free(marketplaceUrl); Free(projectId); Free(sessionPath);
                    Free(extraRootCaPem); Free(proxyUrl);
                }
            }
        }

        /// <summary>
        /// Shuts the SDK down: every request still in flight completes before this returns, on this
        /// thread (faulting with XerialCode.Shutdown, or OutcomeUnknown for a value-moving call that
        /// may have been sent); no completion of this generation runs afterwards. Also detaches
        /// every native → managed callback (log, auth listener), so that the domain can unload.
        /// Idempotent. Call it from the thread that polls.
        /// </summary>
        public static void Shutdown()
        {
            lock (Gate)
            {
                // Only the generation this domain started: a generation left behind by another
                // domain owes callbacks into code that no longer exists.
                if (!s_initialized) return;
                try
                {
                    XerialNative.xerial_shutdown();
                }
                finally
                {
                    s_initialized = false;
                    XerialNative.xerial_set_auth_listener(null, IntPtr.Zero);
                    UninstallLog();
                    DrainLog();
                }
            }
        }

        /// <summary>
        /// Runs the completions queued when it starts, on this thread; returns how many ran.
        /// maxCallbacks 0: no limit. Cheap when nothing is queued; never blocks. Call once per frame.
        /// </summary>
        public static int Poll(int maxCallbacks = 0)
        {
            if (!s_initialized) return 0;
            int ran = (int)XerialNative.xerial_poll(maxCallbacks <= 0 ? 0u : (uint)maxCallbacks);
            if (Volatile.Read(ref s_logQueued) > 0 || Volatile.Read(ref s_logDropped) > 0) DrainLog();
            return ran;
        }

        /// <summary>Cancels a request started with a callback overload. True if it stopped it (its callback then gets Cancelled).</summary>
        public static bool Cancel(ulong requestId)
        {
            return XerialNative.xerial_cancel(requestId) == XerialConstants.XERIAL_OK;
        }

        // ---- logging ----

        /// <summary>
        /// Forwards the SDK's log records of level ≤ minLevel to handler (null or Off: none).
        /// Records are queued as the library writes them (from any thread, SDK workers included)
        /// and handed to handler inside Poll() and Shutdown(), on the polling thread, so a Unity
        /// handler may call Debug.Log. Messages never contain tokens. Kept across
        /// Shutdown/Initialize; attached to the library only while initialised.
        ///
        /// Caveat (see the package README): the library calls its log callback on its worker
        /// threads, which attaches them to the scripting runtime. Mono before 6.12 then cannot exit
        /// (mono/mono#20466) and Mono's domain unload may wait for them (mono/mono#11170), so
        /// leave logging off in production Unity builds until the library delivers records
        /// through xerial_poll.
        /// </summary>
        public static void SetLogHandler(XerialLogLevel minLevel, Action<XerialLogLevel, string> handler)
        {
            lock (Gate)
            {
                s_logHandler = minLevel == XerialLogLevel.Off ? null : handler;
                s_logLevel = handler == null ? XerialLogLevel.Off : minLevel;
                if (s_initialized) InstallLog();
            }
        }

        private const int MaxQueuedLogRecords = 1000;
        private static readonly ConcurrentQueue<KeyValuePair<XerialLogLevel, string>> LogQueue =
            new ConcurrentQueue<KeyValuePair<XerialLogLevel, string>>();
        private static int s_logQueued;
        private static int s_logDropped;

        private static void InstallLog()
        {
            if (s_logHandler != null)
            {
                XerialNative.xerial_set_log_callback(LogCallback, IntPtr.Zero, (int)s_logLevel);
                s_logInstalled = true;
            }
            else
            {
                UninstallLog();
            }
        }

        private static void UninstallLog()
        {
            if (!s_logInstalled) return;
            // Once this returns the library never calls the old pointer again.
            XerialNative.xerial_set_log_callback(null, IntPtr.Zero, 0);
            s_logInstalled = false;
        }

        [Preserve]
        [MonoPInvokeCallback(typeof(XerialLogCallback))]
        private static void OnLog(IntPtr userData, int level, IntPtr message)
        {
            // Any thread: copy the borrowed message and queue it; nothing else.
            try
            {
                if (Interlocked.Increment(ref s_logQueued) > MaxQueuedLogRecords)
                {
                    Interlocked.Decrement(ref s_logQueued);
                    Interlocked.Increment(ref s_logDropped);
                    return;
                }
                LogQueue.Enqueue(new KeyValuePair<XerialLogLevel, string>((XerialLogLevel)level, Utf8.Read(message)));
            }
            catch (Exception)
            {
                // Nothing may unwind into native code.
            }
        }

        /// <summary>Hands queued log records to the handler, on this thread.</summary>
        private static void DrainLog()
        {
            Action<XerialLogLevel, string> handler = s_logHandler;
            KeyValuePair<XerialLogLevel, string> record;
            int dropped = Interlocked.Exchange(ref s_logDropped, 0);
            if (dropped > 0 && handler != null)
                Deliver(handler, XerialLogLevel.Warn, "xerial: " + dropped + " log record(s) dropped (nobody called Poll)");
            while (LogQueue.TryDequeue(out record))
            {
                Interlocked.Decrement(ref s_logQueued);
                if (handler != null) Deliver(handler, record.Key, record.Value);
            }
        }

        private static void Deliver(Action<XerialLogLevel, string> handler, XerialLogLevel level, string message)
        {
            try { handler(level, message); }
            catch (Exception e) { Calls.Report(e); }
        }

        // ---- auth state ----

        private static readonly XerialAuthCallback AuthCallback = OnAuthState;

        /// <summary>
        /// Raised when the player's auth state flips (login, SetSession on no session, logout,
        /// ClearSession, a refresh the server refused), inside Poll() on the polling thread. After
        /// Initialize, read AuthState for the state a restored session file gives.
        /// </summary>
        public static event Action<XerialAuthState> AuthStateChanged;

        [Preserve]
        [MonoPInvokeCallback(typeof(XerialAuthCallback))]
        private static void OnAuthState(IntPtr userData, int state)
        {
            try
            {
                Action<XerialAuthState> handler = AuthStateChanged;
                if (handler != null) handler((XerialAuthState)state);
            }
            catch (Exception e)
            {
                Calls.Report(e);
            }
        }

        // ---- session (synchronous) ----

        /// <summary>AuthState of the player: LoggedIn when a session is held (LoggedOut before Initialize).</summary>
        public static XerialAuthState AuthState { get { return (XerialAuthState)XerialNative.xerial_auth_state(); } }

        /// <summary>
        /// Installs a session from Xerial's token-pair JSON
        /// {"access":{"token","expires"},"refresh":{"token","expires"}} (e.g. from the hosted login
        /// page, or GetSessionJson earlier); persisted when SessionPath is set.
        /// Throws XerialException InvalidArgument (malformed) or NotInitialized.
        /// </summary>
        public static void SetSession(string tokensJson)
        {
            byte[] json;
            try { json = Utf8.Z(tokensJson, "tokensJson"); }
            catch (ArgumentException e) { throw new XerialException(XerialCode.InvalidArgument, e.Message, inner: e); }
            Check(XerialNative.xerial_session_set(json), "xerial_session_set");
        }

        /// <summary>The session's token-pair JSON (a secret: it holds the tokens), or null when logged out.</summary>
        public static string GetSessionJson()
        {
            for (int attempt = 0; attempt < 8; attempt++)
            {
                UIntPtr needed;
                int code = XerialNative.xerial_session_get(null, UIntPtr.Zero, out needed);
                if (code == XerialConstants.XERIAL_E_NOT_LOGGED_IN) return null;
                if (code != XerialConstants.XERIAL_E_BUFFER_TOO_SMALL) Check(code, "xerial_session_get");
                var buffer = new byte[checked((int)needed.ToUInt64())];
                UIntPtr written;
                code = XerialNative.xerial_session_get(buffer, new UIntPtr((uint)buffer.Length), out written);
                if (code == XerialConstants.XERIAL_E_BUFFER_TOO_SMALL) continue; // replaced meanwhile: ask again
                if (code == XerialConstants.XERIAL_E_NOT_LOGGED_IN) return null;
                Check(code, "xerial_session_get");
                int length = checked((int)written.ToUInt64()) - 1; // without the NUL
                return Utf8.Decode(buffer, length < 0 ? 0 : length);
            }
            throw new XerialException(XerialCode.Internal, "xerial_session_get kept changing size");
        }

        /// <summary>The session's tokens, or null when logged out.</summary>
        public static XerialTokens GetSession()
        {
            string json = GetSessionJson();
            return json == null ? null : XerialTokens.Read(JsonValue.Parse(json));
        }

        /// <summary>Forgets the session locally (memory and SessionPath file); sends nothing.</summary>
        public static void ClearSession()
        {
            Check(XerialNative.xerial_session_clear(), "xerial_session_clear");
        }

        // ---- helpers ----

        private static void Check(int code, string what)
        {
            if (code != XerialConstants.XERIAL_OK)
                throw new XerialException((XerialCode)code, what + ": " + XerialException.NameOf((XerialCode)code));
        }

        private static uint NonNegative(int value, string name)
        {
            if (value < 0) throw new ArgumentOutOfRangeException(name, value, name + " must not be negative");
            return (uint)value;
        }

        private static void Free(IntPtr p) { if (p != IntPtr.Zero) Marshal.FreeHGlobal(p); }

        private static void CheckLibrary()
        {
            uint abi;
            try { abi = XerialNative.xerial_abi_version(); }
            catch (Exception e)
            {
                if (e is DllNotFoundException || e is EntryPointNotFoundException || e is BadImageFormatException)
                    throw new XerialException(XerialCode.Internal, LoadFailureMessage(e), inner: e);
                throw;
            }
            if ((abi >> 16) != BindingAbiMajor)
                throw new XerialException(XerialCode.Internal, string.Format(
                    "libxerial implements ABI {0}.{1}; this C# binding needs ABI {2}.x: use the library and binding of one release",
                    abi >> 16, abi & 0xFFFF, BindingAbiMajor));
        }

        internal static string LoadFailureMessage(Exception e)
        {
            return "could not call the native library '" + XerialNative.Library + "' (" + e.GetType().Name + ": " + e.Message +
                   "). Put libxerial.so / xerial.dll / libxerial.dylib for this platform and CPU where the runtime finds it " +
                   "(Unity: the package's Runtime/Plugins/<os>-<arch>/, see its README).";
        }

        private static string InitFailureMessage(XerialCode code)
        {
            switch (code)
            {
                case XerialCode.AlreadyInitialized:
                    return "xerial_init: the library is already initialised by a previous domain or another binding " +
                           "(call XerialSdk.Shutdown before a domain reload)";
                case XerialCode.InvalidArgument:
                    return "xerial_init: invalid settings (BaseUrl/MarketplaceUrl must be http(s) URLs; plain http:// only " +
                           "to loopback unless AllowInsecureHttp; Dispatch Poll or Immediate)";
                default:
                    return "xerial_init failed: " + XerialException.NameOf(code);
            }
        }

    }
}
