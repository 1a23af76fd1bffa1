// The Unity-facing code, with no Unity here: compiled as Unity compiles it (Editor, player and iOS
// player variants, against the test-only stubs in UnityStub/), its package metadata checked, and
// its lifecycle driven the way the Editor drives it — frames of the player loop, play-mode exit,
// quitting, and real domain reloads (AppDomain unload/create in one process, the native library
// staying loaded, as in the Editor).
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using UnityEditor;
using UnityEngine;
using UnityEngine.LowLevel;
using Xerial.Json;
using Xerial.Unity;

namespace Xerial.Tests
{
    public static class UnityTests
    {
        private static string Sample { get { return Path.Combine(T.Repo, "unity-sample"); } }
        private static string Package { get { return Path.Combine(Sample, "Packages/com.xerial.sdk"); } }

        private static string Mcs { get { return Environment.GetEnvironmentVariable("MCS") ?? "mcs"; } }

        /// <summary>Compiles like Unity's script compilation: one assembly per asmdef, C# 7.2 here.</summary>
        private static string Compile(string output, IEnumerable<string> sources, IEnumerable<string> references, string defines)
        {
            string rsp = output + ".rsp";
            var lines = new List<string> { "-langversion:7.2", "-target:library", "-nowarn:1591", "-warnaserror+", "-out:\"" + output + "\"", "-define:" + defines };
            lines.AddRange(references.Select(r => "-r:\"" + r + "\""));
            lines.AddRange(sources.Select(s => "\"" + s + "\""));
            File.WriteAllLines(rsp, lines.ToArray());
            return HeaderTests.Run(Mcs, "@\"" + rsp + "\"", 120000);
        }

        private static IEnumerable<string> Cs(string dir)
        {
            return Directory.GetFiles(dir, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("~")).OrderBy(f => f, StringComparer.Ordinal);
        }

        private static void RunInitializers(Assembly a, Type attribute)
        {
            foreach (Type t in a.GetTypes())
                foreach (MethodInfo m in t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
                    if (Attribute.IsDefined(m, attribute)) m.Invoke(null, null);
        }

        private static void Frames(Func<bool> done, int timeoutMs, string what)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            while (!done())
            {
                if (sw.ElapsedMilliseconds > timeoutMs) throw new TestFailure("timed out waiting for " + what);
                PlayerLoop.RunFrame();
                Thread.Sleep(2);
            }
        }

