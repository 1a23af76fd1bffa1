// Sign-in in the system browser (abi.md §9): Google (OAuth code flow + PKCE) and a browser
// wallet (an EIP-1193 wallet signs the nonce), each one request with the usual promises.
//
// The SDK hands the URL to open to an OpenUrlHandler, where completions run: inside Poll(), on the
// game thread. In Unity, Xerial.Unity.XerialSignIn passes Application.OpenURL (and forwards
// mobile deep links to CompleteSignIn); with no handler the SDK opens the default browser itself
// on desktops. Never open it in an embedded webview: Google refuses them.
//
// IL2CPP: the open_url callback is a static [MonoPInvokeCallback] method held in a static field;
// the handler travels as a GCHandle in open_url_user_data, freed once the sign-in has completed
// (the SDK never calls open_url after that).
using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using AOT;
using Xerial.Internal;
using Xerial.Native;

namespace Xerial
{
    /// <summary>Opens a sign-in URL in the player's system browser. Runs inside XerialSdk.Poll.</summary>
    public delegate void OpenUrlHandler(string url);

    /// <summary>What a Google sign-in needs (README "Signing players in": the Google console set-up).</summary>
    public sealed class GoogleSignInOptions
    {
        /// <summary>The OAuth client id: the "Desktop app" type on desktop, the "iOS" type on iOS. Required.</summary>
        public string ClientId;
        /// <summary>"Desktop app" clients: the client secret Google issues to installed apps (not confidential). Null otherwise.</summary>
        public string ClientSecret;
        /// <summary>Null: the SDK listens on 127.0.0.1 (desktop). Otherwise the app's own redirect
        /// (iOS: com.googleusercontent.apps.ID:/oauth2redirect); pass the URL the OS delivers to XerialSdk.CompleteSignIn.</summary>
        public string RedirectUri;
        /// <summary>The whole sign-in's deadline; zero: five minutes.</summary>
        public TimeSpan Timeout;
    }

    public static partial class XerialSdk
    {
        private static readonly XerialOpenUrlCallback s_openUrl = OnOpenUrl;
        private static readonly IntPtr s_openUrlPointer = Marshal.GetFunctionPointerForDelegate(s_openUrl);

        /// <summary>
        /// Signs a player in with Google in the system browser and logs in with Xerial. The session
        /// is installed before the Task completes. openUrl null: the SDK opens the default browser
        /// (desktop only). Errors: Denied (the player refused), Timeout, Cancelled (through the token),
        /// InvalidArgument ("a sign-in is already waiting", bad options, no ProjectId), BadRequest
        /// ("invalid_grant"), Unavailable, or any error of the login call.
        /// </summary>
        public static Task<SessionSummary> SignInWithGoogleAsync(GoogleSignInOptions options, OpenUrlHandler openUrl = null,
                                                                 CancellationToken cancellationToken = default(CancellationToken))
        {
            if (options == null) throw new ArgumentNullException("options");
            var opener = Opener.For(openUrl);
            Task<SessionSummary> task = Calls.StartTask(SessionSummary.Read, cancellationToken,
                (cb, ud) => StartSignIn(XerialConstants.XERIAL_SIGNIN_GOOGLE, options.ClientId, options.ClientSecret,
                                        options.RedirectUri, options.Timeout, opener, cb, ud));
            return opener.FreeWhenDone(task);
        }

        /// <summary>
        /// Signs a player in with the EIP-1193 wallet in their browser (MetaMask or another): the
        /// SDK serves a page on 127.0.0.1 that asks the wallet for the account and a signature of
        /// Xerial's nonce. Errors: Denied (the wallet refused), Unavailable (no wallet in the
        /// browser), Timeout, Cancelled, InvalidArgument, BadRequest ("Auth Failed"), …
        /// </summary>
        public static Task<SessionSummary> SignInWithBrowserWalletAsync(OpenUrlHandler openUrl = null, TimeSpan timeout = default(TimeSpan),
                                                                        CancellationToken cancellationToken = default(CancellationToken))
        {
            var opener = Opener.For(openUrl);
            Task<SessionSummary> task = Calls.StartTask(SessionSummary.Read, cancellationToken,
                (cb, ud) => StartSignIn(XerialConstants.XERIAL_SIGNIN_BROWSER_WALLET, null, null, null, timeout, opener, cb, ud));
            return opener.FreeWhenDone(task);
        }

