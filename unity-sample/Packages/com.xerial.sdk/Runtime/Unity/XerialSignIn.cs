// Signing a player in from a Unity game (abi.md §9; README "Signing players in").
//
//  * The URL opens in the system browser with Application.OpenURL, on the main thread: the SDK
//    delivers it inside the frame's poll (XerialUnity polls first in Update). Never a WebView:
//    Google refuses embedded browsers (403 disallowed_useragent).
//  * Desktop (Windows, macOS, Linux, the Editor): the SDK's loopback listener receives the
//    answer; nothing else to do.
//  * iOS: give GoogleSignInOptions.RedirectUri (the iOS client's reversed client id scheme,
//    registered as a URL scheme in Player Settings); the answer comes back as a deep link, which
//    this class hands to XerialSdk.CompleteSignIn (Application.deepLinkActivated).
//  * Android: Google no longer accepts custom schemes for new Android clients. Sign in with
//    Credential Manager (a small Java/Kotlin plugin; Google's "Sign in with Google" for Android)
//    and pass the ID token it returns to XerialSdk.LoginGoogleAsync(idToken, webClientId).
//  * Browser wallet: desktop browsers with an EIP-1193 wallet (MetaMask…). A phone's default
//    browser has none: the sign-in answers XerialCode.Unavailable there (WalletConnect would be
//    the mobile path; not in this SDK).
using System;
using System.Threading;
using System.Threading.Tasks;
using UnityEngine;

namespace Xerial.Unity
{
    public static class XerialSignIn
    {
        private static bool s_listening;

        /// <summary>Signs a player in with Google (see the file comment for each platform). The Task completes on the main thread.</summary>
        public static Task<SessionSummary> SignInWithGoogleAsync(GoogleSignInOptions options,
                                                                 CancellationToken cancellationToken = default(CancellationToken))
        {
            if (options != null && options.RedirectUri != null) ListenForDeepLinks();
            return XerialSdk.SignInWithGoogleAsync(options, Application.OpenURL, cancellationToken);
        }

        /// <summary>Signs a player in with the wallet in their desktop browser (MetaMask or another EIP-1193 wallet).</summary>
        public static Task<SessionSummary> SignInWithBrowserWalletAsync(TimeSpan timeout = default(TimeSpan),
                                                                        CancellationToken cancellationToken = default(CancellationToken))
        {
            return XerialSdk.SignInWithBrowserWalletAsync(Application.OpenURL, timeout, cancellationToken);
        }

        /// <summary>Hands every deep link the app receives to the waiting sign-in (links that are not its answer are left alone).</summary>
        public static void ListenForDeepLinks()
        {
            if (s_listening) return;
            s_listening = true;
            Application.deepLinkActivated -= OnDeepLink;
            Application.deepLinkActivated += OnDeepLink;
        }

        private static void OnDeepLink(string url)
        {
            if (!XerialSdk.IsInitialized || string.IsNullOrEmpty(url)) return;
            try
            {
                // NotFound: not a sign-in's answer (the game's own links): nothing to do.
                XerialSdk.CompleteSignIn(url);
            }
            catch (Exception e)
            {
                Debug.LogException(e);
            }
        }
    }
}
