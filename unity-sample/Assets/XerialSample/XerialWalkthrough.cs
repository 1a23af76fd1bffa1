// The sample scene's script: walks a player through the Xerial API with on-screen results
// (IMGUI, so the scene needs nothing but this component):
//   1. initialise the SDK  2. sign in in the system browser (Google, or a browser wallet such as
//      MetaMask), or log in with a Google ID token, a wallet signature or a token pair
//   3. the wallet and its balances  4. the inventory  5. the shop: buy  6. log out.
//
// Out of the box it talks to the offline Xerial server of this repository:
//   cargo run --release -p xerial-mock -- --port 8080
// which also plays Google's sign-in pages (offlineGoogle: {baseUrl}/oauth/…), and whose test
// conventions are: a Google ID token starting with "google-ok" logs in the demo player, and a
// wallet signature starting with "0xok" is accepted. For real Google, clear offlineGoogle and
// give the client ids of your Google Cloud project (README "Signing players in").
//
// Every call is awaited on the main thread: XerialUnity polls the SDK once per frame from the
// player loop, so results arrive inside a frame, where Unity APIs may be used.
using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using UnityEngine;
using Xerial;
using Xerial.Unity;

namespace XerialSample
{
    public sealed class XerialWalkthrough : MonoBehaviour
    {
        [SerializeField] private string baseUrl = "http://127.0.0.1:8080";
        [SerializeField] private string marketplaceUrl = "http://127.0.0.1:8080";
        [SerializeField] private string projectId = "6564b4f3fa203b318f65da05";
        [SerializeField] private string chain = "polygon";
        [SerializeField] private bool offlineGoogle = true;
        [SerializeField] private string googleDesktopClientId = "sample-desktop.apps.googleusercontent.com";
        [SerializeField] private string googleDesktopClientSecret = "";
        [SerializeField] private string googleIosRedirectUri = ""; // iOS: com.googleusercontent.apps.<id>:/oauth2redirect
        [SerializeField] private string googleIdToken = "google-ok";
        [SerializeField] private string googleClientId = "sample-client-id";
        [SerializeField] private string walletAddress = "0x3333333333333333333333333333333333333333";
        [SerializeField] private string walletSignature = "0xok-signed-by-the-wallet";
        [SerializeField] private string tokenPairJson = "";
        [SerializeField] private bool persistSession = true;

        private readonly List<string> _log = new List<string>();
        private CancellationTokenSource _cancel = new CancellationTokenSource();
        private bool _busy;
        private Vector2 _scroll;
        private Vector2 _logScroll;

        private string _address;
        private string _native = "-";
        private XerialAmount _nativeAmount;
        private string _tokens = "-";
        private List<InventoryItem> _inventory = new List<InventoryItem>();
        private List<PrimaryListing> _shop = new List<PrimaryListing>();

        /// <summary>Any scene works: the walkthrough adds itself when the scene has none.</summary>
        [RuntimeInitializeOnLoadMethod(RuntimeInitializeLoadType.AfterSceneLoad)]
        private static void EnsureInScene()
        {
            if (FindObjectOfType<XerialWalkthrough>() == null)
                new GameObject("Xerial Walkthrough").AddComponent<XerialWalkthrough>();
        }

        private void OnEnable()
        {
            XerialSdk.AuthStateChanged += OnAuthStateChanged;
        }

        private void OnDisable()
        {
            XerialSdk.AuthStateChanged -= OnAuthStateChanged;
            _cancel.Cancel(); // stops our reads still in flight (a purchase already sent is not undone)
            _cancel = new CancellationTokenSource();
        }

        private void OnAuthStateChanged(XerialAuthState state)
        {
            Log("auth state: " + state);
        }

        // ---- the steps ----

        private void StepInitialize()
        {
            try
            {
                XerialUnity.Initialize(new XerialSettings
                {
                    BaseUrl = baseUrl,
                    MarketplaceUrl = string.IsNullOrEmpty(marketplaceUrl) ? null : marketplaceUrl,
                    ProjectId = projectId,
                    // Across runs in the OS's protected store (per user, never under persistentDataPath), or this run only.
                    SessionStore = persistSession ? XerialSessionStore.Default : XerialSessionStore.Memory,
                    OAuthAuthorizeUrl = offlineGoogle ? baseUrl.TrimEnd('/') + "/oauth/authorize" : null,
                    OAuthTokenUrl = offlineGoogle ? baseUrl.TrimEnd('/') + "/oauth/token" : null,
                });
                Log("initialised: libxerial " + XerialSdk.NativeVersion + ", player " + XerialSdk.AuthState);
            }
            catch (XerialException e)
            {
                Log("initialise failed: " + Describe(e));
            }
        }

        private async void StepSignInGoogle()
        {
            await Run("sign in with Google in the browser", async () =>
            {
                var options = new GoogleSignInOptions
                {
                    ClientId = googleDesktopClientId,
                    ClientSecret = string.IsNullOrEmpty(googleDesktopClientSecret) ? null : googleDesktopClientSecret,
                    RedirectUri = Application.platform == RuntimePlatform.IPhonePlayer && googleIosRedirectUri.Length > 0 ? googleIosRedirectUri : null,
                };
                SessionSummary s = await XerialSignIn.SignInWithGoogleAsync(options, _cancel.Token);
                Log("signed in with Google; access token valid until " + s.AccessExpires);
            });
        }

