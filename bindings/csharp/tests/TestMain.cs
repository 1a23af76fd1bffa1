// The C# binding's test runner (a plain Main: one line per case, then "N passed, N failed" alone
// on the last line; exit code 0 only when every case passed).
//
//   mono XerialTests.exe MOCK_URL [WORD...]      run the cases whose names contain a WORD
//   mono XerialTests.exe --child SCENARIO URL    internal: a child process for the exit tests
//
// Environment (set by run.sh): XERIAL_REPO (repository root), XERIAL_TEST_BUILD (build dir with
// the compiled assemblies), CC (C compiler for the layout check), MCS (C# compiler).
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xerial;

namespace Xerial.Tests
{
    public sealed class TestFailure : Exception
    {
        public TestFailure(string message) : base(message) { }
    }

    public static partial class T
    {
        public static string Url;
        public static string Repo;
        public static string BuildDir;

        private static readonly List<KeyValuePair<string, Action>> Cases = new List<KeyValuePair<string, Action>>();

        public static void Case(string name, Action body) { Cases.Add(new KeyValuePair<string, Action>(name, body)); }

        public static int Main(string[] args)
        {
            if (args.Length >= 1 && args[0] == "--child") return Children.Run(args);
            if (args.Length < 1)
            {
                Console.Error.WriteLine("usage: XerialTests.exe MOCK_URL [WORD...]");
                return 2;
            }
            Url = args[0].TrimEnd('/');
            Repo = Environment.GetEnvironmentVariable("XERIAL_REPO") ?? Path.GetFullPath(Path.Combine(AppDomain.CurrentDomain.BaseDirectory, "../../../.."));
            BuildDir = Environment.GetEnvironmentVariable("XERIAL_TEST_BUILD") ?? AppDomain.CurrentDomain.BaseDirectory;
            var filters = new List<string>();
            for (int i = 1; i < args.Length; i++) filters.Add(args[i]);

            HeaderTests.Register();
            CoreTests.Register();
            AmountTests.Register();
            ApiTests.Register();
            StressTests.Register();
            UnityTests.Register();
            SignInTests.Register();
            TransportTests.Register();

            int passed = 0, failed = 0;
            foreach (KeyValuePair<string, Action> c in Cases)
            {
                if (filters.Count > 0 && !filters.Exists(f => c.Key.Contains(f))) continue;
                var sw = Stopwatch.StartNew();
                string error = null;
                try
                {
                    Mock.Reset();
                    c.Value();
                    // Every case leaves the SDK down, with every GCHandle freed.
                    if (XerialSdk.IsInitialized) XerialSdk.Shutdown();
                    if (XerialSdk.PendingRequests != 0)
                        error = "left " + XerialSdk.PendingRequests + " request handle(s) behind after Shutdown";
                }
                catch (Exception e)
                {
                    error = e is TestFailure ? e.Message : e.ToString();
                    try { XerialSdk.Shutdown(); } catch (Exception) { }
                }
                XerialSdk.SetLogHandler(XerialLogLevel.Off, null);
                if (error == null)
                {
                    passed++;
                    Console.WriteLine("ok    {0} ({1} ms)", c.Key, sw.ElapsedMilliseconds);
                }
                else
                {
                    failed++;
                    Console.WriteLine("FAIL  {0}: {1}", c.Key, error.Replace("\n", "\n      "));
                }
            }
            Console.WriteLine("{0} passed, {1} failed", passed, failed);
            Console.Out.Flush();
            return failed == 0 && passed > 0 ? 0 : 1;
        }

        // ---- assertions ----

        public static void Check(bool condition, string what)
        {
            if (!condition) throw new TestFailure(what);
        }

        public static void Eq<TV>(TV expected, TV actual, string what)
        {
            if (!EqualityComparer<TV>.Default.Equals(expected, actual))
                throw new TestFailure(what + ": expected <" + expected + ">, got <" + actual + ">");
        }

        // ---- driving the SDK like a game loop ----

        public static XerialSettings Settings()
        {
            // Sessions stay in memory: the default store (the OS's, per user) would carry them from one case into the next.
            return new XerialSettings { BaseUrl = Url, MarketplaceUrl = Url, ProjectId = Mock.DemoProject, TimeoutMs = 10000, SessionStore = XerialSessionStore.Memory };
        }

        public static void Init() { XerialSdk.Initialize(Settings()); }

        /// <summary>Polls (like a frame loop) until <paramref name="done"/> or the deadline.</summary>
        public static void PollUntil(Func<bool> done, int timeoutMs = 10000, string what = "condition")
        {
            var sw = Stopwatch.StartNew();
            while (!done())
            {
                if (sw.ElapsedMilliseconds > timeoutMs) throw new TestFailure("timed out after " + timeoutMs + " ms waiting for " + what);
                XerialSdk.Poll();
                Thread.Sleep(1);
            }
        }

