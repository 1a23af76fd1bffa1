// TEST-ONLY stand-in for the few UnityEngine types the package and the sample use, with the
// signatures of Unity 2021.3, so that the Unity-facing C# is compiled (and its lifecycle driven)
// here, where no Unity exists. Members under "stub control" do not exist in Unity: tests use them
// to play the engine's part (raise events, run frames). Never ship this file.
using System;
using System.Collections.Generic;

namespace AOT
{
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class MonoPInvokeCallbackAttribute : Attribute
    {
        public MonoPInvokeCallbackAttribute(Type type) { }
    }
}

namespace UnityEngine.Scripting
{
    [AttributeUsage(AttributeTargets.All, Inherited = false)]
    public class PreserveAttribute : Attribute { }
}

namespace UnityEngine
{
    public enum RuntimeInitializeLoadType
    {
        AfterSceneLoad = 0,
        BeforeSceneLoad = 1,
        AfterAssembliesLoaded = 2,
        BeforeSplashScreen = 3,
        SubsystemRegistration = 4,
    }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class RuntimeInitializeOnLoadMethodAttribute : Attribute
    {
        public RuntimeInitializeOnLoadMethodAttribute() { LoadType = RuntimeInitializeLoadType.AfterSceneLoad; }
        public RuntimeInitializeOnLoadMethodAttribute(RuntimeInitializeLoadType loadType) { LoadType = loadType; }
        public RuntimeInitializeLoadType LoadType { get; private set; }
    }

    [AttributeUsage(AttributeTargets.Field)]
    public sealed class SerializeField : Attribute { }

    public enum RuntimePlatform { OSXEditor = 0, OSXPlayer = 1, WindowsPlayer = 2, WindowsEditor = 7, IPhonePlayer = 8, Android = 11, LinuxPlayer = 13, LinuxEditor = 16 }

    public static class Application
    {
        public static event Action quitting;
        public static bool isPlaying { get; set; }          // settable: stub control
        public static bool isEditor { get { return true; } }
        public static string persistentDataPath { get; set; } // settable: stub control
        public static RuntimePlatform platform { get { return RuntimePlatform.LinuxEditor; } }
        public static string version { get { return "0.0.0"; } }
        public static event Action<string> deepLinkActivated;
        public static void OpenURL(string url) { lock (OpenedUrls) OpenedUrls.Add(url); Action<string> a = UrlOpened; if (a != null) a(url); }

        // stub control
        public static readonly List<string> OpenedUrls = new List<string>();
        public static Action<string> UrlOpened;
        public static void RaiseDeepLink(string url) { Action<string> a = deepLinkActivated; if (a != null) a(url); }
        public static void RaiseQuitting() { Action a = quitting; if (a != null) a(); }
        public static int QuittingSubscribers { get { return quitting == null ? 0 : quitting.GetInvocationList().Length; } }
    }

    public static class Debug
    {
        // stub control: everything logged, for assertions
        public static readonly List<string> Lines = new List<string>();
        private static void Add(string kind, object message) { lock (Lines) Lines.Add(kind + ": " + message); }

        public static void Log(object message) { Add("Log", message); }
        public static void LogWarning(object message) { Add("Warning", message); }
        public static void LogError(object message) { Add("Error", message); }
        public static void LogException(Exception exception) { Add("Exception", exception); }
    }

    public class Object
    {
        public string name { get; set; }
        public static void DontDestroyOnLoad(Object target) { }
        public static void Destroy(Object obj) { }
        public static T FindObjectOfType<T>() where T : Object { return null; }
    }

    public class Component : Object
    {
        public GameObject gameObject { get; internal set; }
    }

    public class Behaviour : Component
    {
        public bool enabled { get; set; }
    }

    public class MonoBehaviour : Behaviour
    {
    }

    public class ScriptableObject : Object
    {
        public static T CreateInstance<T>() where T : ScriptableObject, new() { return new T(); }
    }

    [AttributeUsage(AttributeTargets.Class, Inherited = false)]
    public sealed class CreateAssetMenuAttribute : Attribute
    {
        public string menuName { get; set; }
        public string fileName { get; set; }
        public int order { get; set; }
    }

    [AttributeUsage(AttributeTargets.Field, Inherited = true, AllowMultiple = false)]
    public class PropertyAttribute : Attribute { }

