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

        /// <summary>The library's version, e.g. "0.1.0". Throws XerialException LibraryUnavailable when it cannot be loaded.</summary>
        public static string NativeVersion { get { return Utf8.Read(Native(XerialNative.xerial_version)); } }

        /// <summary>`major << 16 | minor` of the loaded library. Throws XerialException LibraryUnavailable when it cannot be loaded.</summary>
        public static uint NativeAbiVersion { get { return Native(XerialNative.xerial_abi_version); } }

        /// <summary>The native name of a code, e.g. "XERIAL_E_NOT_FOUND" ("XERIAL_E_UNKNOWN" for unknown values).</summary>
        public static string CodeName(XerialCode code) { return Utf8.Read(XerialNative.xerial_code_name((int)code)); }

        /// <summary>
        /// Initialises the SDK. Throws XerialException: AlreadyInitialized (call Shutdown first),
        /// InvalidArgument (a URL that does not parse, or plain http:// to a non-loopback host
        /// without AllowInsecureHttp), LibraryUnavailable (the native library is missing for this
        /// platform and CPU, or is of another ABI major; the message says which).
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
                IntPtr extraRootCaPem = IntPtr.Zero, proxyUrl = IntPtr.Zero, authorizeUrl = IntPtr.Zero, tokenUrl = IntPtr.Zero;
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
                    config.oauth_authorize_url = authorizeUrl = Utf8.AllocHGlobal(settings.OAuthAuthorizeUrl);
                    config.oauth_token_url = tokenUrl = Utf8.AllocHGlobal(settings.OAuthTokenUrl);
                    if (settings.SessionStore != XerialSessionStore.Default && (NativeAbiVersion & 0xFFFF) < 3)
                        throw new XerialException(XerialCode.InvalidArgument,
                            "SessionStore needs libxerial ABI 1.3 or later; the loaded library is older");
                    config.session_store = (ulong)settings.SessionStore;
                    config.dispatch = (uint)settings.Dispatch;
                    config.allow_insecure_http = settings.AllowInsecureHttp ? (byte)1 : (byte)0;
                    XerialHttp.Configure(settings.HttpTransport, ref config);

                    InstallLog(); // before init, so that init's own failure reasons are logged
                    int code = XerialNative.xerial_init(ref config);
                    if (code != XerialConstants.XERIAL_OK)
                    {
                        XerialHttp.Uninstall();
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
                    Free(extraRootCaPem); Free(proxyUrl); Free(authorizeUrl); Free(tokenUrl);
                }
            }
        }

        /// <summary>
        /// Shuts the SDK down: every request still in flight completes before this returns, on this
        /// thread (faulting with XerialCode.Shutdown, or OutcomeUnknown for a value-moving call that
        /// may have been sent); no completion of this generation runs afterwards. Also detaches
        /// every native → managed callback (log, auth listener), so that the domain can unload.
        /// Idempotent. Call it from the thread that polls.
        ///
        /// The session stays in its store (SessionStore) and the next Initialize reads it again;
        /// with SessionStore Memory (and in a WebGL build, which has no protected store) it lived
        /// only in the SDK's memory, and the next Initialize starts logged out. To keep the player
        /// across a Shutdown/Initialize then, carry the token pair over yourself: <c>string s = XerialSdk.GetSessionJson(); XerialSdk.Shutdown(); …
        /// XerialSdk.Initialize(settings); if (s != null) XerialSdk.SetSession(s);</c> (XerialUnity
        /// does exactly this around domain reloads). The token pair is a secret: keep it in memory,
        /// never in a log.
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
                    XerialHttp.Uninstall();
                    XerialNative.xerial_set_auth_listener(null, IntPtr.Zero);
                    UninstallLog();
                    DrainLog();
                }
            }
        }

        /// <summary>
        /// Runs the completions queued when it starts, on this thread; returns how many ran.
        /// maxCallbacks 0: no limit. Cheap when nothing is queued; never blocks. Call once per frame
        /// (XerialUnity does, from the player loop and, in edit mode, from EditorApplication.update).
        ///
        /// Completing a Task runs its synchronous continuations right there, inside Poll: when the
        /// awaiting code has no SynchronizationContext to resume on (an edit-mode test, an Editor
        /// tool, a plain thread, ConfigureAwait(false)), the code after <c>await</c> runs inside
        /// this Poll. A Poll called while another one is running on the stack (from a callback or
        /// such a continuation) is nested: it runs nothing and returns 0. So never pump
        /// <c>while (!t.IsCompleted) XerialSdk.Poll();</c> after an <c>await</c> of an SDK call: it
        /// never ends. Await the second call as well and let the outermost loop poll (or, in a
        /// test, poll only from the test's top level).
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
        /// Forwards the SDK's log records of level ≤ minLevel to handler (null or Off: none), on
        /// the polling thread, inside Poll() and Shutdown(), so a Unity handler may call Debug.Log.
        /// In poll dispatch (the default, and XerialUnity's) the library never calls its log
        /// callback from its own threads: what its workers log waits in its queue for the next
        /// xerial_poll, and what a call logs goes out during that call, on the caller's thread; the
        /// binding queues records once more and hands them over inside Poll/Shutdown. Safe to leave
        /// on in the Editor and in players (no SDK thread ever enters the scripting runtime).
        /// Messages never contain tokens, signatures or Authorization values. Kept across
        /// Shutdown/Initialize; attached to the library only while initialised.
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
            // Poll dispatch: the polling thread or a thread calling into the SDK (Immediate: any).
            // Copy the borrowed message and queue it; nothing else.
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
        /// page, or GetSessionJson earlier); kept in the configured SessionStore.
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

        /// <summary>Forgets the session locally (memory and the SessionStore); sends nothing.</summary>
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

        /// <summary>Calls a parameterless native function; a library that cannot be loaded is LibraryUnavailable.</summary>
        private static T Native<T>(Func<T> function)
        {
            try { return function(); }
            catch (Exception e)
            {
                if (IsLoadFailure(e)) throw new XerialException(XerialCode.LibraryUnavailable, LoadFailureMessage(e), inner: e);
                throw;
            }
        }

        /// <summary>What the runtime throws when the native library (or one of its functions) cannot be used.</summary>
        internal static bool IsLoadFailure(Exception e)
        {
            return e is DllNotFoundException || e is EntryPointNotFoundException || e is BadImageFormatException;
        }

        private static void CheckLibrary()
        {
            uint abi = NativeAbiVersion;
            if ((abi >> 16) != BindingAbiMajor)
                throw new XerialException(XerialCode.LibraryUnavailable, string.Format(
                    "libxerial implements ABI {0}.{1}; this C# binding needs ABI {2}.x: use the library and binding of one release",
                    abi >> 16, abi & 0xFFFF, BindingAbiMajor));
        }

        internal static string LoadFailureMessage(Exception e)
        {
            return "the native Xerial library '" + XerialNative.Library + "' is missing or unusable here (" + e.GetType().Name + ": " + e.Message +
                   "). Put libxerial.so / xerial.dll / libxerial.dylib for this platform and CPU where the runtime finds it " +
                   "(Unity: the package's Runtime/Plugins/<os>-<arch>/, already there in the release tarball; see its README).";
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