        private async void StepSignInWallet()
        {
            await Run("sign in with the browser's wallet", async () =>
            {
                SessionSummary s = await XerialSignIn.SignInWithBrowserWalletAsync(default(TimeSpan), _cancel.Token);
                Log("signed in with the wallet; access token valid until " + s.AccessExpires);
            });
        }

        private async void StepLoginGoogle()
        {
            await Run("log in with Google", async () =>
            {
                SessionSummary s = await XerialSdk.LoginGoogleAsync(googleIdToken, googleClientId, _cancel.Token);
                Log("logged in; access token valid until " + s.AccessExpires);
            });
        }

        private async void StepLoginWallet()
        {
            await Run("log in with a wallet", async () =>
            {
                NonceResult nonce = await XerialSdk.RequestNonceAsync(walletAddress, _cancel.Token);
                Log("nonce to sign: " + nonce.Nonce + " (a real game asks the wallet to sign it)");
                SessionSummary s = await XerialSdk.LoginWalletAsync(walletAddress, walletSignature, _cancel.Token);
                Log("logged in; access token valid until " + s.AccessExpires);
            });
        }

        private void StepUseTokenPair()
        {
            try
            {
                XerialSdk.SetSession(tokenPairJson);
                Log("session installed from the token pair");
            }
            catch (XerialException e)
            {
                Log("token pair refused: " + Describe(e));
            }
        }

        private async void StepWallet()
        {
            await Run("load the wallet", LoadWallet);
        }

        private async Task LoadWallet()
        {
            UserWallets me = await XerialSdk.GetUserAsync(_cancel.Token);
            if (me.Wallets.Count == 0) { Log("the player has no wallet"); return; }
            // The address to read and transact from: a custodial wallet's smart account on Polygon, the EOA otherwise.
            _address = me.AddressFor(chain);
            Log("player " + (me.User.Identifier ?? me.User.Id) + ", wallet " + _address);
            NativeBalance native = await XerialSdk.GetNativeBalanceAsync(_address, chain, _cancel.Token);
            TokenBalances tokens = await XerialSdk.GetTokenBalancesAsync(_address, chain, _cancel.Token);
            _native = native.Balance;
            _nativeAmount = native.BalanceAmount;
            var sb = new StringBuilder();
            foreach (KeyValuePair<string, string> b in tokens.Balances) sb.Append(b.Key).Append(' ').Append(b.Value).Append("  ");
            _tokens = sb.Length > 0 ? sb.ToString() : "-";
        }

        private async void StepInventory()
        {
            if (_address == null) { Log("load the wallet first"); return; }
            await Run("load the inventory", LoadInventory);
        }

        private async Task LoadInventory()
        {
            ProjectInventory inv = await XerialSdk.GetProjectInventoryAsync(_address, chain, cancellationToken: _cancel.Token);
            _inventory = inv.Items;
            Log(inv.Items.Count + " item kind(s) in the inventory");
        }

        private async void StepShop()
        {
            await Run("load the shop", async () =>
            {
                PrimaryListings listings = await XerialSdk.GetPrimaryListingsAsync(chain, _cancel.Token);
                _shop = listings.Items.FindAll(l => l.InSale);
                Log(_shop.Count + " listing(s) for sale");
            });
        }

        private async void StepBuy(PrimaryListing listing)
        {
            if (_address == null) { Log("load the wallet first"); return; }
            string collection = listing.Metadata.Contract != null ? listing.Metadata.Contract.Address : null;
            if (collection == null) { Log("the listing names no collection"); return; }
            // Amounts are exact decimals: compare them as XerialAmount, never as double.
            if (_nativeAmount < listing.PriceAmount) { Log("not enough funds: " + _native + " < " + listing.Price); return; }
            await Run("buy " + listing.Metadata.Name, async () =>
            {
                // No CancellationToken: a purchase is not something to abandon half-way.
                TransactionResult tx = await XerialSdk.PrimaryPurchaseAsync(_address, chain, collection, listing.TypeId, 1);
                Log("bought " + listing.Metadata.Name + ": transaction " + tx.TransactionHash);
                await LoadWallet();
                await LoadInventory();
            });
        }

        private async void StepLogout()
        {
            await Run("log out", async () =>
            {
                await XerialSdk.LogoutAsync(null, _cancel.Token);
                Log("logged out (the local session was cleared at once; the server revoked the token)");
            });
            _address = null;
            _inventory.Clear();
        }

