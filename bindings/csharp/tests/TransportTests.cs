// The host transport from C#: XerialSettings.HttpTransport runs the SDK inside Poll() with the
// game's HTTP stack. Here that stack is XerialUnityWebRequestTransport over the test-only
// UnityWebRequest stand-in (UnityStub/UnityWebRequest.cs: real HTTP to the offline server,
// completions raised on the main thread during a frame, as Unity does).
using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using UnityEngine.Networking;
using Xerial.Unity;

namespace Xerial.Tests
{
    public static class TransportTests
    {
        private const string PurchasePath = "/api/wallet/" + Mock.DemoWallet + "/polygon/primary-purchase";

        /// <summary>One frame: Unity's web requests complete, then the SDK polls.</summary>
        private static void Frame()
        {
            UnityWebRequest.RunCompletions();
            XerialSdk.Poll();
        }

        private static TR Await<TR>(Task<TR> task, string what, int timeoutMs = 10000)
        {
            Frames(() => task.IsCompleted, timeoutMs);
            if (task.IsFaulted) throw new TestFailure(what + ": expected success, got " + task.Exception.InnerException);
            return task.Result;
        }

        private static XerialException Fails(Task task, XerialCode code, int timeoutMs = 10000)
        {
            Frames(() => task.IsCompleted, timeoutMs);
            var e = task.IsFaulted ? task.Exception.InnerException as XerialException : null;
            if (e == null) throw new TestFailure("expected a XerialException, got " + task.Status);
            T.Eq(code, e.Code, "code (" + e.Message + ")");
            return e;
        }

        private static void Frames(Func<bool> done, int timeoutMs)
        {
            var sw = Stopwatch.StartNew();
            while (!done())
            {
                if (sw.ElapsedMilliseconds > timeoutMs) throw new TestFailure("timed out after " + timeoutMs + " ms");
                Frame();
                Thread.Sleep(1);
            }
        }

        private static XerialSettings With(XerialHttpTransport transport, int timeoutMs = 10000)
        {
            XerialSettings settings = T.Settings();
            settings.TimeoutMs = timeoutMs;
            settings.HttpTransport = transport;
            return settings;
        }

        private sealed class Throwing : XerialHttpTransport
        {
            public override void Send(XerialHttpRequest request) { throw new InvalidOperationException("no network today"); }
        }

        public static void Register()
        {
            T.Case("transport: UnityWebRequest carries the calls inside Poll (reads, logout 204 then 404, Retry-After, a purchase sent once)", () =>
            {
                var transport = new XerialUnityWebRequestTransport();
                XerialSdk.Initialize(With(transport));
                int started = UnityWebRequest.Started;
                NativeBalance balance = Await(XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon"), "read");
                T.Check(balance.Json.Contains("balance"), "balance " + balance.Json);
                T.Check(UnityWebRequest.Started > started, "the read went through UnityWebRequest");

                string session = Mock.NewSession();
                XerialSdk.SetSession(session);
                string refresh = Xerial.Json.JsonValue.Parse(session)["refresh"].GetString("token");
                Await(XerialSdk.LogoutAsync(refresh), "logout");
                Fails(XerialSdk.LogoutAsync(refresh), XerialCode.NotFound);

                Mock.Fault("POST", "/api/auth/logout",
                    "{\"kind\":\"status\",\"status\":429,\"retryAfter\":2,\"body\":{\"code\":429,\"message\":\"Slow Down\"}}", 1);
                XerialException limited = Fails(XerialSdk.LogoutAsync("another-token"), XerialCode.RateLimited);
                T.Eq(TimeSpan.FromSeconds(2), limited.RetryAfter, "Retry-After read from UnityWebRequest's headers");

                XerialSdk.SetSession(Mock.NewSession());
                TransactionResult tx = Await(XerialSdk.PrimaryPurchaseAsync(Mock.DemoWallet, "polygon", Mock.Gear, "1", 1), "purchase");
                T.Check(tx.TransactionHash.StartsWith("0x"), "hash " + tx.TransactionHash);
                T.Eq(1L, Mock.Count("POST", PurchasePath), "the purchase reached the server once");
                T.Eq(0, transport.InFlight, "nothing left in flight");
            });

            T.Case("transport: the SDK's deadline aborts the UnityWebRequest; a purchase that hangs is OutcomeUnknown, sent once", () =>
            {
                var transport = new XerialUnityWebRequestTransport();
                XerialSdk.Initialize(With(transport, 600));
                XerialSdk.SetSession(Mock.NewSession());
                Mock.Fault("POST", PurchasePath, "{\"kind\":\"hang\"}");
                var sw = Stopwatch.StartNew();
                Fails(XerialSdk.PrimaryPurchaseAsync(Mock.DemoWallet, "polygon", Mock.Gear, "1", 1), XerialCode.OutcomeUnknown, 5000);
                T.Check(sw.ElapsedMilliseconds >= 500 && sw.ElapsedMilliseconds < 4000, "answered after " + sw.ElapsedMilliseconds + " ms");
                T.Eq(0, transport.InFlight, "the request was cancelled (aborted)");
                T.Eq(1L, Mock.Count("POST", PurchasePath), "sent once");
                // A hang to a read: Timeout, and shutdown leaves nothing behind.
                Mock.Fault("GET", "/api/wallet/" + Mock.DemoWallet + "/polygon/eth", "{\"kind\":\"hang\"}");
                Task<NativeBalance> read = XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon");
                Frames(() => transport.InFlight == 1, 5000);
                XerialSdk.Shutdown();
                T.Check(read.IsFaulted && ((XerialException)read.Exception.InnerException).Code == XerialCode.Shutdown, "Shutdown");
                T.Eq(0, transport.InFlight, "shutdown cancelled the open request");
            });

            T.Case("transport: a transport that throws never reaches native code; the call fails (may have been sent)", () =>
            {
                Exception reported = null;
                Action<Exception> sink = e => reported = e;
                XerialSdk.UnhandledCallbackException += sink;
                try
                {
                    XerialSdk.Initialize(With(new Throwing()));
                    XerialSdk.SetSession(Mock.NewSession());
                    XerialException e = Fails(XerialSdk.PrimaryPurchaseAsync(Mock.DemoWallet, "polygon", Mock.Gear, "1", 1), XerialCode.OutcomeUnknown);
                    T.Check(e.Message.Contains("the transport threw"), e.Message);
                    T.Check(reported is InvalidOperationException, "reported: " + reported);
                    T.Eq(0L, Mock.Count("POST", PurchasePath), "nothing reached the server");
                }
                finally
                {
                    XerialSdk.UnhandledCallbackException -= sink;
                }
            });

            T.Case("transport: HttpTransport needs poll dispatch", () =>
            {
                XerialSettings settings = With(new XerialUnityWebRequestTransport());
                settings.Dispatch = XerialDispatch.Immediate;
                T.Eq(XerialCode.InvalidArgument, T.Throws(() => XerialSdk.Initialize(settings)).Code, "code");
                T.Check(!XerialSdk.IsInitialized, "not initialised");
            });
        }
    }
}