    public sealed class TooltipAttribute : PropertyAttribute
    {
        public readonly string tooltip;
        public TooltipAttribute(string tooltip) { this.tooltip = tooltip; }
    }

    public sealed class HeaderAttribute : PropertyAttribute
    {
        public readonly string header;
        public HeaderAttribute(string header) { this.header = header; }
    }

    public sealed class TextAreaAttribute : PropertyAttribute
    {
        public readonly int minLines;
        public readonly int maxLines;
        public TextAreaAttribute(int minLines, int maxLines) { this.minLines = minLines; this.maxLines = maxLines; }
    }

    public sealed class MinAttribute : PropertyAttribute
    {
        public readonly float min;
        public MinAttribute(float min) { this.min = min; }
    }

    public sealed class RangeAttribute : PropertyAttribute
    {
        public readonly float min;
        public readonly float max;
        public RangeAttribute(float min, float max) { this.min = min; this.max = max; }
    }

    public sealed class GameObject : Object
    {
        public GameObject(string name) { this.name = name; }
        public T AddComponent<T>() where T : Component, new() { var c = new T(); c.gameObject = this; return c; }
    }

    public struct Vector2
    {
        public float x, y;
        public Vector2(float x, float y) { this.x = x; this.y = y; }
        public static Vector2 zero { get { return new Vector2(0, 0); } }
    }

    public struct Rect
    {
        public float x, y, width, height;
        public Rect(float x, float y, float width, float height) { this.x = x; this.y = y; this.width = width; this.height = height; }
    }

    public struct Color
    {
        public float r, g, b, a;
        public Color(float r, float g, float b, float a) { this.r = r; this.g = g; this.b = b; this.a = a; }
        public static Color white { get { return new Color(1, 1, 1, 1); } }
        public static Color red { get { return new Color(1, 0, 0, 1); } }
        public static Color green { get { return new Color(0, 1, 0, 1); } }
    }

    public static class Screen
    {
        public static int width { get { return 1280; } }
        public static int height { get { return 720; } }
    }

    public class GUIStyle
    {
        public GUIStyle() { }
        public GUIStyle(GUIStyle other) { }
        public bool wordWrap { get; set; }
        public bool richText { get; set; }
        public int fontSize { get; set; }
    }

    public class GUILayoutOption { }

    public static class GUI
    {
        public static Color color { get; set; }
        public static bool enabled { get; set; }
    }

    public static class GUILayout
    {
        public static void BeginArea(Rect screenRect) { }
        public static void EndArea() { }
        public static void BeginHorizontal(params GUILayoutOption[] options) { }
        public static void EndHorizontal() { }
        public static void BeginVertical(params GUILayoutOption[] options) { }
        public static void EndVertical() { }
        public static Vector2 BeginScrollView(Vector2 scrollPosition, params GUILayoutOption[] options) { return scrollPosition; }
        public static void EndScrollView() { }
        public static void Label(string text, params GUILayoutOption[] options) { }
        public static void Label(string text, GUIStyle style, params GUILayoutOption[] options) { }
        public static bool Button(string text, params GUILayoutOption[] options) { return false; }
        public static string TextField(string text, params GUILayoutOption[] options) { return text; }
        public static bool Toggle(bool value, string text, params GUILayoutOption[] options) { return value; }
        public static void Space(float pixels) { }
        public static void FlexibleSpace() { }
        public static GUILayoutOption Width(float width) { return new GUILayoutOption(); }
        public static GUILayoutOption Height(float height) { return new GUILayoutOption(); }
        public static GUILayoutOption ExpandWidth(bool expand) { return new GUILayoutOption(); }
    }
}

namespace UnityEngine.LowLevel
{
    public struct PlayerLoopSystem
    {
        public delegate void UpdateFunction();

        public Type type;
        public PlayerLoopSystem[] subSystemList;
        public UpdateFunction updateDelegate;
        public IntPtr updateFunction;
        public IntPtr loopConditionFunction;

        public override string ToString() { return type == null ? "null" : type.Name; }
    }

    public static class PlayerLoop
    {
        private static PlayerLoopSystem s_current = GetDefaultPlayerLoop();

