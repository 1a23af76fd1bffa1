// Unity integration of the Xerial SDK: polls the SDK once per frame from the player loop (so every
// Task and callback completes on the main thread, where Unity APIs are legal) and ties the SDK's
// lifecycle to Unity's:
//   * player:  Application.quitting → Shutdown;
//   * Editor:  AssemblyReloadEvents.beforeAssemblyReload → Shutdown (every request still in flight
//              completes with XerialCode.Shutdown in the old domain, no callback is left pointing
//              into it), then the new domain re-initialises with the same settings and session;
//              EditorApplication.playModeStateChanged(ExitingPlayMode) and quitting → Shutdown;
//              EditorApplication.update polls while not playing (Editor tools may use the SDK).
// Uses only XerialSdk's public API, so the package's two halves stay independent.
using System;
using UnityEngine;
using UnityEngine.LowLevel;
using UnityEngine.Scripting;
#if UNITY_EDITOR
using UnityEditor;
#endif

namespace Xerial.Unity
{
    public static class XerialUnity
    {
        /// <summary>Marker type of the player-loop system that polls the SDK (first in Update).</summary>
        public struct XerialPoll { }

        private const string ResumeSettingsKey = "Xerial.Unity.ResumeSettings";
        private const string ResumeSessionKey = "Xerial.Unity.ResumeSession";
        private const string ResumeLogLevelKey = "Xerial.Unity.ResumeLogLevel";

        private static XerialSettings s_settings;
        private static string s_settingsJson;
        private static XerialLogLevel s_logLevel = XerialLogLevel.Off;
        private static bool s_hooksInstalled;

        /// <summary>True while the SDK is initialised.</summary>
        public static bool IsInitialized { get { return XerialSdk.IsInitialized; } }

        /// <summary>A copy of the settings of the current initialisation (null when not initialised).</summary>
        public static XerialSettings Settings { get { return s_settings == null ? null : s_settings.Clone(); } }

        /// <summary>
        /// The SDK's log records of this level and more severe go to the Console (delivered on the
        /// main thread, inside the frame's poll; the library never logs from its own threads in
        /// poll dispatch). Default Off; XerialSettingsAsset sets it. Records never hold a token.
        /// </summary>
        public static XerialLogLevel LogLevel
        {
            get { return s_logLevel; }
            set
            {
                s_logLevel = value;
                XerialSdk.SetLogHandler(value, value == XerialLogLevel.Off ? null : (Action<XerialLogLevel, string>)LogToConsole);
            }
        }

        /// <summary>
        /// Initialises the SDK (XerialSdk.Initialize) and makes sure it is polled every frame.
        /// Calling it again with equal settings does nothing; with other settings it shuts the
        /// SDK down first (requests in flight fault with XerialCode.Shutdown). Throws XerialException.
        /// </summary>
        public static void Initialize(XerialSettings settings)
        {
            settings = (settings ?? new XerialSettings()).Clone();
            if (settings.Dispatch != XerialDispatch.Poll)
                throw new XerialException(XerialCode.InvalidArgument,
                    "XerialUnity needs XerialDispatch.Poll: Immediate would complete calls on SDK worker threads, where Unity APIs are not allowed");
            string json = settings.ToJson();
            InstallHooks();
            InstallPlayerLoop();
            if (XerialSdk.IsInitialized)
            {
                if (json == s_settingsJson) return;
                Debug.LogWarning("Xerial: re-initialising with new settings; requests in flight end with XerialCode.Shutdown");
                Shutdown();
            }
            XerialSdk.Initialize(settings);
            s_settings = settings;
            s_settingsJson = json;
        }

        /// <summary>
        /// Initialises the SDK from a settings asset edited in the Inspector (see
        /// XerialSettingsAsset) and applies its log level. As Initialize(XerialSettings).
        /// </summary>
        public static void Initialize(XerialSettingsAsset asset)
        {
            if (asset == null) throw new ArgumentNullException("asset", "no XerialSettingsAsset (Assets > Create > Xerial > Settings)");
            LogLevel = asset.logLevel;
            Initialize(asset.ToSettings());
        }

        /// <summary>
        /// Shuts the SDK down (idempotent); requests still in flight complete now, with
        /// XerialCode.Shutdown. A session kept in memory only (SessionStore Memory) is dropped with
        /// it (see XerialSdk.Shutdown); domain reloads carry it over by themselves.
        /// </summary>
        public static void Shutdown()
        {
            XerialSdk.Shutdown();
            s_settings = null;
            s_settingsJson = null;
        }

        // ---- player loop ----

        [Preserve]
        [RuntimeInitializeOnLoadMethod(RuntimeInitializeLoadType.SubsystemRegistration)]
        private static void OnSubsystemRegistration()
        {
            // Also runs at every play-mode entry with domain reload disabled: everything idempotent.
            InstallHooks();
            InstallPlayerLoop();
        }

        private static void InstallHooks()
        {
            if (s_hooksInstalled) return;
            s_hooksInstalled = true;
            Application.quitting -= OnQuitting;
            Application.quitting += OnQuitting;
            XerialSdk.UnhandledCallbackException -= Debug.LogException;
            XerialSdk.UnhandledCallbackException += Debug.LogException;
        }