        /// <summary>Runs one step, reporting a XerialException the way a game would.</summary>
        private async Task Run(string what, Func<Task> step)
        {
            if (_busy) return;
            _busy = true;
            try
            {
                await step();
            }
            catch (OperationCanceledException)
            {
                Log(what + ": cancelled");
            }
            catch (XerialException e)
            {
                if (e.Code == XerialCode.OutcomeUnknown)
                    Log(what + ": the answer was lost after sending; check the inventory before trying again");
                else if (e.Retryable)
                    Log(what + ": failed, try again " + (e.RetryAfter.HasValue ? "in " + e.RetryAfter.Value.TotalSeconds + " s" : "later") + ": " + Describe(e));
                else
                    Log(what + ": " + Describe(e));
            }
            finally
            {
                _busy = false;
            }
        }

        private static string Describe(XerialException e)
        {
            return e.CodeName + (e.HttpStatus != 0 ? " (HTTP " + e.HttpStatus + ")" : "") + ": " + e.Message;
        }

        private void Log(string line)
        {
            _log.Add(DateTime.Now.ToString("HH:mm:ss") + "  " + line);
            if (_log.Count > 200) _log.RemoveAt(0);
            _logScroll = new Vector2(0, 1e6f);
            Debug.Log("[Xerial sample] " + line);
        }

        // ---- on-screen UI ----

        private void OnGUI()
        {
            GUILayout.BeginArea(new Rect(10, 10, Screen.width - 20, Screen.height - 20));
            _scroll = GUILayout.BeginScrollView(_scroll, GUILayout.Height(Screen.height * 0.62f));

            GUILayout.Label("Xerial SDK walkthrough — libxerial " + SafeVersion() + ", player " + (XerialSdk.IsInitialized ? XerialSdk.AuthState.ToString() : "(not initialised)"));

            GUILayout.Label("1. Start");
            GUILayout.BeginHorizontal();
            baseUrl = GUILayout.TextField(baseUrl, GUILayout.Width(300));
            if (!XerialSdk.IsInitialized && GUILayout.Button("Initialise", GUILayout.Width(120))) StepInitialize();
            if (XerialSdk.IsInitialized && GUILayout.Button("Shut down", GUILayout.Width(120))) { XerialUnity.Shutdown(); Log("shut down"); }
            GUILayout.EndHorizontal();

            GUI.enabled = XerialSdk.IsInitialized && !_busy;
            GUILayout.Label("2. Log in");
            GUILayout.BeginHorizontal();
            if (GUILayout.Button("Sign in with Google (browser)", GUILayout.Width(300))) StepSignInGoogle();
            if (GUILayout.Button("Sign in with a browser wallet", GUILayout.Width(300))) StepSignInWallet();
            GUILayout.EndHorizontal();
            GUILayout.BeginHorizontal();
            googleIdToken = GUILayout.TextField(googleIdToken, GUILayout.Width(300));
            if (GUILayout.Button("Log in with Google", GUILayout.Width(200))) StepLoginGoogle();
            GUILayout.EndHorizontal();
            GUILayout.BeginHorizontal();
            walletAddress = GUILayout.TextField(walletAddress, GUILayout.Width(300));
            walletSignature = GUILayout.TextField(walletSignature, GUILayout.Width(200));
            if (GUILayout.Button("Log in with a wallet", GUILayout.Width(200))) StepLoginWallet();
            GUILayout.EndHorizontal();
            GUILayout.BeginHorizontal();
            tokenPairJson = GUILayout.TextField(tokenPairJson, GUILayout.Width(500));
            if (GUILayout.Button("Use token pair", GUILayout.Width(200))) StepUseTokenPair();
            GUILayout.EndHorizontal();

            GUI.enabled = XerialSdk.IsInitialized && !_busy && XerialSdk.AuthState == XerialAuthState.LoggedIn;
            GUILayout.Label("3. Wallet: " + (_address ?? "-") + "   native " + _native + "   tokens " + _tokens);
            if (GUILayout.Button("Load wallet and balances", GUILayout.Width(300))) StepWallet();

            GUILayout.Label("4. Inventory");
            if (GUILayout.Button("Load inventory", GUILayout.Width(300))) StepInventory();
            foreach (InventoryItem item in _inventory)
                GUILayout.Label("   " + item.Metadata.Name + " × " + item.Quantity);

            GUILayout.Label("5. Shop");
            if (GUILayout.Button("Load shop", GUILayout.Width(300))) StepShop();
            foreach (PrimaryListing listing in _shop)
            {
                GUILayout.BeginHorizontal();
                GUILayout.Label("   " + listing.Metadata.Name + " — " + listing.Price + " (" + listing.MintedTokens + "/" + listing.Supply + " minted)", GUILayout.Width(420));
                if (GUILayout.Button("Buy 1", GUILayout.Width(100))) StepBuy(listing);
                GUILayout.EndHorizontal();
            }

            GUILayout.Label("6. Log out");
            if (GUILayout.Button("Log out", GUILayout.Width(300))) StepLogout();
            GUI.enabled = true;

            GUILayout.EndScrollView();
            _logScroll = GUILayout.BeginScrollView(_logScroll);
            foreach (string line in _log) GUILayout.Label(line);
            GUILayout.EndScrollView();
            GUILayout.EndArea();
        }

        private static string SafeVersion()
        {
            try { return XerialSdk.NativeVersion; }
            catch (Exception) { return "(not found: see the package README)"; }
        }
    }
}