        public static PlayerLoopSystem GetDefaultPlayerLoop()
        {
            return new PlayerLoopSystem
            {
                subSystemList = new[]
                {
                    new PlayerLoopSystem { type = typeof(UnityEngine.PlayerLoop.EarlyUpdate), subSystemList = new PlayerLoopSystem[0] },
                    new PlayerLoopSystem
                    {
                        type = typeof(UnityEngine.PlayerLoop.Update),
                        subSystemList = new[]
                        {
                            new PlayerLoopSystem { type = typeof(UnityEngine.PlayerLoop.Update.ScriptRunBehaviourUpdate) },
                        },
                    },
                    new PlayerLoopSystem { type = typeof(UnityEngine.PlayerLoop.PreLateUpdate), subSystemList = new PlayerLoopSystem[0] },
                },
            };
        }

        public static PlayerLoopSystem GetCurrentPlayerLoop() { return s_current; }
        public static void SetPlayerLoop(PlayerLoopSystem loop) { s_current = loop; }

        // stub control: one frame = every updateDelegate of the current loop, depth first
        public static int RunFrame() { return Run(s_current); }

        private static int Run(PlayerLoopSystem system)
        {
            int ran = 0;
            if (system.updateDelegate != null) { system.updateDelegate(); ran++; }
            if (system.subSystemList != null)
                foreach (PlayerLoopSystem sub in system.subSystemList) ran += Run(sub);
            return ran;
        }

        public static int Count(Type type) { return Count(s_current, type); }

        private static int Count(PlayerLoopSystem system, Type type)
        {
            int n = system.type == type ? 1 : 0;
            if (system.subSystemList != null)
                foreach (PlayerLoopSystem sub in system.subSystemList) n += Count(sub, type);
            return n;
        }
    }
}

namespace UnityEngine.PlayerLoop
{
    public struct EarlyUpdate { }
    public struct Update
    {
        public struct ScriptRunBehaviourUpdate { }
    }
    public struct PreLateUpdate { }
}

#if UNITY_2023_1_OR_NEWER
namespace UnityEngine
{
    // Unity 2023.1+ Awaitable / AwaitableCompletionSource, only as far as the package uses them:
    // completing the source runs the awaiting code synchronously, on the completing thread (what
    // Unity documents for AwaitableCompletionSource). Compiled only when the test build defines
    // UNITY_2023_1_OR_NEWER.
    public class Awaitable
    {
        protected Action Continuation;
        protected Exception Error;
        protected bool Cancelled;
        public bool IsCompleted { get; protected set; }

        public struct Awaiter : System.Runtime.CompilerServices.INotifyCompletion
        {
            private readonly Awaitable _awaitable;
            public Awaiter(Awaitable awaitable) { _awaitable = awaitable; }
            public bool IsCompleted { get { return _awaitable.IsCompleted; } }
            public void OnCompleted(Action continuation) { _awaitable.Continuation = continuation; }
            public void GetResult() { _awaitable.Rethrow(); }
        }

        public Awaiter GetAwaiter() { return new Awaiter(this); }

        internal void Rethrow()
        {
            if (Cancelled) throw new OperationCanceledException();
            if (Error != null) throw Error;
        }

        internal void Finish(Exception error, bool cancelled)
        {
            if (IsCompleted) throw new InvalidOperationException("the Awaitable is already completed");
            Error = error;
            Cancelled = cancelled;
            IsCompleted = true;
            Action c = Continuation;
            Continuation = null;
            if (c != null) c();
        }
    }

    public class Awaitable<T> : Awaitable
    {
        internal T Result;

        public new struct Awaiter : System.Runtime.CompilerServices.INotifyCompletion
        {
            private readonly Awaitable<T> _awaitable;
            public Awaiter(Awaitable<T> awaitable) { _awaitable = awaitable; }
            public bool IsCompleted { get { return _awaitable.IsCompleted; } }
            public void OnCompleted(Action continuation) { ((Awaitable)_awaitable).GetAwaiter().OnCompleted(continuation); }
            public T GetResult() { _awaitable.Rethrow(); return _awaitable.Result; }
        }

        public new Awaiter GetAwaiter() { return new Awaiter(this); }
    }

    public class AwaitableCompletionSource<T>
    {
        public Awaitable<T> Awaitable { get; private set; }
        public AwaitableCompletionSource() { Awaitable = new Awaitable<T>(); }
        public void SetResult(T value) { Awaitable.Result = value; Awaitable.Finish(null, false); }
        public void SetException(Exception exception) { Awaitable.Finish(exception, false); }
        public void SetCanceled() { Awaitable.Finish(null, true); }
        public void Reset() { Awaitable = new Awaitable<T>(); }
    }
}
#endif