        /// <summary>Puts the XerialPoll system first in the player loop's Update phase (once).</summary>
        public static void InstallPlayerLoop()
        {
            PlayerLoopSystem root = PlayerLoop.GetCurrentPlayerLoop();
            if (Contains(root, typeof(XerialPoll))) return;
            PlayerLoopSystem[] phases = root.subSystemList;
            if (phases == null) return;
            for (int i = 0; i < phases.Length; i++)
            {
                if (phases[i].type != typeof(UnityEngine.PlayerLoop.Update)) continue;
                PlayerLoopSystem[] old = phases[i].subSystemList ?? new PlayerLoopSystem[0];
                var list = new PlayerLoopSystem[old.Length + 1];
                list[0] = new PlayerLoopSystem { type = typeof(XerialPoll), updateDelegate = PollOnce };
                Array.Copy(old, 0, list, 1, old.Length);
                phases[i].subSystemList = list;
                root.subSystemList = phases;
                PlayerLoop.SetPlayerLoop(root);
                return;
            }
        }

        /// <summary>Removes the XerialPoll system (before a domain reload: its delegate dies with the domain).</summary>
        public static void UninstallPlayerLoop()
        {
            PlayerLoopSystem root = PlayerLoop.GetCurrentPlayerLoop();
            if (!Contains(root, typeof(XerialPoll))) return;
            Remove(ref root, typeof(XerialPoll));
            PlayerLoop.SetPlayerLoop(root);
        }

        private static bool Contains(PlayerLoopSystem system, Type type)
        {
            if (system.type == type) return true;
            if (system.subSystemList == null) return false;
            foreach (PlayerLoopSystem sub in system.subSystemList)
                if (Contains(sub, type)) return true;
            return false;
        }

        private static void Remove(ref PlayerLoopSystem system, Type type)
        {
            if (system.subSystemList == null) return;
            var kept = new System.Collections.Generic.List<PlayerLoopSystem>(system.subSystemList.Length);
            foreach (PlayerLoopSystem sub in system.subSystemList)
            {
                if (sub.type == type) continue;
                PlayerLoopSystem copy = sub;
                Remove(ref copy, type);
                kept.Add(copy);
            }
            system.subSystemList = kept.ToArray();
        }

        private static void PollOnce()
        {
            try { XerialSdk.Poll(); }
            catch (Exception e) { Debug.LogException(e); }
        }

        private static void OnQuitting()
        {
            Shutdown();
        }

        private static void LogToConsole(XerialLogLevel level, string message)
        {
            if (level == XerialLogLevel.Error) Debug.LogError(message);
            else if (level == XerialLogLevel.Warn) Debug.LogWarning(message);
            else Debug.Log(message);
        }

#if UNITY_EDITOR
        // ---- Editor: domain reloads, play mode, edit-mode polling ----

        [Preserve]
        [InitializeOnLoadMethod]
        private static void OnEditorLoad()
        {
            AssemblyReloadEvents.beforeAssemblyReload -= BeforeAssemblyReload;
            AssemblyReloadEvents.beforeAssemblyReload += BeforeAssemblyReload;
            EditorApplication.playModeStateChanged -= OnPlayModeStateChanged;
            EditorApplication.playModeStateChanged += OnPlayModeStateChanged;
            EditorApplication.quitting -= OnQuitting;
            EditorApplication.quitting += OnQuitting;
            EditorApplication.update -= EditorPoll;
            EditorApplication.update += EditorPoll;
            ResumeAfterReload();
        }

        private static void BeforeAssemblyReload()
        {
            try
            {
                // Remember what to resume (only what XerialUnity.Initialize started).
                if (XerialSdk.IsInitialized && s_settings != null)
                {
                    SessionState.SetString(ResumeSettingsKey, s_settingsJson);
                    // A session kept in memory only (SessionStore Memory) would be lost: carry it
                    // over (SessionState is Editor memory, gone when the Editor quits). Every other
                    // store keeps it, and the next Initialize reads it back.
                    string session = s_settings.SessionStore == XerialSessionStore.Memory ? XerialSdk.GetSessionJson() : null;
                    if (session != null) SessionState.SetString(ResumeSessionKey, session);
                    else SessionState.EraseString(ResumeSessionKey);
                }
                SessionState.SetString(ResumeLogLevelKey, ((int)s_logLevel).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (Exception e)
            {
                Debug.LogException(e);
            }
            finally
            {
                // Whatever happened above: no native callback may outlive this domain.
                Shutdown();
                XerialSdk.SetLogHandler(XerialLogLevel.Off, null);
                UninstallPlayerLoop();
            }
        }

        private static void ResumeAfterReload()
        {
            string settings = SessionState.GetString(ResumeSettingsKey, "");
            string session = SessionState.GetString(ResumeSessionKey, "");
            string logLevel = SessionState.GetString(ResumeLogLevelKey, "");
            SessionState.EraseString(ResumeSettingsKey);
            SessionState.EraseString(ResumeSessionKey);
            SessionState.EraseString(ResumeLogLevelKey);
            int level;
            if (int.TryParse(logLevel, out level) && level != 0) LogLevel = (XerialLogLevel)level;
            if (settings.Length == 0 || XerialSdk.IsInitialized) return;
            try
            {
                Initialize(XerialSettings.FromJson(settings));
                if (session.Length > 0) XerialSdk.SetSession(session);
            }
            catch (Exception e)
            {
                Debug.LogException(e);
            }
        }

        private static void OnPlayModeStateChanged(PlayModeStateChange change)
        {
            if (change == PlayModeStateChange.ExitingPlayMode) Shutdown();
        }

        private static void EditorPoll()
        {
            // In play mode the player loop polls; in edit mode (Editor tools) this does.
            if (!EditorApplication.isPlaying) PollOnce();
        }
#endif
    }
}