        public static void Register()
        {
            T.Case("unity: the binding has one source, the package's Runtime/Binding (no second copy to drift)", () =>
            {
                T.Check(Cs(Path.Combine(Package, "Runtime/Binding")).Any(), "the package holds the binding");
                T.Check(!Directory.Exists(Path.Combine(T.Repo, "bindings/csharp/src")), "bindings/csharp/src is a second copy of the binding");
            });

            T.Case("unity: the package compiles as Unity compiles it (Editor, players, iOS and WebGL players) with the sample's scripts", () =>
            {
                string dir = Path.Combine(T.BuildDir, "unity-compile");
                Directory.CreateDirectory(dir);
                string engine = Path.Combine(T.BuildDir, "UnityEngine.dll"), editor = Path.Combine(T.BuildDir, "UnityEditor.dll");
                string[] runtime = Cs(Path.Combine(Package, "Runtime")).ToArray();
                string[] assets = Cs(Path.Combine(Sample, "Assets")).ToArray();
                const string common = "UNITY_5_3_OR_NEWER;UNITY_2019_1_OR_NEWER;UNITY_2020_1_OR_NEWER;UNITY_2021_1_OR_NEWER;UNITY_2021_2_OR_NEWER;UNITY_2021_3_OR_NEWER;UNITY_2021_3;ENABLE_MONO;NET_4_6";
                var variants = new[]
                {
                    new { Name = "editor", Defines = common + ";UNITY_EDITOR;UNITY_EDITOR_LINUX;UNITY_STANDALONE_LINUX;UNITY_STANDALONE", Editor = true },
                    new { Name = "player-linux", Defines = common + ";UNITY_STANDALONE_LINUX;UNITY_STANDALONE", Editor = false },
                    new { Name = "player-windows", Defines = common + ";UNITY_STANDALONE_WIN;UNITY_STANDALONE", Editor = false },
                    new { Name = "player-android", Defines = common + ";UNITY_ANDROID;ENABLE_IL2CPP", Editor = false },
                    new { Name = "player-ios", Defines = common + ";UNITY_IOS;UNITY_IPHONE;ENABLE_IL2CPP", Editor = false },
                    new { Name = "editor-2023", Defines = common + ";UNITY_2022_1_OR_NEWER;UNITY_2023_1_OR_NEWER;UNITY_EDITOR;UNITY_EDITOR_LINUX;UNITY_STANDALONE_LINUX;UNITY_STANDALONE", Editor = true },
                    new { Name = "player-android-2023", Defines = common + ";UNITY_2022_1_OR_NEWER;UNITY_2023_1_OR_NEWER;UNITY_ANDROID;ENABLE_IL2CPP", Editor = false },
                    new { Name = "player-webgl", Defines = common + ";UNITY_WEBGL;ENABLE_IL2CPP", Editor = false },
                };
                foreach (var v in variants)
                {
                    string vdir = Path.Combine(dir, v.Name);
                    Directory.CreateDirectory(vdir);
                    var refs = new List<string> { engine };
                    if (v.Editor) refs.Add(editor); // player builds have no UnityEditor: Editor code must be guarded
                    string sdk = Path.Combine(vdir, "Xerial.Sdk.dll");
                    Compile(sdk, runtime, refs, v.Defines);
                    refs.Add(sdk);
                    Compile(Path.Combine(vdir, "Assembly-CSharp.dll"), assets, refs, v.Defines);
                    bool awaitable = ContainsType(sdk, "XerialAwaitableExtensions");
                    T.Eq(v.Name.EndsWith("-2023"), awaitable, v.Name + ": the Awaitable adapter compiled in (2023.1+ only)");
                    bool linked = v.Name == "player-ios" || v.Name == "player-webgl"; // static library: __Internal
                    string expected = linked ? "__Internal" : "xerial";
                    string text = File.ReadAllText(Path.Combine(Package, "Runtime/Binding/Native/XerialNative.cs"));
                    T.Check(Regex.IsMatch(text, @"#if \(UNITY_IOS \|\| UNITY_WEBGL\) && !UNITY_EDITOR\s+[^#]*""__Internal"""), "the iOS/WebGL switch is in place");
                    byte[] il = File.ReadAllBytes(sdk);
                    T.Check(Contains(il, expected), v.Name + ": the library name '" + expected + "' is not in the compiled assembly");
                    if (linked) T.Check(!ContainsDllImportOf(il, "xerial"), v.Name + " still imports from 'xerial'");
                }
            });

            T.Case("unity: the binding compiles against .NET Framework 4.x reference assemblies (no PtrToStringUTF8, no Emit, no reflection)", () =>
            {
                string api = "/usr/lib/mono/4.7.1-api";
                T.Check(Directory.Exists(api), api + " missing (package mono-devel)");
                string src = Path.Combine(Package, "Runtime/Binding");
                string outp = Path.Combine(T.BuildDir, "Xerial.Sdk.net471.dll");
                string rsp = outp + ".rsp";
                var lines = new List<string> { "-langversion:7.2", "-target:library", "-nostdlib", "-noconfig", "-warnaserror+", "-out:\"" + outp + "\"" };
                foreach (string r in new[] { "mscorlib.dll", "System.dll", "System.Core.dll" }) lines.Add("-r:\"" + Path.Combine(api, r) + "\"");
                lines.AddRange(Cs(src).Select(s => "\"" + s + "\""));
                File.WriteAllLines(rsp, lines.ToArray());
                HeaderTests.Run(Mcs, "@\"" + rsp + "\"", 120000);
                foreach (string f in Cs(src))
                {
                    string code = Regex.Replace(File.ReadAllText(f), @"//[^\n]*", ""); // code, not comments
                    foreach (string banned in new[] { "PtrToStringUTF8", "System.Reflection", "Reflection.Emit", "dynamic ", "LPUTF8Str", "unsafe " })
                        T.Check(!code.Contains(banned), Path.GetFileName(f) + " uses " + banned.Trim());
                    T.Check(!Regex.IsMatch(code, @"extern[^;]*\bstring\b[^;]*;"), Path.GetFileName(f) + ": a DllImport takes or returns string");
                }
            });

            T.Case("unity: IL2CPP rules hold (static [MonoPInvokeCallback] callbacks, delegates in static readonly fields, Cdecl)", () =>
            {
                Assembly sdk = typeof(XerialSdk).Assembly;
                var problems = new List<string>();
                int found = 0;
                foreach (Type t in sdk.GetTypes())
                    foreach (FieldInfo f in t.GetFields(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
                    {
                        if (f.FieldType.Namespace != "Xerial.Native" || !typeof(Delegate).IsAssignableFrom(f.FieldType)) continue;
                        if (f.Name.Contains("<")) continue; // the compiler's own method-group caches
                        found++;
                        if (!f.IsStatic || !f.IsInitOnly) problems.Add(t.Name + "." + f.Name + ": a native callback delegate must be static readonly");
                        var d = f.GetValue(null) as Delegate;
                        if (d == null) { problems.Add(t.Name + "." + f.Name + ": null"); continue; }
                        if (!d.Method.IsStatic) problems.Add(t.Name + "." + f.Name + ": targets an instance method");
                        if (d.Method.GetCustomAttributes(false).All(a => a.GetType().Name != "MonoPInvokeCallbackAttribute"))
                            problems.Add(t.Name + "." + f.Name + ": " + d.Method.Name + " lacks [MonoPInvokeCallback]");
                        if (d.Method.GetCustomAttributes(false).All(a => a.GetType().Name != "PreserveAttribute"))
                            problems.Add(t.Name + "." + f.Name + ": " + d.Method.Name + " lacks [Preserve]");
                    }
                T.Eq(6, found, "native callback delegates (completion, log, auth, open_url, transport send and cancel)");
                T.Check(problems.Count == 0, string.Join("\n", problems));
            });

            T.Case("unity: package metadata (package.json, asmdef, a .meta with a unique GUID for every asset, plugins pinned to platform and CPU)", () =>
            {
                JsonValue pkg = JsonValue.Parse(File.ReadAllText(Path.Combine(Package, "package.json")));
                T.Eq("com.xerial.sdk", pkg.GetString("name"), "package name");
                T.Check(Regex.IsMatch(pkg.GetString("version"), @"^\d+\.\d+\.\d+$"), "semver");
                T.Eq("2021.3", pkg.GetString("unity"), "minimum Unity");
                JsonValue asm = JsonValue.Parse(File.ReadAllText(Path.Combine(Package, "Runtime/Xerial.Sdk.asmdef")));
                T.Eq("Xerial.Sdk", asm.GetString("name"), "asmdef name");
                T.Check(!asm.GetBool("allowUnsafeCode"), "no unsafe code");
                JsonValue manifest = JsonValue.Parse(File.ReadAllText(Path.Combine(Sample, "Packages/manifest.json")));
                T.Eq("file:com.xerial.sdk", manifest["dependencies"].GetString("com.xerial.sdk"), "the sample references the local package");
                T.Check(Regex.IsMatch(File.ReadAllText(Path.Combine(Sample, "ProjectSettings/ProjectVersion.txt")), @"m_EditorVersion: 2021\.3\.\d+f\d"), "ProjectVersion.txt");

                var guids = new Dictionary<string, string>();
                var problems = new List<string>();
                foreach (string root in new[] { Package, Path.Combine(Sample, "Assets") })
                    foreach (string p in Directory.GetFileSystemEntries(root, "*", SearchOption.AllDirectories))
                    {
                        string rel = p.Substring(Sample.Length + 1);
                        if (rel.Split('/').Any(part => part.EndsWith("~") || part.StartsWith("."))) continue;
                        if (p.EndsWith(".meta"))
                        {
                            Match g = Regex.Match(File.ReadAllText(p), @"^guid: ([0-9a-f]{32})$", RegexOptions.Multiline);
                            if (!g.Success) { problems.Add(rel + ": no guid"); continue; }
                            string other;
                            if (guids.TryGetValue(g.Groups[1].Value, out other)) problems.Add(rel + ": guid also in " + other);
                            guids[g.Groups[1].Value] = rel;
                            if (!File.Exists(p.Substring(0, p.Length - 5)) && !Directory.Exists(p.Substring(0, p.Length - 5)) && !rel.Contains("/Plugins/"))
                                problems.Add(rel + ": orphan .meta");
                        }
                        else if (!File.Exists(p + ".meta") && !(rel.Contains("/Plugins/") && !Directory.Exists(p)))
                        {
                            problems.Add(rel + ": no .meta (add a .meta next to it)");
                        }
                    }
                // each native plugin: enabled for exactly its platform(s) and CPU, excluded elsewhere
                var expect = new Dictionary<string, string[]>
                {
                    { "linux-x86_64/libxerial.so", new[] { "Editor:Linux:x86_64", "Linux64:x86_64" } },
                    { "windows-x86_64/xerial.dll", new[] { "Editor:Windows:x86_64", "Win64:x86_64" } },
                    { "macos-universal/libxerial.dylib", new[] { "Editor:OSX:AnyCPU", "OSXUniversal:AnyCPU" } },
                    { "android-arm64/libxerial.so", new[] { "Android:ARM64" } },
                    { "ios/libxerial.a", new[] { "iOS:ARM64" } },
                };
                foreach (KeyValuePair<string, string[]> e in expect)
                {
                    string meta = Path.Combine(Package, "Runtime/Plugins", e.Key + ".meta");
                    if (!File.Exists(meta)) { problems.Add(e.Key + ".meta missing"); continue; }
                    List<string> enabled = EnabledPlatforms(File.ReadAllText(meta));
                    if (!enabled.OrderBy(x => x).SequenceEqual(e.Value.OrderBy(x => x)))
                        problems.Add(e.Key + ": enabled for " + string.Join(", ", enabled) + "; expected " + string.Join(", ", e.Value));
                }
                // the scene points at the walkthrough script, the build settings at the scene
                string scene = File.ReadAllText(Path.Combine(Sample, "Assets/XerialSample/Walkthrough.unity"));
                string scriptGuid = Guid(Path.Combine(Sample, "Assets/XerialSample/XerialWalkthrough.cs.meta"));
                T.Check(scene.Contains("guid: " + scriptGuid + ", type: 3"), "the scene's MonoBehaviour references XerialWalkthrough.cs");
                string build = File.ReadAllText(Path.Combine(Sample, "ProjectSettings/EditorBuildSettings.asset"));
                T.Check(build.Contains("guid: " + Guid(Path.Combine(Sample, "Assets/XerialSample/Walkthrough.unity.meta"))), "the build settings list the scene");
                T.Check(problems.Count == 0, string.Join("\n", problems));
            });

            T.Case("unity: the player loop polls once per frame (XerialPoll first in Update, installed once); results arrive inside a frame", () =>
            {
                Application.isPlaying = true;
                RunInitializers(typeof(XerialUnity).Assembly, typeof(RuntimeInitializeOnLoadMethodAttribute));
                RunInitializers(typeof(XerialUnity).Assembly, typeof(RuntimeInitializeOnLoadMethodAttribute)); // play mode entered again without a domain reload
                T.Eq(1, PlayerLoop.Count(typeof(XerialUnity.XerialPoll)), "XerialPoll systems");
                PlayerLoopSystem update = PlayerLoop.GetCurrentPlayerLoop().subSystemList.First(s => s.type == typeof(UnityEngine.PlayerLoop.Update));
                T.Eq(typeof(XerialUnity.XerialPoll), update.subSystemList[0].type, "first in Update (before scripts' Update)");
                T.Eq(1, Application.QuittingSubscribers, "one quitting hook");
                XerialUnity.Initialize(T.Settings());
                XerialUnity.Initialize(T.Settings()); // equal settings: nothing happens
                T.Check(XerialUnity.IsInitialized, "initialised");
                int main = Thread.CurrentThread.ManagedThreadId, thread = 0;
                Task<NativeBalance> t = XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon");
                t.ContinueWith(x => thread = Thread.CurrentThread.ManagedThreadId, TaskContinuationOptions.ExecuteSynchronously);
                Frames(() => t.IsCompleted, 10000, "the balance");
                T.Eq("25", t.Result.Balance, "balance");
                T.Eq(main, thread, "completed on the main thread");
                T.Eq(XerialCode.InvalidArgument, T.Throws(() => XerialUnity.Initialize(new XerialSettings { BaseUrl = T.Url, Dispatch = XerialDispatch.Immediate })).Code, "Immediate refused");
                T.Check(XerialUnity.IsInitialized, "still initialised");
                XerialUnity.Shutdown();
            });

            T.Case("unity: ExitingPlayMode and Application.quitting shut down (calls in flight end with Shutdown); Editor update polls only in edit mode", () =>
            {
                RunInitializers(typeof(XerialUnity).Assembly, typeof(InitializeOnLoadMethodAttribute));
                RunInitializers(typeof(XerialUnity).Assembly, typeof(RuntimeInitializeOnLoadMethodAttribute));
                Mock.Fault("GET", "/api/wallet/" + Mock.DemoWallet + "/polygon/eth", "{\"kind\":\"hang\",\"maxMs\":20000}");
                Application.isPlaying = true;
                XerialUnity.Initialize(T.Settings());
                Task<NativeBalance> a = XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon");
                EditorApplication.RaisePlayModeStateChanged(PlayModeStateChange.ExitingPlayMode);
                T.Check(!XerialSdk.IsInitialized, "shut down on ExitingPlayMode");
                T.Eq(XerialCode.Shutdown, ((XerialException)a.Exception.InnerException).Code, "in flight");
                XerialUnity.Initialize(T.Settings());
                Task<NativeBalance> b = XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon");
                Application.RaiseQuitting();
                T.Check(!XerialSdk.IsInitialized, "shut down on quitting");
                T.Eq(XerialCode.Shutdown, ((XerialException)b.Exception.InnerException).Code, "in flight");
                // edit mode: EditorApplication.update polls; in play mode it leaves that to the player loop
                Mock.Reset();
                XerialUnity.Initialize(T.Settings());
                Application.isPlaying = false;
                Task<LogoutResult> c = XerialSdk.LogoutAsync("x");
                var sw = System.Diagnostics.Stopwatch.StartNew();
                while (!c.IsCompleted && sw.ElapsedMilliseconds < 10000) { EditorApplication.RaiseUpdate(); Thread.Sleep(2); }
                T.Check(c.IsFaulted, "completed by the Editor update in edit mode");
                Application.isPlaying = true;
                Task<LogoutResult> d = XerialSdk.LogoutAsync("y");
                T.WaitUntil(() => Mock.Count("POST", "/api/auth/logout") >= 2, 5000, "the second logout");
                Thread.Sleep(200);
                EditorApplication.RaiseUpdate();
                T.Check(!d.IsCompleted, "the Editor update does not poll in play mode");
                Frames(() => d.IsCompleted, 10000, "the player loop to complete it");
                XerialUnity.Shutdown();
            });

            T.Case("unity: domain reloads (real AppDomains): beforeAssemblyReload shuts down, the new domain resumes settings and session (10 reloads)", () =>
            {
                string pair = Mock.NewSession();
                Mock.Fault("GET", "/api/wallet/" + Mock.DemoWallet + "/polygon/eth", "{\"kind\":\"hang\",\"maxMs\":20000}");
                for (int i = 0; i < 10; i++)
                {
                    AppDomain domain = NewDomain("reload-" + i);
                    try
                    {
                        var agent = (DomainAgent)domain.CreateInstanceAndUnwrap(typeof(DomainAgent).Assembly.FullName, typeof(DomainAgent).FullName);
                        string boot = agent.Boot(T.Url, i == 0 ? pair : null);
                        if (i == 0) T.Eq("fresh", boot, "first domain");
                        else T.Eq("resumed LoggedIn " + T.Url, boot, "domain " + i + " after the reload");
                        T.Eq("5ebac534954b54139806c112", agent.CallThroughFrames(), "a call in domain " + i);
                        string reload = agent.StartCallsThenReload(3);
                        T.Eq("3 Shutdown; initialised False; handles 0", reload, "beforeAssemblyReload in domain " + i);
                    }
                    finally
                    {
                        AppDomain.Unload(domain);
                    }
                }
                AppDomain last = NewDomain("final");
                try
                {
                    var agent = (DomainAgent)last.CreateInstanceAndUnwrap(typeof(DomainAgent).Assembly.FullName, typeof(DomainAgent).FullName);
                    T.Check(agent.Boot(T.Url, null).StartsWith("resumed"), "resumed once more");
                    agent.Shutdown();
                }
                finally { AppDomain.Unload(last); }
                T.Check(!XerialSdk.IsInitialized, "nothing left initialised");
                T.Eq(XerialCode.NotFound, (XerialCode)Native.XerialNative.xerial_cancel(1), "the native SDK is down (cancel answers NotFound)");
            });

            T.Case("unity: beforeAssemblyReload also shuts down an SDK the game initialised through XerialSdk directly", () =>
            {
                RunInitializers(typeof(XerialUnity).Assembly, typeof(InitializeOnLoadMethodAttribute));
                Mock.Fault("GET", "/api/wallet/" + Mock.DemoWallet + "/polygon/eth", "{\"kind\":\"hang\",\"maxMs\":20000}");
                XerialSdk.Initialize(T.Settings());
                Task<NativeBalance> t = XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon");
                int before;
                lock (UnityEngine.Debug.Lines) before = UnityEngine.Debug.Lines.Count(l => l.StartsWith("Exception"));
                AssemblyReloadEvents.RaiseBeforeAssemblyReload();
                T.Check(!XerialSdk.IsInitialized, "shut down");
                T.Eq(XerialCode.Shutdown, ((XerialException)t.Exception.InnerException).Code, "in flight");
                T.Eq(0, PlayerLoop.Count(typeof(XerialUnity.XerialPoll)), "the player-loop system (its delegate dies with the domain) removed");
                lock (UnityEngine.Debug.Lines) T.Eq(before, UnityEngine.Debug.Lines.Count(l => l.StartsWith("Exception")), "exceptions logged");
                RunInitializers(typeof(XerialUnity).Assembly, typeof(InitializeOnLoadMethodAttribute)); // the "new domain"
                T.Check(!XerialSdk.IsInitialized, "nothing to resume: XerialUnity did not start it");
            });

            T.Case("unity: XerialSettingsAsset (Inspector) gives the settings it shows; Initialize(asset) applies them and its log level", () =>
            {
                Application.persistentDataPath = Path.Combine(T.BuildDir, "persistent");
                var asset = ScriptableObject.CreateInstance<XerialSettingsAsset>();
                XerialSettings d = asset.ToSettings();
                T.Eq("https://wallet.xerial.io", d.BaseUrl, "default host");
                T.Check(d.MarketplaceUrl == null && d.ProjectId == null && d.ProxyUrl == null && d.ExtraRootCaPem == null, "empty fields: none");
                T.Check(d.TimeoutMs == null && d.ConnectTimeoutMs == null, "0: the library's defaults");
                T.Eq(2, d.MaxRetries.Value, "retries");
                T.Eq(XerialSessionStore.Protected, d.SessionStore, "persisted session: the OS's store");
                T.Eq(Path.Combine(Application.persistentDataPath, "xerial-session.json"), d.SessionPath, "the earlier versions' plain file, moved in");
                T.Eq(XerialDispatch.Poll, d.Dispatch, "poll dispatch");
                asset.baseUrl = " " + T.Url + " ";
                asset.marketplaceUrl = T.Url;
                asset.projectId = Mock.DemoProject;
                asset.timeoutMs = 5000;
                asset.persistSession = false;
                asset.logLevel = XerialLogLevel.Info;
                Application.isPlaying = true;
                XerialUnity.Initialize(asset);
                XerialSettings now = XerialUnity.Settings;
                T.Eq(T.Url, now.BaseUrl, "trimmed");
                T.Eq(5000, now.TimeoutMs.Value, "timeout");
                T.Eq(XerialSessionStore.Memory, now.SessionStore, "memory session");
                T.Eq(null, now.SessionPath, "no file");
                T.Eq(XerialLogLevel.Info, XerialUnity.LogLevel, "log level applied");
                Task<NativeBalance> t = XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, XerialChains.Polygon);
                Frames(() => t.IsCompleted, 10000, "the balance");
                T.Eq("25", t.Result.Balance, "a call with the asset's settings");
                XerialUnity.Shutdown();
                XerialUnity.LogLevel = XerialLogLevel.Off;
                T.Check(typeof(XerialSettingsAsset).GetCustomAttributes(typeof(CreateAssetMenuAttribute), false).Length == 1, "Assets > Create menu entry");
            });

            T.Case("unity: AsAwaitable (Unity 2023.1+) completes inside the frame's poll with the result, the XerialException or the cancellation", () =>
            {
                Application.isPlaying = true;
                RunInitializers(typeof(XerialUnity).Assembly, typeof(RuntimeInitializeOnLoadMethodAttribute));
                XerialUnity.Initialize(T.Settings());
                int main = Thread.CurrentThread.ManagedThreadId, resumedOn = 0;
                string balance = null;
                Awaitable<NativeBalance> ok = XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, XerialChains.Polygon).AsAwaitable();
                Func<Task> consume = async () => { NativeBalance b = await ok; balance = b.Balance; resumedOn = Thread.CurrentThread.ManagedThreadId; };
                Task consumer = consume();
                Frames(() => consumer.IsCompleted, 10000, "the awaitable");
                T.Eq("25", balance, "result");
                T.Eq(main, resumedOn, "resumed on the main thread, inside the frame");
                XerialException error = null;
                Awaitable<NativeBalance> bad = XerialSdk.GetNativeBalanceAsync("0x9999999999999999999999999999999999999999", XerialChains.Polygon).AsAwaitable();
                Func<Task> fail = async () => { try { await bad; } catch (XerialException e) { error = e; } };
                Task failing = fail();
                Frames(() => failing.IsCompleted, 10000, "the failing awaitable");
                T.Check(error != null && error.Code == XerialCode.NotFound, "its XerialException: " + error);
                var cts = new CancellationTokenSource();
                Mock.Fault("GET", "/api/wallet/" + Mock.DemoWallet + "/polygon/eth", "{\"kind\":\"hang\",\"maxMs\":20000}");
                bool cancelled = false;
                Awaitable<NativeBalance> hang = XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, XerialChains.Polygon, cts.Token).AsAwaitable();
                Func<Task> cancel = async () => { try { await hang; } catch (OperationCanceledException) { cancelled = true; } };
                Task cancelling = cancel();
                cts.Cancel();
                Frames(() => cancelling.IsCompleted, 10000, "the cancelled awaitable");
                T.Check(cancelled, "OperationCanceledException");
                XerialUnity.Shutdown();
            });

