// Lifecycle, session, logout (the documented answers), the callback overloads, UTF-8 and the
// JSON reader.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Xerial.Json;
using Xerial.Native;

namespace Xerial.Tests
{
    public static class CoreTests
    {
        public static void Register()
        {
            T.Case("native: ABI major matches, version and code names read as UTF-8", () =>
            {
                uint abi = XerialSdk.NativeAbiVersion;
                T.Eq(XerialSdk.BindingAbiMajor, abi >> 16, "ABI major");
                T.Check((abi & 0xFFFF) >= (XerialConstants.XERIAL_ABI_VERSION & 0xFFFF),
                    "library ABI minor " + (abi & 0xFFFF) + " older than the header the binding was written for");
                T.Check(System.Text.RegularExpressions.Regex.IsMatch(XerialSdk.NativeVersion, @"^\d+\.\d+\.\d+"), "version " + XerialSdk.NativeVersion);
                T.Eq("XERIAL_E_NOT_FOUND", XerialSdk.CodeName(XerialCode.NotFound), "code name");
                T.Eq("XERIAL_OK", XerialSdk.CodeName(XerialCode.Ok), "code name");
                T.Eq("XERIAL_E_UNKNOWN", XerialSdk.CodeName((XerialCode)12345), "unknown code name");
            });

            T.Case("native: xerial_config_init fills the C# struct (struct_size, documented defaults)", () =>
            {
                XerialConfig c = new XerialConfig();
                T.Eq(XerialConstants.XERIAL_OK, XerialNative.xerial_config_init(ref c, new UIntPtr((uint)Marshal.SizeOf(typeof(XerialConfig)))), "config_init");
                T.Eq((uint)Marshal.SizeOf(typeof(XerialConfig)), c.struct_size, "struct_size = sizeof(XerialConfig)");
                T.Eq("https://wallet.xerial.io", Utf8.Read(c.base_url), "base_url");
                T.Eq(IntPtr.Zero, c.marketplace_url, "marketplace_url");
                T.Eq(IntPtr.Zero, c.project_id, "project_id");
                T.Eq(30000u, c.timeout_ms, "timeout_ms");
                T.Eq(10000u, c.connect_timeout_ms, "connect_timeout_ms");
                T.Eq(1u, c.worker_threads, "worker_threads");
                T.Eq((uint)XerialConstants.XERIAL_DISPATCH_POLL, c.dispatch, "dispatch");
                T.Eq(2u, c.max_retries, "max_retries");
                T.Eq(IntPtr.Zero, c.session_path, "session_path");
                T.Eq((byte)0, c.allow_insecure_http, "allow_insecure_http");
                T.Eq(IntPtr.Zero, c.extra_root_ca_pem, "extra_root_ca_pem");
                T.Eq(IntPtr.Zero, c.proxy_url, "proxy_url");
                T.Eq(IntPtr.Zero, c.oauth_authorize_url, "oauth_authorize_url");
                T.Eq(IntPtr.Zero, c.oauth_token_url, "oauth_token_url");
                T.Eq(IntPtr.Zero, c.transport, "transport");
                T.Eq(0UL, c.run_mode, "run_mode");
                T.Eq(XerialConstants.XERIAL_SESSION_STORE_DEFAULT, c.session_store, "session_store");
                T.Eq(IntPtr.Zero, c.session_host, "session_host");
            });

            T.Case("init: invalid settings are InvalidArgument and leave the SDK uninitialised", () =>
            {
                XerialException e = T.Throws(() => XerialSdk.Initialize(new XerialSettings { BaseUrl = "not a url" }));
                T.Eq(XerialCode.InvalidArgument, e.Code, "code for a bad URL");
                e = T.Throws(() => XerialSdk.Initialize(new XerialSettings { BaseUrl = "http://example.com" }));
                T.Eq(XerialCode.InvalidArgument, e.Code, "code for plain http to a non-loopback host");
                e = T.Throws(() => XerialSdk.Initialize(new XerialSettings { BaseUrl = T.Url, TimeoutMs = -1 }));
                T.Eq(XerialCode.InvalidArgument, e.Code, "code for a negative timeout");
                T.Check(!XerialSdk.IsInitialized, "still uninitialised");
                T.Eq(0, XerialSdk.Poll(), "Poll before init");
                XerialSdk.Initialize(new XerialSettings { BaseUrl = "http://example.com", AllowInsecureHttp = true });
                XerialSdk.Shutdown();
            });

            T.Case("settings: SessionPath persists the session across initialisations; ProxyUrl and ExtraRootCaPem reach the library", () =>
            {
                string path = System.IO.Path.Combine(T.BuildDir, "session-" + Guid.NewGuid().ToString("N") + ".json");
                var s = T.Settings();
                s.SessionStore = XerialSessionStore.File;
                s.SessionPath = path;
                XerialSdk.Initialize(s);
                XerialSdk.SetSession(Mock.NewSession());
                XerialSdk.Shutdown();
                T.Check(System.IO.File.Exists(path), "session file written");
                XerialSdk.Initialize(s);
                T.Eq(XerialAuthState.LoggedIn, XerialSdk.AuthState, "restored from the file");
                T.Await(XerialSdk.LogoutAsync());
                T.Check(!System.IO.File.Exists(path), "logout deletes the file");
                XerialSdk.Shutdown();

                s = T.Settings();
                s.ExtraRootCaPem = "not a certificate";
                T.Eq(XerialCode.InvalidArgument, T.Throws(() => XerialSdk.Initialize(s)).Code, "a bad PEM is refused at init");
                s = T.Settings();
                s.ProxyUrl = "http://127.0.0.1:1"; // nothing listens there: every call must fail through it
                s.MaxRetries = 0;
                XerialSdk.Initialize(s);
                T.ExpectError(XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon"), XerialCode.Network, 0);
                T.Eq(0L, Mock.Count("GET", "/api/wallet/" + Mock.DemoWallet + "/polygon/eth"), "nothing reached the server directly");
            });

            T.Case("settings: the default SessionStore keeps the session across initialisations in the OS's store (run.sh: no D-Bus, the 0600 file)", () =>
            {
                var s = T.Settings();
                s.SessionStore = XerialSessionStore.Default;
                s.ProjectId = "csharp-" + Guid.NewGuid().ToString("N");
                XerialSdk.Initialize(s);
                T.Eq(XerialAuthState.LoggedOut, XerialSdk.AuthState, "nothing stored for a new project");
                string session = Mock.NewSession();
                XerialSdk.SetSession(session);
                XerialSdk.Shutdown(); // writes the last change
                XerialSdk.Initialize(s);
                T.PollUntil(() => XerialSdk.AuthState == XerialAuthState.LoggedIn, 5000, "the stored session");
                T.Eq(XerialTokens.Read(JsonValue.Parse(session)).ToJson(), XerialTokens.Read(JsonValue.Parse(XerialSdk.GetSessionJson())).ToJson(), "the same token pair");
                XerialSdk.ClearSession();
                XerialSdk.Shutdown();
                XerialSdk.Initialize(s);
                T.Eq(XerialAuthState.LoggedOut, XerialSdk.AuthState, "cleared from the store");
                XerialSdk.Shutdown();
            });

            T.Case("init: twice is AlreadyInitialized; Shutdown is idempotent; init again works", () =>
            {
                T.Init();
                T.Eq(XerialCode.AlreadyInitialized, T.Throws(T.Init).Code, "second Initialize");
                XerialSdk.Shutdown();
                XerialSdk.Shutdown();
                T.Init();
                T.Check(XerialSdk.IsInitialized, "initialised again");
            });

            T.Case("calls before init and after shutdown: NotInitialized, nothing sent, no handle kept", () =>
            {
                long before = Mock.Count("POST", "/api/auth/logout");
                T.ExpectError(XerialSdk.LogoutAsync("t"), XerialCode.NotInitialized);
                T.Eq(XerialCode.NotInitialized, T.Throws(() => XerialSdk.Logout("t", (r, e) => { throw new Exception("must never run"); })).Code, "callback overload");
                T.Init();
                XerialSdk.Shutdown();
                T.ExpectError(XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon"), XerialCode.NotInitialized);
                T.Eq(before, Mock.Count("POST", "/api/auth/logout"), "requests sent");
                T.Eq(0, XerialSdk.PendingRequests, "handles");
                T.Eq(XerialCode.NotInitialized, T.Throws(() => XerialSdk.SetSession(Mock.NewSession())).Code, "SetSession");
                T.Eq(XerialAuthState.LoggedOut, XerialSdk.AuthState, "AuthState before init");
            });

            T.Case("utf8: strings cross both ways intact; U+0000 is InvalidArgument before anything is sent", () =>
            {
                T.Init();
                const string fancy = "tok-é ✓ 日本語 🎮 \"quoted\" \\ back";
                var pair = JsonValue.Parse(Mock.NewSession());
                var tokens = XerialTokens.Read(pair);
                tokens.AccessToken = tokens.AccessToken + fancy;
                tokens.RefreshToken = fancy + tokens.RefreshToken;
                XerialSdk.SetSession(tokens.ToJson());
                XerialTokens back = XerialSdk.GetSession();
                T.Eq(tokens.AccessToken, back.AccessToken, "access token through set/get");
                T.Eq(tokens.RefreshToken, back.RefreshToken, "refresh token through set/get");
                long before = Mock.Count("POST", "/api/auth/logout");
                T.ExpectError(XerialSdk.LogoutAsync("abc\0def"), XerialCode.InvalidArgument);
                T.Eq(XerialCode.InvalidArgument, T.Throws(() => XerialSdk.Logout("abc\0def", (r, e) => { })).Code, "callback overload");
                T.Eq(before, Mock.Count("POST", "/api/auth/logout"), "nothing sent");
                // and a non-ASCII token reaches the server and comes back as its 404
                XerialException nf = T.ExpectError(XerialSdk.LogoutAsync(fancy), XerialCode.NotFound, 404);
                T.Eq("Not Found", nf.Message, "message");
            });

            T.Case("session: set/get/clear, AuthState, AuthStateChanged inside Poll, malformed JSON refused", () =>
            {
                T.Init();
                var states = new List<XerialAuthState>();
                int pollThread = Thread.CurrentThread.ManagedThreadId;
                int wrongThread = 0;
                Action<XerialAuthState> listener = s => { states.Add(s); if (Thread.CurrentThread.ManagedThreadId != pollThread) wrongThread++; };
                XerialSdk.AuthStateChanged += listener;
                try
                {
                    T.Eq(XerialAuthState.LoggedOut, XerialSdk.AuthState, "state before");
                    T.Check(XerialSdk.GetSessionJson() == null, "no session JSON while logged out");
                    string pair = Mock.NewSession();
                    XerialSdk.SetSession(pair);
                    T.Eq(XerialAuthState.LoggedIn, XerialSdk.AuthState, "state after SetSession");
                    XerialTokens given = XerialTokens.Read(JsonValue.Parse(pair)), got = XerialTokens.Read(JsonValue.Parse(XerialSdk.GetSessionJson()));
                    T.Eq(given.ToJson(), got.ToJson(), "GetSessionJson gives the pair back");
                    T.Check(XerialSdk.GetSession().AccessExpiresUtc.HasValue, "expiry parses");
                    T.Eq(0, states.Count, "listener runs only inside Poll");
                    T.PollUntil(() => states.Count == 1, 5000, "the LoggedIn notification");
                    XerialSdk.ClearSession();
                    T.Eq(XerialAuthState.LoggedOut, XerialSdk.AuthState, "state after ClearSession");
                    T.PollUntil(() => states.Count == 2, 5000, "the LoggedOut notification");
                    T.Eq(XerialAuthState.LoggedIn, states[0], "first notification");
                    T.Eq(XerialAuthState.LoggedOut, states[1], "second notification");
                    T.Eq(0, wrongThread, "notifications off the polling thread");
                    T.Eq(XerialCode.InvalidArgument, T.Throws(() => XerialSdk.SetSession("{\"access\":1}")).Code, "malformed pair");
                    T.Eq(XerialCode.InvalidArgument, T.Throws(() => XerialSdk.SetSession(null)).Code, "null pair");
                    T.Eq(XerialAuthState.LoggedOut, XerialSdk.AuthState, "nothing changed");
                }
                finally
                {
                    XerialSdk.AuthStateChanged -= listener;
                }
            });

            T.Case("logout: 204 with an explicit refresh token (OK, HttpStatus 204, empty body)", () =>
            {
                T.Init();
                string refresh = XerialTokens.Read(JsonValue.Parse(Mock.NewSession())).RefreshToken;
                LogoutResult r = T.Await(XerialSdk.LogoutAsync(refresh));
                T.Eq(204, r.HttpStatus, "http status");
                T.Eq("", r.Json, "body");
                T.Check(r.RequestId != 0, "request id");
                T.Eq(1L, Mock.Count("POST", "/api/auth/logout"), "sent once");
            });

            T.Case("logout: the current session is cleared locally at once, then revoked (204)", () =>
            {
                T.Init();
                XerialSdk.SetSession(Mock.NewSession());
                Task<LogoutResult> t = XerialSdk.LogoutAsync();
                T.Eq(XerialAuthState.LoggedOut, XerialSdk.AuthState, "logged out before any answer");
                T.Eq(204, T.Await(t).HttpStatus, "revoked");
                T.ExpectError(XerialSdk.LogoutAsync(), XerialCode.NotLoggedIn);
            });

            T.Case("logout: 404 {\"code\":404,\"message\":\"Not Found\"} is NotFound with its message and body", () =>
            {
                T.Init();
                XerialException e = T.ExpectError(XerialSdk.LogoutAsync("not-a-live-token"), XerialCode.NotFound, 404);
                T.Eq("Not Found", e.Message, "message");
                T.Check(!e.Retryable, "not retryable");
                T.Eq(null, e.RetryAfter, "no Retry-After");
                JsonValue body = JsonValue.Parse(e.Body);
                T.Eq(404L, body.GetLong("code"), "body code");
                T.Eq("Not Found", body.GetString("message"), "body message");
                T.Eq("XERIAL_E_NOT_FOUND", e.CodeName, "code name");
                T.Check(e.RequestId != 0, "request id");
            });

            T.Case("logout: 500 is Server, retryable, and not retried after sending", () =>
            {
                T.Init();
                Mock.Fault("POST", "/api/auth/logout", "{\"kind\":\"status\",\"status\":500,\"body\":{\"error\":\"Internal Server Error\"}}", 1);
                XerialException e = T.ExpectError(XerialSdk.LogoutAsync("whatever"), XerialCode.Server, 500);
                T.Check(e.Retryable, "retryable");
                T.Eq(1L, Mock.Count("POST", "/api/auth/logout"), "sent once");
            });

            T.Case("logout: 429 with Retry-After is RateLimited with RetryAfter", () =>
            {
                T.Init();
                Mock.Fault("POST", "/api/auth/logout", "{\"kind\":\"status\",\"status\":429,\"text\":\"slow down\",\"retryAfter\":1}", 1);
                XerialException e = T.ExpectError(XerialSdk.LogoutAsync("whatever"), XerialCode.RateLimited, 429);
                T.Check(e.Retryable, "retryable");
                T.Eq((TimeSpan?)TimeSpan.FromSeconds(1), e.RetryAfter, "RetryAfter");
            });

            T.Case("logout: a dropped connection after sending is Network (not retried)", () =>
            {
                T.Init();
                Mock.Fault("POST", "/api/auth/logout", "{\"kind\":\"drop\"}", 1);
                XerialException e = T.ExpectError(XerialSdk.LogoutAsync("whatever"), XerialCode.Network, 0);
                T.Check(e.Retryable, "retryable");
                T.Eq(1L, Mock.Count("POST", "/api/auth/logout"), "sent once");
            });

            T.Case("callback overload: exactly one of result/error, once, inside Poll on the polling thread", () =>
            {
                T.Init();
                int calls = 0, thread = 0;
                LogoutResult ok = null;
                XerialException err = null;
                string refresh = XerialTokens.Read(JsonValue.Parse(Mock.NewSession())).RefreshToken;
                ulong id1 = XerialSdk.Logout(refresh, (r, e) => { calls++; ok = r; T.Check(e == null, "error with a result"); thread = Thread.CurrentThread.ManagedThreadId; });
                ulong id2 = XerialSdk.Logout("nope", (r, e) => { calls++; err = e; T.Check(r == null, "result with an error"); });
                T.Check(id1 != 0 && id2 > id1, "ids increase");
                T.Eq(0, calls, "nothing before Poll");
                T.PollUntil(() => calls == 2, 10000, "both callbacks");
                for (int i = 0; i < 5; i++) { XerialSdk.Poll(); Thread.Sleep(5); }
                T.Eq(2, calls, "each ran once");
                T.Eq(204, ok.HttpStatus, "success");
                T.Eq(id1, ok.RequestId, "result's request id");
                T.Eq(XerialCode.NotFound, err.Code, "error");
                T.Eq(id2, err.RequestId, "error's request id");
                T.Eq(Thread.CurrentThread.ManagedThreadId, thread, "callback thread");
            });

            T.Case("callbacks: an exception thrown by game code is reported, never crosses into native code", () =>
            {
                T.Init();
                var reported = new List<Exception>();
                Action<Exception> sink = e => reported.Add(e);
                XerialSdk.UnhandledCallbackException += sink;
                try
                {
                    bool second = false;
                    XerialSdk.Logout("x", (r, e) => { throw new InvalidOperationException("game bug"); });
                    XerialSdk.Logout("y", (r, e) => { second = true; });
                    T.PollUntil(() => second && reported.Count == 1, 10000, "both callbacks");
                    T.Check(reported[0] is InvalidOperationException, "reported " + reported[0]);
                    T.Eq(0, XerialSdk.PendingRequests, "handles freed");
                }
                finally
                {
                    XerialSdk.UnhandledCallbackException -= sink;
                }
            });

            T.Case("json: exact numbers, escapes, surrogate pairs, nulls; malformed and too deep are refused", () =>
            {
                JsonValue v = JsonValue.Parse("{\"a\":115792089237316195423570985008687907853269984665640564039457584007913129639935,\"b\":\"\\u00e9\\ud83c\\udfae\\n\",\"c\":[1,2.5e-3,true,null],\"d\":null}");
                T.Eq("115792089237316195423570985008687907853269984665640564039457584007913129639935", v.GetString("a"), "uint256 kept exactly");
                T.Eq("é🎮\n", v.GetString("b"), "escapes");
                T.Eq(4, v["c"].Count, "array");
                T.Eq("2.5e-3", v["c"][1].AsString(), "number text");
                T.Check(v["d"].IsNull && v["missing"] == null, "null vs missing");
                T.Eq("{\"a\":115792089237316195423570985008687907853269984665640564039457584007913129639935,\"b\":\"é🎮\\n\",\"c\":[1,2.5e-3,true,null],\"d\":null}", v.ToJson(), "round trip");
                foreach (string bad in new[] { "", "{", "{\"a\":}", "[1,]", "01", "\"\\x\"", "{\"a\":1} x", "tru", "\"\u0001\"", "1." })
                {
                    JsonValue ignored;
                    T.Check(!JsonValue.TryParse(bad, out ignored), "accepted malformed " + bad);
                }
                JsonValue ignored2;
                T.Check(!JsonValue.TryParse(new string('[', 300) + new string(']', 300), out ignored2), "accepted 300 levels");
                T.Check(JsonValue.TryParse(new string('[', 200) + new string(']', 200), out ignored2), "refused 200 levels");
            });
        }
    }
}
