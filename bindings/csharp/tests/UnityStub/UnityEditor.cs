// TEST-ONLY stand-in for the few UnityEditor types the package uses (Unity 2021.3 signatures).
// "stub control" members do not exist in Unity: tests use them to play the Editor's part.
// SessionState, like Unity's, survives a domain reload: it is kept in process environment
// variables, which outlive an AppDomain. Never ship this file.
using System;

namespace UnityEditor
{
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class InitializeOnLoadAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Method)]
    public sealed class InitializeOnLoadMethodAttribute : Attribute { }

    public enum PlayModeStateChange
    {
        EnteredEditMode = 0,
        ExitingEditMode = 1,
        EnteredPlayMode = 2,
        ExitingPlayMode = 3,
    }

    public static class AssemblyReloadEvents
    {
        public delegate void AssemblyReloadCallback();

        public static event AssemblyReloadCallback beforeAssemblyReload;
        public static event AssemblyReloadCallback afterAssemblyReload;

        // stub control
        public static void RaiseBeforeAssemblyReload() { AssemblyReloadCallback c = beforeAssemblyReload; if (c != null) c(); }
        public static void RaiseAfterAssemblyReload() { AssemblyReloadCallback c = afterAssemblyReload; if (c != null) c(); }
    }

    public static class EditorApplication
    {
        public delegate void CallbackFunction();

        public static event Action<PlayModeStateChange> playModeStateChanged;
        public static CallbackFunction update;
        public static event Action quitting;
        public static bool isPlaying { get { return UnityEngine.Application.isPlaying; } }
        public static bool isPlayingOrWillChangePlaymode { get { return UnityEngine.Application.isPlaying; } }

        // stub control
        public static void RaisePlayModeStateChanged(PlayModeStateChange change)
        {
            Action<PlayModeStateChange> a = playModeStateChanged;
            if (a != null) a(change);
        }
        public static void RaiseUpdate() { CallbackFunction u = update; if (u != null) u(); }
        public static void RaiseQuitting() { Action a = quitting; if (a != null) a(); }
    }

    public static class SessionState
    {
        private static string Key(string key) { return "UNITY_STUB_SESSIONSTATE_" + key.Replace('.', '_'); }

        public static string GetString(string key, string defaultValue)
        {
            string v = Environment.GetEnvironmentVariable(Key(key));
            return v ?? defaultValue;
        }

        public static void SetString(string key, string value) { Environment.SetEnvironmentVariable(Key(key), value); }
        public static void EraseString(string key) { Environment.SetEnvironmentVariable(Key(key), null); }
        public static bool GetBool(string key, bool defaultValue) { string v = GetString(key, null); return v == null ? defaultValue : v == "1"; }
        public static void SetBool(string key, bool value) { SetString(key, value ? "1" : "0"); }
        public static void EraseBool(string key) { EraseString(key); }
    }
}