        /// <summary>Callback form of SignInWithGoogleAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong SignInWithGoogle(GoogleSignInOptions options, OpenUrlHandler openUrl, Action<SessionSummary, XerialException> onDone)
        {
            if (options == null) throw new ArgumentNullException("options");
            if (onDone == null) throw new ArgumentNullException("onDone");
            var opener = Opener.For(openUrl);
            return opener.FreeOnThrow(() => Calls.StartCallback(SessionSummary.Read, opener.FreeThen(onDone),
                (cb, ud) => StartSignIn(XerialConstants.XERIAL_SIGNIN_GOOGLE, options.ClientId, options.ClientSecret,
                                        options.RedirectUri, options.Timeout, opener, cb, ud)));
        }

        /// <summary>Callback form of SignInWithBrowserWalletAsync; returns the request id.</summary>
        public static ulong SignInWithBrowserWallet(OpenUrlHandler openUrl, TimeSpan timeout, Action<SessionSummary, XerialException> onDone)
        {
            if (onDone == null) throw new ArgumentNullException("onDone");
            var opener = Opener.For(openUrl);
            return opener.FreeOnThrow(() => Calls.StartCallback(SessionSummary.Read, opener.FreeThen(onDone),
                (cb, ud) => StartSignIn(XerialConstants.XERIAL_SIGNIN_BROWSER_WALLET, null, null, null, timeout, opener, cb, ud)));
        }

        /// <summary>
        /// Hands the waiting sign-in the URL its redirect URI received (a mobile deep link; in
        /// Unity XerialSignIn forwards Application.deepLinkActivated). Ok: taken, the sign-in's
        /// Task reports the outcome. NotFound: no sign-in waits for it (another state, another
        /// redirect, or already answered). InvalidArgument: not a URL. Any thread.
        /// </summary>
        public static XerialCode CompleteSignIn(string redirectUrl)
        {
            return (XerialCode)XerialNative.xerial_signin_complete(Utf8.Z(redirectUrl, "redirectUrl"));
        }

        private static ulong StartSignIn(int method, string clientId, string clientSecret, string redirectUri, TimeSpan timeout,
                                         Opener opener, XerialCallback callback, IntPtr userData)
        {
            if (timeout < TimeSpan.Zero) throw new ArgumentException("must not be negative", "timeout");
            var options = new XerialSignInOptions
            {
                struct_size = (uint)Marshal.SizeOf(typeof(XerialSignInOptions)),
                method = method,
                timeout_ms = (ulong)timeout.TotalMilliseconds,
                open_url = opener.Handle == IntPtr.Zero ? IntPtr.Zero : s_openUrlPointer,
                open_url_user_data = opener.Handle,
            };
            try
            {
                // Copied by the SDK during the call.
                options.client_id = Utf8.AllocHGlobal(clientId);
                options.client_secret = Utf8.AllocHGlobal(clientSecret);
                options.redirect_uri = Utf8.AllocHGlobal(redirectUri);
                return XerialNative.xerial_signin_start(ref options, callback, userData);
            }
            finally
            {
                Marshal.FreeHGlobal(options.client_id);
                Marshal.FreeHGlobal(options.client_secret);
                Marshal.FreeHGlobal(options.redirect_uri);
            }
        }

        [Preserve]
        [MonoPInvokeCallback(typeof(XerialOpenUrlCallback))]
        private static void OnOpenUrl(IntPtr userData, IntPtr url)
        {
            // Nothing may unwind into native code.
            try
            {
                var handler = (OpenUrlHandler)GCHandle.FromIntPtr(userData).Target;
                handler(Utf8.Read(url));
            }
            catch (Exception e)
            {
                Calls.Report(e);
            }
        }

        /// <summary>The game's OpenUrlHandler as open_url_user_data: a GCHandle, freed once the sign-in completed.</summary>
        private sealed class Opener
        {
            private GCHandle _handle;

            public IntPtr Handle { get { return _handle.IsAllocated ? GCHandle.ToIntPtr(_handle) : IntPtr.Zero; } }

            public static Opener For(OpenUrlHandler handler)
            {
                var opener = new Opener();
                if (handler != null) opener._handle = GCHandle.Alloc(handler);
                return opener;
            }

            private void Free()
            {
                lock (this)
                {
                    if (_handle.IsAllocated) _handle.Free();
                }
            }

            /// <summary>The task, after which the handle is freed (its callback has run by then).</summary>
            public Task<SessionSummary> FreeWhenDone(Task<SessionSummary> task)
            {
                task.ContinueWith(_ => Free(), TaskContinuationOptions.ExecuteSynchronously);
                return task;
            }

            public Action<SessionSummary, XerialException> FreeThen(Action<SessionSummary, XerialException> onDone)
            {
                return (value, error) => { Free(); onDone(value, error); };
            }

            public ulong FreeOnThrow(Func<ulong> start)
            {
                try { return start(); }
                catch { Free(); throw; }
            }
        }
    }
}