        /// <summary>Waits without polling (completions stay queued).</summary>
        public static void WaitUntil(Func<bool> done, int timeoutMs = 10000, string what = "condition")
        {
            var sw = Stopwatch.StartNew();
            while (!done())
            {
                if (sw.ElapsedMilliseconds > timeoutMs) throw new TestFailure("timed out after " + timeoutMs + " ms waiting for " + what);
                Thread.Sleep(2);
            }
        }

        public static TR Await<TR>(Task<TR> task, int timeoutMs = 10000)
        {
            PollUntil(() => task.IsCompleted, timeoutMs, "the task");
            if (task.IsFaulted) throw new TestFailure("expected success, got " + task.Exception.InnerException);
            if (task.IsCanceled) throw new TestFailure("expected success, got a cancelled task");
            return task.Result;
        }

        public static XerialException AwaitError(Task task, int timeoutMs = 10000)
        {
            PollUntil(() => task.IsCompleted, timeoutMs, "the task");
            if (!task.IsFaulted) throw new TestFailure("expected a XerialException, got " + task.Status);
            var e = task.Exception.InnerException as XerialException;
            if (e == null) throw new TestFailure("expected a XerialException, got " + task.Exception.InnerException);
            return e;
        }

        public static XerialException ExpectError(Task task, XerialCode code, int httpStatus = -1, int timeoutMs = 10000)
        {
            XerialException e = AwaitError(task, timeoutMs);
            Eq(code, e.Code, "code (" + e.Message + ")");
            if (httpStatus >= 0) Eq(httpStatus, e.HttpStatus, "http status");
            return e;
        }

        public static XerialException Throws(Action a)
        {
            try { a(); }
            catch (XerialException e) { return e; }
            throw new TestFailure("expected a XerialException");
        }
    }

    /// <summary>The offline server's admin API (/_mock/…), over a plain socket (no proxy settings apply).</summary>
    public static class Mock
    {
        public const string DemoProject = "6564b4f3fa203b318f65da05";
        public const string DemoWallet = "0x8e9DD3c1Db3254d968967CbC367542C343273629";
        public const string RivalWallet = "0x1111111111111111111111111111111111111111";
        public const string Gear = "0xC011EC7100000000000000000000000000000001";
        public const string Usdc = "0x3c499c542cef5e3811e1192ce70d8cc03d5c3359";

        public static void Reset() { Send("POST", "/_mock/reset", ""); }

        /// <summary>A fresh session of the demo player (token-pair JSON).</summary>
        public static string NewSession(string body = "{}") { return Send("POST", "/_mock/sessions", body).Value; }

        public static void Fault(string method, string path, string faultJson, int times = 0)
        {
            string rule = "{\"method\":\"" + method + "\",\"path\":\"" + path + "\"" + (times > 0 ? ",\"times\":" + times : "") + ",\"fault\":" + faultJson + "}";
            KeyValuePair<int, string> r = Send("POST", "/_mock/faults", rule);
            if (r.Key != 204) throw new TestFailure("mock refused fault " + rule + ": " + r.Key + " " + r.Value);
        }

        public static long Count(string method, string path)
        {
            string json = Send("GET", "/_mock/requests?method=" + method + "&path=" + Uri.EscapeDataString(path), "").Value;
            return Xerial.Json.JsonValue.Parse(json).GetLong("count");
        }

        public static KeyValuePair<int, string> Send(string method, string path, string body)
        {
            var uri = new Uri(T.Url);
            using (var client = new TcpClient(uri.Host, uri.Port))
            {
                client.ReceiveTimeout = 10000;
                client.SendTimeout = 10000;
                NetworkStream stream = client.GetStream();
                byte[] payload = Encoding.UTF8.GetBytes(body);
                string head = method + " " + path + " HTTP/1.1\r\nHost: " + uri.Host + ":" + uri.Port +
                              "\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: " + payload.Length + "\r\n\r\n";
                byte[] h = Encoding.ASCII.GetBytes(head);
                stream.Write(h, 0, h.Length);
                stream.Write(payload, 0, payload.Length);
                var ms = new MemoryStream();
                stream.CopyTo(ms);
                string text = Encoding.UTF8.GetString(ms.ToArray());
                int split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                string[] status = text.Substring(0, text.IndexOf("\r\n", StringComparison.Ordinal)).Split(' ');
                return new KeyValuePair<int, string>(int.Parse(status[1]), split < 0 ? "" : text.Substring(split + 4));
            }
        }
    }
}
