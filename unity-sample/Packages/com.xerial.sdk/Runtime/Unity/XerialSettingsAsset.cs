// XerialSettingsAsset: the SDK's settings as an asset, edited in the Inspector
// (Assets > Create > Xerial > Settings), handed to XerialUnity.Initialize(asset).
using System.IO;
using UnityEngine;

namespace Xerial.Unity
{
    /// <summary>
    /// XerialSettings as a ScriptableObject: create one with Assets > Create > Xerial > Settings,
    /// fill it in the Inspector, reference it from a MonoBehaviour and call
    /// <c>XerialUnity.Initialize(settingsAsset)</c>. Empty and zero fields take the library's
    /// defaults. It holds no secret (never put a token in it).
    /// </summary>
    [CreateAssetMenu(fileName = "XerialSettings", menuName = "Xerial/Settings", order = 0)]
    public sealed class XerialSettingsAsset : ScriptableObject
    {
        [Header("Server")]
        [Tooltip("Wallet API host: https://wallet.xerial.io (production), https://wallet.staging.xerial.io (staging), http://127.0.0.1:PORT (the offline server). Empty: production.")]
        public string baseUrl = "https://wallet.xerial.io";

        [Tooltip("Host of the marketplace/collections API. Empty: none (the market calls answer InvalidArgument).")]
        public string marketplaceUrl = "";

        [Tooltip("Your Xerial project id (the dashboard), used by the logins, the project inventory and the market calls.")]
        public string projectId = "";

        [Tooltip("Plain http:// to hosts other than loopback. Never in a shipped game.")]
        public bool allowInsecureHttp;

        [Tooltip("A proxy for every request, http://host:port. Empty: direct.")]
        public string proxyUrl = "";

        [Tooltip("PEM certificates trusted besides the bundled web roots (e.g. a studio's test CA). Empty: none.")]
        [TextArea(3, 12)]
        public string extraRootCaPem = "";

        [Header("Network")]
        [Tooltip("Whole-call deadline in milliseconds, retries included. 0: the library's default (30000).")]
        [Min(0)]
        public int timeoutMs;

        [Tooltip("Connection deadline in milliseconds. 0: the library's default (10000).")]
        [Min(0)]
        public int connectTimeoutMs;

        [Tooltip("Automatic retries of calls that are safe to repeat (reads). Never for purchases or transfers.")]
        [Range(0, 10)]
        public int maxRetries = 2;

        [Header("Session")]
        [Tooltip("Keep the player logged in across runs, in the OS's protected store (Keychain, Secret Service, DPAPI, the app's private storage on Android), per user and never in the game's folder; a session earlier versions kept in Application.persistentDataPath/xerial-session.json is moved in and that file removed. A WebGL build has no such store: there the session lives in memory whatever this says. Off: the session lives in memory until Shutdown.")]
        public bool persistSession = true;

        [Header("Logging")]
        [Tooltip("SDK log records of this level and more severe go to the Console, on the main thread.")]
        public XerialLogLevel logLevel = XerialLogLevel.Warn;

        /// <summary>The XerialSettings these fields describe (Poll dispatch, as XerialUnity requires).</summary>
        public XerialSettings ToSettings()
        {
            return new XerialSettings
            {
                BaseUrl = OrNull(baseUrl),
                MarketplaceUrl = OrNull(marketplaceUrl),
                ProjectId = OrNull(projectId),
                AllowInsecureHttp = allowInsecureHttp,
                ProxyUrl = OrNull(proxyUrl),
                ExtraRootCaPem = OrNull(extraRootCaPem),
                TimeoutMs = timeoutMs > 0 ? timeoutMs : (int?)null,
                ConnectTimeoutMs = connectTimeoutMs > 0 ? connectTimeoutMs : (int?)null,
                MaxRetries = maxRetries,
                // The OS's store, taking over the plain file earlier versions wrote (moved in, removed).
                SessionStore = persistSession ? XerialSessionStore.Protected : XerialSessionStore.Memory,
                SessionPath = persistSession ? Path.Combine(Application.persistentDataPath, LegacySessionFile) : null,
            };
        }

        /// <summary>The plain session file of versions before the protected store (ABI 1.3).</summary>
        private const string LegacySessionFile = "xerial-session.json";

        private static string OrNull(string s) { return string.IsNullOrEmpty(s) ? null : s.Trim(); }
    }
}