            T.Case("unity: a domain unloaded without Shutdown is reported as AlreadyInitialized with the reason, not a crash", () =>
            {
                AppDomain a = NewDomain("leaky");
                try
                {
                    var agent = (DomainAgent)a.CreateInstanceAndUnwrap(typeof(DomainAgent).Assembly.FullName, typeof(DomainAgent).FullName);
                    agent.Boot(T.Url, null);
                }
                finally { AppDomain.Unload(a); } // no beforeAssemblyReload: the native SDK stays initialised
                XerialException e = T.Throws(() => XerialUnity.Initialize(T.Settings()));
                T.Eq(XerialCode.AlreadyInitialized, e.Code, "code");
                T.Check(e.Message.Contains("domain"), "the message explains: " + e.Message);
                // clean up the way only a test may: nothing was in flight, so nothing is owed
                Native.XerialNative.xerial_set_auth_listener(null, IntPtr.Zero);
                Native.XerialNative.xerial_set_log_callback(null, IntPtr.Zero, 0);
                T.Eq(0, Native.XerialNative.xerial_shutdown(), "native shutdown");
            });
        }

        private static bool ContainsType(string assemblyPath, string typeName)
        {
            return Contains(File.ReadAllBytes(assemblyPath), typeName);
        }

        private static AppDomain NewDomain(string name)
        {
            var setup = new AppDomainSetup { ApplicationBase = AppDomain.CurrentDomain.BaseDirectory };
            return AppDomain.CreateDomain(name, null, setup);
        }

