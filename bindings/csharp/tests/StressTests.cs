// Cancellation, shutdown with calls in flight, re-entrancy, the domain-reload cycle, GC pressure,
// the polling thread, and clean process exit (child processes under a deadline).
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xerial.Json;
using Xerial.Native;

namespace Xerial.Tests
{
    public static class StressTests
    {
        private static string EthPath { get { return "/api/wallet/" + Mock.DemoWallet + "/polygon/eth"; } }

        private static void HangBalance() { Mock.Fault("GET", EthPath, "{\"kind\":\"hang\",\"maxMs\":20000}"); }

        private static void WaitForServer(string method, string path, long count)
        {
            T.PollUntil(() => Mock.Count(method, path) >= count, 10000, count + " request(s) at " + path);
        }

        public static void Register()
        {
            T.Case("cancel: a CancellationToken cancels a call in flight (cancelled Task, sent once, handle freed)", () =>
            {
                T.Init();
                HangBalance();
                var cts = new CancellationTokenSource();
                Task<NativeBalance> t = XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon", cts.Token);
                WaitForServer("GET", EthPath, 1);
                var sw = Stopwatch.StartNew();
                cts.Cancel();
                T.PollUntil(() => t.IsCompleted, 3000, "the cancelled task");
                T.Check(t.IsCanceled, "task status " + t.Status);
                T.Check(sw.ElapsedMilliseconds < 2000, "cancel took " + sw.ElapsedMilliseconds + " ms");
                try { t.Wait(); } catch (AggregateException e) { T.Check(e.InnerException is OperationCanceledException, "await throws OperationCanceledException"); }
                T.Eq(1L, Mock.Count("GET", EthPath), "sent once");
                T.Eq(0, XerialSdk.PendingRequests, "handle freed");
            });

            T.Case("cancel: an already-cancelled token sends nothing", () =>
            {
                T.Init();
                var cts = new CancellationTokenSource();
                cts.Cancel();
                Task<LogoutResult> t = XerialSdk.LogoutAsync("x", cts.Token);
                T.Check(t.IsCanceled, "cancelled at once");
                Thread.Sleep(100);
                T.Eq(0L, Mock.Count("POST", "/api/auth/logout"), "nothing sent");
            });

            T.Case("cancel: too late (answer already queued) leaves the result intact", () =>
            {
                T.Init();
                var cts = new CancellationTokenSource();
                Task<NativeBalance> t = XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon", cts.Token);
                T.WaitUntil(() => Mock.Count("GET", EthPath) >= 1, 5000, "the request");
                Thread.Sleep(1000); // the answer is queued, its callback not run yet (no Poll)
                cts.Cancel();
                T.Eq("25", T.Await(t).Balance, "result");
            });

            T.Case("cancel: a value-moving call cancelled after sending faults with OutcomeUnknown, not as cancelled", () =>
            {
                T.Init();
                XerialSdk.SetSession(Mock.NewSession());
                string path = "/api/wallet/" + Mock.DemoWallet + "/polygon/transfer-token";
                Mock.Fault("POST", path, "{\"kind\":\"hang\",\"maxMs\":20000}");
                var cts = new CancellationTokenSource();
                Task<TransactionResult> t = XerialSdk.TransferTokenAsync(Mock.DemoWallet, "polygon", Mock.Usdc, "1", Mock.RivalWallet, cts.Token);
                WaitForServer("POST", path, 1);
                cts.Cancel();
                XerialException e = T.ExpectError(t, XerialCode.OutcomeUnknown, 0, 3000);
                T.Check(!e.Retryable, "not retryable");
            });

            T.Case("cancel: XerialSdk.Cancel(id) of a callback call; the callback gets Cancelled once", () =>
            {
                T.Init();
                HangBalance();
                var errors = new List<XerialException>();
                ulong id = XerialSdk.GetNativeBalance(Mock.DemoWallet, "polygon", (r, e) => errors.Add(e));
                WaitForServer("GET", EthPath, 1);
                T.Check(XerialSdk.Cancel(id), "Cancel stopped it");
                T.Check(!XerialSdk.Cancel(id), "a second Cancel finds nothing");
                T.PollUntil(() => errors.Count == 1, 3000, "the callback");
                T.Eq(XerialCode.Cancelled, errors[0].Code, "code");
                T.Eq(id, errors[0].RequestId, "id");
                T.Check(!XerialSdk.Cancel(123456789), "unknown id");
            });

            T.Case("shutdown: every call in flight completes (Shutdown; OutcomeUnknown once a purchase was sent) before Shutdown returns", () =>
            {
                T.Init();
                XerialSdk.SetSession(Mock.NewSession());
                HangBalance();
                string buy = "/api/wallet/" + Mock.DemoWallet + "/polygon/primary-purchase";
                Mock.Fault("POST", buy, "{\"kind\":\"hang\",\"maxMs\":20000}");
                var tasks = new List<Task<NativeBalance>>();
                for (int i = 0; i < 20; i++) tasks.Add(XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon"));
                var callbackErrors = new List<XerialException>();
                for (int i = 0; i < 5; i++) XerialSdk.GetNativeBalance(Mock.DemoWallet, "polygon", (r, e) => callbackErrors.Add(e));
                Task<TransactionResult> purchase = XerialSdk.PrimaryPurchaseAsync(Mock.DemoWallet, "polygon", Mock.Gear, "1", 1);
                WaitForServer("POST", buy, 1);
                T.Eq(26, XerialSdk.PendingRequests, "in flight");
                var sw = Stopwatch.StartNew();
                XerialSdk.Shutdown();
                T.Check(sw.ElapsedMilliseconds < 3000, "Shutdown took " + sw.ElapsedMilliseconds + " ms");
                foreach (Task<NativeBalance> t in tasks)
                {
                    T.Check(t.IsFaulted, "completed by Shutdown itself: " + t.Status);
                    T.Eq(XerialCode.Shutdown, ((XerialException)t.Exception.InnerException).Code, "code");
                }
                T.Eq(5, callbackErrors.Count, "callbacks run by Shutdown");
                T.Check(callbackErrors.TrueForAll(e => e != null && e.Code == XerialCode.Shutdown), "callback codes");
                T.Check(purchase.IsFaulted && ((XerialException)purchase.Exception.InnerException).Code == XerialCode.OutcomeUnknown,
                    "a purchase that was sent: OutcomeUnknown, got " + purchase.Status);
                T.Eq(0, XerialSdk.PendingRequests, "every handle freed");
                T.Eq(0, XerialSdk.Poll(), "nothing after Shutdown");
            });

            T.Case("shutdown: called from inside a callback, the other calls complete with Shutdown, nested", () =>
            {
                T.Init();
                HangBalance();
                var others = new List<Task<NativeBalance>>();
                for (int i = 0; i < 3; i++) others.Add(XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon"));
                bool ran = false;
                XerialSdk.Logout("x", (r, e) => { ran = true; XerialSdk.Shutdown(); });
                T.PollUntil(() => ran, 10000, "the callback that shuts down");
                T.Check(!XerialSdk.IsInitialized, "shut down");
                T.Check(others.TrueForAll(t => t.IsFaulted && ((XerialException)t.Exception.InnerException).Code == XerialCode.Shutdown), "others faulted with Shutdown");
            });

            T.Case("reentrancy: a callback starts the next call; Poll inside a callback returns 0", () =>
            {
                T.Init();
                int nested = -1;
                Task<NativeBalance> second = null;
                XerialSdk.Logout("x", (r, e) =>
                {
                    nested = XerialSdk.Poll();
                    second = XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon");
                });
                T.PollUntil(() => second != null, 10000, "the first callback");
                T.Eq(0, nested, "nested Poll");
                T.Eq("25", T.Await(second).Balance, "the call started from the callback");
            });

            T.Case("poll: maxCallbacks bounds how many completions one Poll runs", () =>
            {
                T.Init();
                var tasks = new List<Task<NativeBalance>>();
                for (int i = 0; i < 5; i++) tasks.Add(XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon"));
                T.WaitUntil(() => Mock.Count("GET", EthPath) >= 5, 5000, "5 requests"); // no Poll: let them queue
                Thread.Sleep(500);
                int total = 0, polls = 0;
                bool sawTwo = false;
                var sw = Stopwatch.StartNew();
                while (total < 5 && sw.ElapsedMilliseconds < 10000)
                {
                    int n = XerialSdk.Poll(2);
                    T.Check(n <= 2, "Poll(2) ran " + n);
                    if (n == 2) sawTwo = true;
                    total += n;
                    polls++;
                    Thread.Sleep(1);
                }
                T.Eq(5, total, "completions");
                T.Check(sawTwo && polls >= 3, "five queued completions took " + polls + " Poll(2) calls");
                T.Check(tasks.TrueForAll(t => t.IsCompleted), "all completed");
            });

            T.Case("cycles: 50 × Initialize → call → Shutdown (the domain-reload pattern), one call left in flight each time", () =>
            {
                ulong lastId = 0;
                for (int i = 0; i < 50; i++)
                {
                    T.Init();
                    if (i == 0) HangBalance();
                    XerialException nf = T.ExpectError(XerialSdk.LogoutAsync("cycle-" + i), XerialCode.NotFound, 404);
                    T.Check(nf.RequestId > lastId, "request ids never reused: " + nf.RequestId + " after " + lastId);
                    Task<NativeBalance> inflight = XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon");
                    lastId = nf.RequestId;
                    XerialSdk.Shutdown();
                    T.Check(inflight.IsFaulted && ((XerialException)inflight.Exception.InnerException).Code == XerialCode.Shutdown, "cycle " + i + ": " + inflight.Status);
                    T.Eq(0, XerialSdk.PendingRequests, "cycle " + i + " handles");
                }
            });

            T.Case("gc: GC.Collect while 200 calls are in flight; every completion arrives intact", () =>
            {
                T.Init();
                Mock.Fault("GET", EthPath, "{\"kind\":\"delay\",\"ms\":150}");
                var tasks = new List<Task<NativeBalance>>();
                var seen = new int[100];
                int wrong = 0;
                for (int i = 0; i < 100; i++)
                {
                    tasks.Add(XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon"));
                    int index = i;
                    var payload = new byte[4096]; // state captured by the closure, reachable only through the GCHandle
                    payload[0] = (byte)index;
                    XerialSdk.GetNativeBalance(Mock.DemoWallet, "polygon", (r, e) =>
                    {
                        if (e != null || r.Balance != "25" || payload[0] != (byte)index) wrong++;
                        seen[index]++;
                    });
                }
                var sw = Stopwatch.StartNew();
                var garbage = new List<object>();
                while (tasks.Exists(t => !t.IsCompleted) || Array.Exists(seen, n => n == 0))
                {
                    T.Check(sw.ElapsedMilliseconds < 30000, "timed out");
                    for (int k = 0; k < 200; k++) garbage.Add(new string('x', 100 + k));
                    if (garbage.Count > 20000) garbage.Clear();
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    GC.Collect();
                    XerialSdk.Poll();
                }
                T.Check(tasks.TrueForAll(t => t.Status == TaskStatus.RanToCompletion && t.Result.Balance == "25"), "task results");
                T.Check(Array.TrueForAll(seen, n => n == 1), "each callback once");
                T.Eq(0, wrong, "callbacks with wrong state");
            });

            T.Case("threads: every completion runs on the thread that polls (a dedicated game thread)", () =>
            {
                Exception failure = null;
                var threads = new List<int>();
                int gameThread = 0;
                var game = new Thread(() =>
                {
                    try
                    {
                        gameThread = Thread.CurrentThread.ManagedThreadId;
                        T.Init();
                        Action<XerialAuthState> l = s => { lock (threads) threads.Add(Thread.CurrentThread.ManagedThreadId); };
                        XerialSdk.AuthStateChanged += l;
                        XerialSdk.SetSession(Mock.NewSession());
                        var tasks = new List<Task>();
                        int callbacks = 0;
                        for (int i = 0; i < 10; i++)
                        {
                            tasks.Add(XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon")
                                .ContinueWith(t => { lock (threads) threads.Add(Thread.CurrentThread.ManagedThreadId); }, TaskContinuationOptions.ExecuteSynchronously));
                            XerialSdk.GetUser((r, e) => { lock (threads) threads.Add(Thread.CurrentThread.ManagedThreadId); callbacks++; });
                        }
                        T.PollUntil(() => tasks.TrueForAll(t => t.IsCompleted) && callbacks == 10 && threads.Count >= 21, 10000, "completions");
                        XerialSdk.AuthStateChanged -= l;
                        XerialSdk.Shutdown();
                    }
                    catch (Exception e) { failure = e; }
                });
                game.Start();
                T.Check(game.Join(30000), "game thread finished");
                if (failure != null) throw failure;
                T.Check(gameThread != Thread.CurrentThread.ManagedThreadId, "a separate thread");
                T.Eq(21, threads.Count, "completions observed (10 tasks, 10 callbacks, 1 auth change)");
                T.Check(threads.TrueForAll(id => id == gameThread), "all on the game thread: " + string.Join(",", threads.ConvertAll(x => x.ToString()).ToArray()));
            });

            T.Case("exit: a process that quits with calls in flight and no Shutdown exits cleanly (no hang)", () =>
            {
                HangBalance();
                Children.Expect("inflight-no-shutdown", 20000, "");
            });

            T.Case("exit: a process that shuts down with calls in flight exits cleanly", () =>
            {
                HangBalance();
                Children.Expect("inflight-shutdown", 20000, "");
            });

            T.Case("exit: with a log handler set, records reach it on the polling thread without tokens, and the process exits", () =>
            {
                Children.Expect("log", 10000, Mock.NewSession());
            });

            T.Case("log: in poll dispatch the library calls its log callback only on threads that call into it, never its workers (child process)", () =>
            {
                Children.Expect("log-native-thread", 20000, Mock.NewSession());
            });

            T.Case("library missing: Initialize, NativeVersion and calls say LibraryUnavailable with where to put it, not Internal (child process)", () =>
            {
                Children.Expect("library-missing", 20000, "", true, true);
            });

            T.Case("immediate: completions run on SDK worker threads, once each, with their results (child process)", () =>
            {
                // Immediate dispatch attaches SDK worker threads to the runtime, which Mono 6.8
                // cannot exit with (see the exit cases): the child checks the completions, then
                // kills itself; exiting is not what this case is about.
                Children.Expect("immediate", 20000, "", false);
            });

            T.Case("unity: a domain reload after the SDK logged from its worker threads unloads (no Editor hang)", () =>
            {
                HangBalance();
                Children.Expect("log-domain-reload", 30000, Mock.NewSession());
            });
        }
    }

    /// <summary>Child-process scenarios: the parent checks they finish and exit 0 within a deadline.</summary>
    public static class Children
    {
        public static void Expect(string scenario, int timeoutMs, string input, bool mustExit = true, bool withoutLibrary = false)
        {
            string mono = Process.GetCurrentProcess().MainModule.FileName;
            string exe = Assembly.GetEntryAssembly().Location;
            var psi = new ProcessStartInfo(mono, "\"" + exe + "\" --child " + scenario + " " + T.Url)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            if (withoutLibrary) psi.EnvironmentVariables.Remove("LD_LIBRARY_PATH"); // run.sh's path to libxerial.so
            var output = new StringBuilder();
            using (Process p = Process.Start(psi))
            {
                p.OutputDataReceived += (s, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
                p.ErrorDataReceived += (s, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
                p.BeginOutputReadLine();
                p.BeginErrorReadLine();
                p.StandardInput.Write(input);
                p.StandardInput.Close();
                bool exited = p.WaitForExit(timeoutMs);
                if (!exited)
                {
                    try { p.Kill(); } catch (Exception) { }
                    p.WaitForExit(5000);
                }
                else
                {
                    p.WaitForExit();
                }
                string text;
                lock (output) text = output.ToString().TrimEnd();
                if (!text.Contains("child: scenario done"))
                    throw new TestFailure("child '" + scenario + "' did not finish its scenario:\n" + text);
                if (!mustExit) return;
                if (!exited)
                    throw new TestFailure("child '" + scenario + "' finished its scenario but did not exit within " + timeoutMs +
                        " ms (killed): the process hangs at exit.\n" + text);
                if (p.ExitCode != 0)
                    throw new TestFailure("child '" + scenario + "' exited " + p.ExitCode + ":\n" + text);
            }
        }

        private static int s_callerThread, s_nativeRecords, s_nativeOffThread;
        private static readonly XerialLogCallback NativeLogCallback = OnNativeLog;

        private static void OnNativeLog(IntPtr userData, int level, IntPtr message)
        {
            Interlocked.Increment(ref s_nativeRecords);
            if (Thread.CurrentThread.ManagedThreadId != s_callerThread) Interlocked.Increment(ref s_nativeOffThread);
        }

        public static int Run(string[] args)
        {
            string scenario = args[1];
            T.Url = args[2].TrimEnd('/');
            try
            {
                string input = Console.In.ReadToEnd();
                switch (scenario)
                {
                    case "inflight-no-shutdown":
                    case "inflight-shutdown":
                    {
                        T.Init();
                        var done = XerialSdk.LogoutAsync("x");
                        T.PollUntil(() => done.IsCompleted, 10000, "a completed call");
                        for (int i = 0; i < 5; i++) XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon");
                        XerialSdk.Logout("y", (r, e) => { });
                        Thread.Sleep(300);
                        if (scenario == "inflight-shutdown") XerialSdk.Shutdown();
                        break;
                    }
                    case "log":
                    {
                        var records = new List<string>();
                        int pollThread = Thread.CurrentThread.ManagedThreadId, offThread = 0;
                        XerialSdk.SetLogHandler(XerialLogLevel.Trace, (level, message) =>
                        {
                            records.Add(level + " " + message);
                            if (Thread.CurrentThread.ManagedThreadId != pollThread) offThread++;
                        });
                        T.Init();
                        XerialTokens tokens = XerialTokens.Read(JsonValue.Parse(input));
                        XerialSdk.SetSession(input);
                        T.Await(XerialSdk.GetUserAsync());
                        T.Await(XerialSdk.RefreshAsync());
                        XerialTokens now = XerialSdk.GetSession();
                        T.Await(XerialSdk.LogoutAsync());
                        XerialSdk.Shutdown();
                        T.Check(records.Count >= 3, "log records: " + records.Count);
                        T.Eq(0, offThread, "records handed over off the polling thread");
                        foreach (string r in records)
                            foreach (string secret in new[] { tokens.AccessToken, tokens.RefreshToken, now.AccessToken, now.RefreshToken })
                                T.Check(!r.Contains(secret), "a token in a log record: " + r);
                        Console.WriteLine("child: " + records.Count + " log records, all on the polling thread, no token");
                        break;
                    }
                    case "log-native-thread":
                    {
                        // The raw native callback, not the binding's queue: which threads does
                        // the library call it on? (Traffic includes retries and a refresh, which
                        // log from the SDK's workers.)
                        T.Init();
                        XerialNative.xerial_set_log_callback(NativeLogCallback, IntPtr.Zero, XerialConstants.XERIAL_LOG_TRACE);
                        s_callerThread = Thread.CurrentThread.ManagedThreadId;
                        XerialSdk.SetSession(input);
                        T.Await(XerialSdk.GetUserAsync());
                        T.Await(XerialSdk.RefreshAsync());
                        Mock.Fault("GET", "/api/wallet/" + Mock.DemoWallet + "/polygon/eth", "{\"kind\":\"status\",\"status\":503}", 2);
                        T.Await(XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon"));
                        var tasks = new List<Task<LogoutResult>>();
                        for (int i = 0; i < 20; i++) tasks.Add(XerialSdk.LogoutAsync("x" + i));
                        T.PollUntil(() => tasks.TrueForAll(t => t.IsCompleted), 10000, "20 logouts");
                        XerialSdk.Shutdown();
                        XerialNative.xerial_set_log_callback(null, IntPtr.Zero, 0);
                        T.Check(Volatile.Read(ref s_nativeRecords) >= 10, "native log records: " + s_nativeRecords);
                        T.Eq(0, Volatile.Read(ref s_nativeOffThread), "records delivered on another thread (of " + s_nativeRecords + ")");
                        Console.WriteLine("child: " + s_nativeRecords + " native log records, every one on the thread calling into the SDK");
                        break;
                    }
                    case "library-missing":
                    {
                        XerialException init = T.Throws(() => XerialSdk.Initialize(T.Settings()));
                        T.Eq(XerialCode.LibraryUnavailable, init.Code, "Initialize: " + init.Message);
                        T.Check(init.Message.Contains("Runtime/Plugins") && init.InnerException is DllNotFoundException, "says where: " + init.Message);
                        T.Eq("LibraryUnavailable", init.CodeName, "its name, without the library");
                        T.Eq(XerialCode.LibraryUnavailable, T.Throws(() => { string v = XerialSdk.NativeVersion; }).Code, "NativeVersion");
                        XerialException call = T.Throws(() => XerialSdk.Logout("x", (r, e) => { }));
                        T.Eq(XerialCode.LibraryUnavailable, call.Code, "a call: " + call.Message);
                        Task<LogoutResult> task = XerialSdk.LogoutAsync("x");
                        T.Check(task.IsFaulted && ((XerialException)task.Exception.InnerException).Code == XerialCode.LibraryUnavailable, "a Task call faults with it");
                        T.Check(!XerialSdk.IsInitialized && XerialSdk.PendingRequests == 0, "nothing started, nothing held");
                        Console.WriteLine("child: " + init.Message);
                        break;
                    }
                    case "immediate":
                    {
                        var s = T.Settings();
                        s.Dispatch = XerialDispatch.Immediate;
                        XerialSdk.Initialize(s);
                        int main = Thread.CurrentThread.ManagedThreadId;
                        var threads = new System.Collections.Concurrent.ConcurrentBag<int>();
                        var tasks = new List<Task<NativeBalance>>();
                        int callbacks = 0;
                        for (int i = 0; i < 20; i++)
                        {
                            tasks.Add(XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon"));
                            XerialSdk.Logout("x", (r, e) => { threads.Add(Thread.CurrentThread.ManagedThreadId); if (e != null && e.Code == XerialCode.NotFound) Interlocked.Increment(ref callbacks); });
                        }
                        T.Eq(0, XerialSdk.Poll(), "Poll runs nothing in immediate mode");
                        T.Check(Task.WaitAll(tasks.ToArray(), 10000), "tasks complete without Poll");
                        var sw = Stopwatch.StartNew();
                        while (Volatile.Read(ref callbacks) < 20 && sw.ElapsedMilliseconds < 10000) Thread.Sleep(5);
                        T.Eq(20, Volatile.Read(ref callbacks), "callbacks");
                        T.Check(tasks.TrueForAll(t => t.Result.Balance == "25"), "results");
                        T.Check(!threads.Contains(main), "a callback ran on the main thread");
                        XerialSdk.Shutdown();
                        T.Eq(0, XerialSdk.PendingRequests, "handles");
                        Console.WriteLine("child: immediate mode: 40 completions on SDK worker threads");
                        Console.WriteLine("child: scenario done");
                        Console.Out.Flush();
                        Process.GetCurrentProcess().Kill();
                        return 0;
                    }
                    case "log-domain-reload":
                    {
                        AppDomain domain = AppDomain.CreateDomain("log-reload", null, new AppDomainSetup { ApplicationBase = AppDomain.CurrentDomain.BaseDirectory });
                        var agent = (DomainAgent)domain.CreateInstanceAndUnwrap(typeof(DomainAgent).Assembly.FullName, typeof(DomainAgent).FullName);
                        agent.EnableLogging();
                        agent.Boot(T.Url, input);
                        T.Eq("5ebac534954b54139806c112", agent.CallThroughFrames(), "a call");
                        string logged = agent.ConsoleLines();
                        T.Check(logged.Contains("xerial::"), "SDK records in the Console: " + logged);
                        T.Eq("1 Shutdown; initialised False; handles 0", agent.StartCallsThenReload(1), "beforeAssemblyReload");
                        var sw = Stopwatch.StartNew();
                        var unload = new Thread(() => AppDomain.Unload(domain)) { IsBackground = true };
                        unload.Start();
                        if (!unload.Join(10000))
                        {
                            Console.WriteLine("child: AppDomain.Unload did not return within 10 s: a domain whose code SDK worker threads ran (the log callback) cannot unload");
                            Console.Out.Flush();
                            Process.GetCurrentProcess().Kill(); // this process could not exit either
                            return 1;
                        }
                        Console.WriteLine("child: domain unloaded in " + sw.ElapsedMilliseconds + " ms");
                        break;
                    }
                    default:
                        Console.WriteLine("child: unknown scenario " + scenario);
                        return 2;
                }
                Console.WriteLine("child: scenario done");
                Console.Out.Flush();
                return 0;
            }
            catch (Exception e)
            {
                Console.WriteLine("child: " + e);
                return 1;
            }
        }
    }
}