        private static string Guid(string meta)
        {
            return Regex.Match(File.ReadAllText(meta), @"^guid: ([0-9a-f]{32})$", RegexOptions.Multiline).Groups[1].Value;
        }

        /// <summary>"Editor:Linux:x86_64", "Linux64:x86_64"… for every enabled platform of a PluginImporter .meta.</summary>
        private static List<string> EnabledPlatforms(string meta)
        {
            var result = new List<string>();
            foreach (Match m in Regex.Matches(meta, @"- first:\n\s+(\S*): ?(\S*)\n\s+second:\n\s+enabled: 1\n\s+settings:\n((?:\s{8}.*\n?)*)"))
            {
                string platform = m.Groups[2].Value;
                string settings = m.Groups[3].Value;
                string cpu = Regex.Match(settings, @"CPU: (\S+)").Groups[1].Value;
                string os = Regex.Match(settings, @"OS: (\S+)").Groups[1].Value;
                result.Add(platform == "Editor" ? "Editor:" + os + ":" + cpu : platform + ":" + cpu);
            }
            return result;
        }

        private static bool Contains(byte[] haystack, string ascii)
        {
            byte[] needle = System.Text.Encoding.UTF8.GetBytes(ascii);
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                int k = 0;
                while (k < needle.Length && haystack[i + k] == needle[k]) k++;
                if (k == needle.Length) return true;
            }
            return false;
        }

        private static bool ContainsDllImportOf(byte[] il, string name)
        {
            // module references are stored as #Strings heap entries: "xerial\0"
            byte[] needle = System.Text.Encoding.ASCII.GetBytes("\0" + name + "\0");
            string s = System.Text.Encoding.ASCII.GetString(il);
            return s.Contains(System.Text.Encoding.ASCII.GetString(needle));
        }
    }

    /// <summary>Runs inside a child AppDomain: plays the Editor around one domain's life.</summary>
    public sealed class DomainAgent : MarshalByRefObject
    {
        private static readonly List<Task<NativeBalance>> InFlight = new List<Task<NativeBalance>>();

        /// <summary>What the Editor does after loading a domain: [InitializeOnLoadMethod]s, then the player loop's initializers.</summary>
        public string Boot(string url, string sessionForFreshStart)
        {
            T.Url = url;
            Application.isPlaying = true;
            Assembly unity = typeof(XerialUnity).Assembly;
            foreach (Type t in unity.GetTypes())
                foreach (MethodInfo m in t.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public))
                    if (Attribute.IsDefined(m, typeof(InitializeOnLoadMethodAttribute)) || Attribute.IsDefined(m, typeof(RuntimeInitializeOnLoadMethodAttribute)))
                        m.Invoke(null, null);
            if (XerialUnity.IsInitialized)
                return "resumed " + XerialSdk.AuthState + " " + XerialUnity.Settings.BaseUrl;
            XerialUnity.Initialize(T.Settings()); // what the game's first scene does
            if (sessionForFreshStart != null) XerialSdk.SetSession(sessionForFreshStart);
            return "fresh";
        }

        public string CallThroughFrames()
        {
            Task<UserWallets> t = XerialSdk.GetUserAsync();
            var sw = System.Diagnostics.Stopwatch.StartNew();
            while (!t.IsCompleted && sw.ElapsedMilliseconds < 10000) { PlayerLoop.RunFrame(); Thread.Sleep(2); }
            return t.IsCompleted && !t.IsFaulted ? t.Result.User.Id : "failed: " + t.Status + " " + t.Exception;
        }

        public string StartCallsThenReload(int n)
        {
            for (int i = 0; i < n; i++) InFlight.Add(XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon"));
            AssemblyReloadEvents.RaiseBeforeAssemblyReload();
            int shutdown = InFlight.Count(t => t.IsFaulted && ((XerialException)t.Exception.InnerException).Code == XerialCode.Shutdown);
            return shutdown + " Shutdown; initialised " + XerialSdk.IsInitialized + "; handles " + XerialSdk.PendingRequests;
        }

        public void Shutdown()
        {
            XerialUnity.Shutdown();
        }

        public void EnableLogging()
        {
            XerialUnity.LogLevel = XerialLogLevel.Debug;
        }

        public string ConsoleLines()
        {
            lock (UnityEngine.Debug.Lines) return string.Join("\n", UnityEngine.Debug.Lines.ToArray());
        }
    }
}
