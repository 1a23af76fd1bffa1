// Every asynchronous binding call against the offline server: its success, read into its typed
// result class, and one documented error. The mock's demo world (xerial-mock/fixtures/demo.json)
// gives the player 0x8e9D… on polygon 25 native and 100 usdc, tokens 1–3 of the "Arena Heroes
// Gear" collection, three primary listings and community listing 38.
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Xerial.Json;

namespace Xerial.Tests
{
    public static class ApiTests
    {
        private static void LoggedIn()
        {
            T.Init();
            XerialSdk.SetSession(Mock.NewSession());
        }

        public static void Register()
        {
            T.Case("api: LoginGoogle installs the session; a bad token is BadRequest \"Auth Failed\"", () =>
            {
                T.Init();
                SessionSummary s = T.Await(XerialSdk.LoginGoogleAsync("google-ok", "client-id"));
                T.Check(s.AccessExpiresUtc.HasValue && s.RefreshExpiresUtc.HasValue, "expiries " + s.Json);
                T.Check(!s.Json.Contains("token"), "no token in the result: " + s.Json);
                T.Eq(XerialAuthState.LoggedIn, XerialSdk.AuthState, "logged in");
                XerialException e = T.ExpectError(XerialSdk.LoginGoogleAsync("bad", "client-id"), XerialCode.BadRequest, 400);
                T.Eq("Auth Failed", e.Message, "message");
            });

            T.Case("api: RequestNonce + LoginWallet; no nonce is NotFound \"Nonce Not Found\"", () =>
            {
                T.Init();
                const string address = "0x3333333333333333333333333333333333333333";
                NonceResult n = T.Await(XerialSdk.RequestNonceAsync(address));
                T.Check(!string.IsNullOrEmpty(n.Nonce), "nonce");
                SessionSummary s = T.Await(XerialSdk.LoginWalletAsync(address, "0xok-signature"));
                T.Check(s.AccessExpires != null, "summary");
                T.Eq(XerialAuthState.LoggedIn, XerialSdk.AuthState, "logged in");
                XerialException e = T.ExpectError(XerialSdk.LoginWalletAsync("0x4444444444444444444444444444444444444444", "0xok"), XerialCode.NotFound, 404);
                T.Eq("Nonce Not Found", e.Message, "message");
                T.ExpectError(XerialSdk.RequestNonceAsync("0x12"), XerialCode.InvalidArgument, 0);
            });

            T.Case("api: Refresh renews the session; a revoked refresh token ends it (NotLoggedIn, 401, LoggedOut)", () =>
            {
                T.Init();
                string pair = Mock.NewSession();
                XerialSdk.SetSession(pair);
                SessionSummary s = T.Await(XerialSdk.RefreshAsync());
                T.Check(s.RefreshExpires != null, "summary");
                T.Check(XerialSdk.GetSession().RefreshToken != XerialTokens.Read(JsonValue.Parse(pair)).RefreshToken, "a new pair is installed");
                // revoke the current refresh token behind the SDK's back
                string current = XerialSdk.GetSession().RefreshToken;
                T.Eq(204, Mock.Send("POST", "/api/auth/logout", "{\"refreshToken\":\"" + current + "\"}").Key, "revoked server-side");
                var states = new List<XerialAuthState>();
                Action<XerialAuthState> l = st => states.Add(st);
                XerialSdk.AuthStateChanged += l;
                try
                {
                    T.ExpectError(XerialSdk.RefreshAsync(), XerialCode.NotLoggedIn, 401);
                    T.Eq(XerialAuthState.LoggedOut, XerialSdk.AuthState, "session ended");
                    T.PollUntil(() => states.Contains(XerialAuthState.LoggedOut), 5000, "LoggedOut notification");
                }
                finally { XerialSdk.AuthStateChanged -= l; }
            });

            T.Case("api: GetUser reads the player and wallets; without a session NotLoggedIn, nothing sent", () =>
            {
                LoggedIn();
                UserWallets u = T.Await(XerialSdk.GetUserAsync());
                T.Eq("5ebac534954b54139806c112", u.User.Id, "user id");
                T.Check(u.Wallets.Count >= 1, "wallets");
                T.Eq(Mock.DemoWallet, u.Wallets[0].Address, "wallet address");
                T.Check(u.Wallets[0].Custodial, "custodial");
                T.Eq("evm", u.Wallets[0].Type, "type");
                // the address to transact from: the custodial wallet's smart account on Polygon, which Xerial (and the mock) accept
                string address = u.AddressFor(XerialChains.Polygon);
                T.Eq(u.Wallets[0].SmartAccount, address, "AddressFor(polygon)");
                T.Eq("25", T.Await(XerialSdk.GetNativeBalanceAsync(address, XerialChains.Polygon)).Balance, "the same wallet through its smart account");
                XerialSdk.ClearSession();
                long before = Mock.Count("GET", "/api/user");
                T.ExpectError(XerialSdk.GetUserAsync(), XerialCode.NotLoggedIn, 0);
                T.Eq(before, Mock.Count("GET", "/api/user"), "nothing sent");
            });

            T.Case("api: GetNativeBalance is an exact decimal string; unknown wallet NotFound, bad address InvalidArgument", () =>
            {
                T.Init();
                NativeBalance native = T.Await(XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon"));
                T.Eq("25", native.Balance, "balance");
                T.Eq(XerialAmount.Parse("25"), native.BalanceAmount, "as an exact amount");
                XerialException e = T.ExpectError(XerialSdk.GetNativeBalanceAsync("0x9999999999999999999999999999999999999999", "polygon"), XerialCode.NotFound, 404);
                T.Eq("Wallet Not Found", e.Message, "message");
                T.ExpectError(XerialSdk.GetNativeBalanceAsync("0x12", "polygon"), XerialCode.InvalidArgument, 0);
                T.ExpectError(XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "Polygon!"), XerialCode.InvalidArgument, 0);
            });

            T.Case("api: GetTokenBalances maps symbols to decimal strings; unknown wallet NotFound", () =>
            {
                T.Init();
                TokenBalances b = T.Await(XerialSdk.GetTokenBalancesAsync(Mock.DemoWallet, "polygon"));
                T.Eq("100", b.Balances["usdc"], "usdc");
                XerialAmount usdc;
                T.Check(b.TryGetAmount("usdc", out usdc) && usdc == 100, "TryGetAmount(usdc)");
                T.Check(!b.TryGetAmount("nope", out usdc) && usdc.IsZero, "TryGetAmount of a token not held");
                T.ExpectError(XerialSdk.GetTokenBalancesAsync("0x9999999999999999999999999999999999999999", "polygon"), XerialCode.NotFound, 404);
            });

            T.Case("api: GetProjectInventory reads items and metadata; no project configured is InvalidArgument", () =>
            {
                T.Init();
                ProjectInventory inv = T.Await(XerialSdk.GetProjectInventoryAsync(Mock.DemoWallet, "polygon"));
                T.Check(inv.Items.Count >= 1, "items: " + inv.Json);
                InventoryItem sword = inv.Items.Find(i => i.Metadata.Name == "Fire Sword");
                T.Check(sword != null, "Fire Sword in " + inv.Json);
                T.Eq(2L, sword.Quantity, "quantity");
                T.Eq(2, sword.Tokens.Count, "tokens");
                T.Check(sword.Tokens.Exists(t => t.TokenId == "1"), "token id as a string");
                T.Check(sword.Metadata.Attributes.Exists(a => a.Name == "magical damage" && a.Value == "2000"), "attributes");
                XerialSdk.Shutdown();
                XerialSdk.Initialize(new XerialSettings { BaseUrl = T.Url, SessionStore = XerialSessionStore.Memory });
                T.ExpectError(XerialSdk.GetProjectInventoryAsync(Mock.DemoWallet, "polygon"), XerialCode.InvalidArgument, 0);
            });

            T.Case("api: GetGlobalInventory reads ownedNfts; a chain Xerial does not serve is BadRequest", () =>
            {
                T.Init();
                GlobalInventory g = T.Await(XerialSdk.GetGlobalInventoryAsync(Mock.DemoWallet, "polygon"));
                T.Check(g.OwnedNfts.Count >= 1, "nfts: " + g.Json);
                T.Check(g.OwnedNfts.TrueForAll(n => n.TokenId != null && n.Contract.Address != null), "token ids and contracts");
                T.ExpectError(XerialSdk.GetGlobalInventoryAsync(Mock.DemoWallet, "telos"), XerialCode.BadRequest, 400);
            });

            T.Case("api: CreateCustodialUser + CreateCustodialWallet; unknown user NotFound; no session NotLoggedIn", () =>
            {
                LoggedIn();
                CreatedUser u = T.Await(XerialSdk.CreateCustodialUserAsync("ref@example.com"));
                T.Check(!string.IsNullOrEmpty(u.Id), "id");
                T.Eq("ref@example.com", u.Reference, "reference (the server spells it refrence)");
                WalletResult w = T.Await(XerialSdk.CreateCustodialWalletAsync(u.Id));
                T.Check(w.Wallet.Custodial && w.Wallet.Address.StartsWith("0x"), "wallet " + w.Json);
                T.ExpectError(XerialSdk.CreateCustodialWalletAsync("ffffffffffffffffffffffff"), XerialCode.NotFound, 404);
                XerialSdk.ClearSession();
                T.ExpectError(XerialSdk.CreateCustodialUserAsync(null), XerialCode.NotLoggedIn, 0);
            });

            T.Case("api: TransferNft gives a transaction hash; someone else's NFT is PreconditionFailed", () =>
            {
                LoggedIn();
                TransactionResult tx = T.Await(XerialSdk.TransferNftAsync(Mock.DemoWallet, "polygon", Mock.Gear, "1", Mock.RivalWallet));
                T.Check(tx.TransactionHash != null && tx.TransactionHash.StartsWith("0x") && tx.TransactionHash.Length == 66, "hash " + tx.TransactionHash);
                XerialException e = T.ExpectError(XerialSdk.TransferNftAsync(Mock.DemoWallet, "polygon", Mock.Gear, "4", Mock.RivalWallet), XerialCode.PreconditionFailed, 412);
                T.Check(!e.Retryable, "not retryable");
            });

            T.Case("api: TransferToken moves a decimal amount; another player's wallet is Forbidden", () =>
            {
                LoggedIn();
                T.Check(T.Await(XerialSdk.TransferTokenAsync(Mock.DemoWallet, "polygon", Mock.Usdc, "1.5", Mock.RivalWallet)).TransactionHash != null, "hash");
                T.Eq("98.5", T.Await(XerialSdk.GetTokenBalancesAsync(Mock.DemoWallet, "polygon")).Balances["usdc"], "balance after");
                T.ExpectError(XerialSdk.TransferTokenAsync(Mock.RivalWallet, "polygon", Mock.Usdc, "1", Mock.DemoWallet), XerialCode.Forbidden, 403);
            });

            T.Case("api: PrimaryPurchase buys a listing (balance drops); quantity 0 is InvalidArgument, nothing sent", () =>
            {
                LoggedIn();
                PrimaryListing sword = T.Await(XerialSdk.GetPrimaryListingsAsync(null, "polygon")).Items.Find(l => l.Metadata.Name == "Fire Sword");
                T.Check(T.Await(XerialSdk.PrimaryPurchaseAsync(Mock.DemoWallet, "polygon", Mock.Gear, sword.TypeId, 2)).TransactionHash != null, "hash");
                T.Eq("24", T.Await(XerialSdk.GetNativeBalanceAsync(Mock.DemoWallet, "polygon")).Balance, "25 - 2 × 0.5");
                long before = Mock.Count("POST", "/api/wallet/" + Mock.DemoWallet + "/polygon/primary-purchase");
                T.ExpectError(XerialSdk.PrimaryPurchaseAsync(Mock.DemoWallet, "polygon", Mock.Gear, sword.TypeId, 0), XerialCode.InvalidArgument, 0);
                T.ExpectError(XerialSdk.PrimaryPurchaseAsync(Mock.DemoWallet, "polygon", Mock.Gear, sword.TypeId, -1), XerialCode.InvalidArgument, 0);
                T.Eq(before, Mock.Count("POST", "/api/wallet/" + Mock.DemoWallet + "/polygon/primary-purchase"), "nothing sent");
            });

            T.Case("api: SecondaryPurchase buys listing 38; a lost answer is OutcomeUnknown, never retried", () =>
            {
                LoggedIn();
                SecondaryListing item = T.Await(XerialSdk.GetSecondaryListingsAsync(null, "polygon")).Items.Find(l => l.MarketItemId == "38");
                T.Check(item != null, "listing 38");
                string path = "/api/wallet/" + Mock.DemoWallet + "/polygon/secondary-purchase";
                Mock.Fault("POST", path, "{\"kind\":\"drop\"}", 1);
                XerialException e = T.ExpectError(XerialSdk.SecondaryPurchaseAsync(Mock.DemoWallet, "polygon", item.MarketItemId), XerialCode.OutcomeUnknown);
                T.Check(!e.Retryable, "OutcomeUnknown is not retryable");
                T.Eq(1L, Mock.Count("POST", path), "sent once");
                T.Check(T.Await(XerialSdk.SecondaryPurchaseAsync(Mock.DemoWallet, "polygon", item.MarketItemId)).TransactionHash != null, "hash");
            });

            T.Case("api: ListNft then DelistNft (via the seller's listings); a bad price is InvalidArgument", () =>
            {
                LoggedIn();
                T.Check(T.Await(XerialSdk.ListNftAsync(Mock.DemoWallet, "polygon", Mock.Gear, "2", "1.25")).TransactionHash != null, "list hash");
                SecondaryListings mine = T.Await(XerialSdk.GetSecondaryListingsAsync(Mock.DemoProject, "polygon", Mock.DemoWallet));
                SecondaryListing listed = mine.Items.Find(l => l.TokenId == "2");
                T.Check(listed != null, "listed token 2 in " + mine.Json);
                T.Eq("1.25", listed.Price, "price");
                T.Check(T.Await(XerialSdk.DelistNftAsync(Mock.DemoWallet, "polygon", listed.MarketItemId)).TransactionHash != null, "delist hash");
                T.ExpectError(XerialSdk.ListNftAsync(Mock.DemoWallet, "polygon", Mock.Gear, "3", "-1"), XerialCode.InvalidArgument, 0);
                T.ExpectError(XerialSdk.DelistNftAsync(Mock.DemoWallet, "polygon", "1.5"), XerialCode.InvalidArgument, 0);
            });

            T.Case("api: CustomTransaction sends a JSON object; anything else is InvalidArgument", () =>
            {
                LoggedIn();
                string tx = "{\"type\":\"CONTRACT_EXECUTION\",\"to\":\"" + Mock.Usdc + "\",\"functionName\":\"transfer\",\"value\":0," +
                            "\"inputs\":[{\"type\":\"address\",\"value\":\"" + Mock.RivalWallet + "\"},{\"type\":\"uint256\",\"value\":1}]}";
                T.Check(T.Await(XerialSdk.CustomTransactionAsync(Mock.DemoWallet, "polygon", tx)).TransactionHash != null, "hash");
                T.ExpectError(XerialSdk.CustomTransactionAsync(Mock.DemoWallet, "polygon", "[1,2]"), XerialCode.InvalidArgument, 0);
            });

            T.Case("api: GetCollections of the configured project; without MarketplaceUrl InvalidArgument", () =>
            {
                T.Init();
                CollectionsResult c = T.Await(XerialSdk.GetCollectionsAsync());
                T.Eq(Mock.DemoProject, c.ProjectId, "project id");
                T.Check(c.Collections.Exists(x => x.Address == Mock.Gear && x.Chain == "polygon"), "collections " + c.Json);
                T.Check(c.Project != null && c.Project.Name == "Xerial Demo Arena", "project");
                XerialSdk.Shutdown();
                XerialSdk.Initialize(new XerialSettings { BaseUrl = T.Url, ProjectId = Mock.DemoProject, SessionStore = XerialSessionStore.Memory });
                XerialException e = T.ExpectError(XerialSdk.GetCollectionsAsync(), XerialCode.InvalidArgument, 0);
                T.Check(e.Message.Length > 0, "a message says why");
            });

            T.Case("api: GetPrimaryListings reads typeId/price as strings; a bad chain is InvalidArgument", () =>
            {
                T.Init();
                PrimaryListings p = T.Await(XerialSdk.GetPrimaryListingsAsync(Mock.DemoProject, "polygon"));
                PrimaryListing sword = p.Items.Find(l => l.Metadata.Name == "Fire Sword");
                T.Check(sword != null, "listing " + p.Json);
                T.Eq("1", sword.TypeId, "typeId");
                T.Eq("0.5", sword.Price, "price");
                T.Check(sword.PriceAmount == XerialAmount.Parse("0.5") && sword.PriceAmount < 25, "price as an exact amount, comparable with a balance");
                T.Eq(p.Json, T.Await(XerialSdk.GetPrimaryListingsAsync("polygon")).Json, "GetPrimaryListingsAsync(chain): the configured project");
                T.Eq(13L, sword.Supply, "supply (the original supply)");
                T.Eq(3L, sword.MintedTokens, "minted");
                T.Check(sword.InSale, "in sale");
                T.ExpectError(XerialSdk.GetPrimaryListingsAsync(Mock.DemoProject, "POLYGON"), XerialCode.InvalidArgument, 0);
            });

            T.Case("api: GetSecondaryListings (all, or one seller); bad seller address InvalidArgument", () =>
            {
                T.Init();
                SecondaryListings s = T.Await(XerialSdk.GetSecondaryListingsAsync(Mock.DemoProject, "polygon"));
                SecondaryListing l = s.Items.Find(x => x.MarketItemId == "38");
                T.Check(l != null, "listing 38 in " + s.Json);
                T.Eq("0.75", l.Price, "price");
                T.Eq("0.75", l.PriceAmount.ToString(), "price as an amount");
                T.Eq(s.Json, T.Await(XerialSdk.GetSecondaryListingsAsync("polygon")).Json, "GetSecondaryListingsAsync(chain): the configured project, every seller");
                T.Eq("4", l.TokenId, "token id");
                T.Eq(0, T.Await(XerialSdk.GetSecondaryListingsAsync(Mock.DemoProject, "polygon", Mock.DemoWallet)).Items.Count, "none by the demo player");
                T.ExpectError(XerialSdk.GetSecondaryListingsAsync(Mock.DemoProject, "polygon", "0xnope"), XerialCode.InvalidArgument, 0);
            });

            T.Case("api: GetMarketProject by domain; an unknown domain is NotFound", () =>
            {
                T.Init();
                Project p = T.Await(XerialSdk.GetMarketProjectAsync("demo-arena")).Project;
                T.Eq(Mock.DemoProject, p.Id, "id");
                T.Eq("Xerial Demo Arena", p.Name, "name");
                T.Check(p.SocialMedias != null && p.SocialMedias.Discord != null, "social medias");
                T.ExpectError(XerialSdk.GetMarketProjectAsync("no-such-game"), XerialCode.NotFound, 404);
            });

            T.Case("api: Request (escape hatch) GETs with the player's auth; /api/auth/ paths are InvalidArgument", () =>
            {
                LoggedIn();
                RawResponse r = T.Await(XerialSdk.RequestAsync("GET", "/api/user", null, true));
                T.Eq("5ebac534954b54139806c112", r.Value["user"].GetString("id"), "user id");
                T.ExpectError(XerialSdk.RequestAsync("POST", "/api/auth/logout", "{}"), XerialCode.InvalidArgument, 0);
                T.ExpectError(XerialSdk.RequestAsync("GET", "/api/no-such-thing"), XerialCode.NotFound, 404);
            });

            T.Case("api: every callback overload completes exactly once with its typed result or error", () =>
            {
                LoggedIn();
                var done = new Dictionary<string, int>();
                var failures = new List<string>();
                Func<string, bool, Action<XerialResponse, XerialException>> expect = (name, ok) =>
                {
                    done[name] = 0;
                    return (r, e) =>
                    {
                        done[name]++;
                        if (ok && (r == null || e != null)) failures.Add(name + ": " + e);
                        if (!ok && (e == null || r != null)) failures.Add(name + ": expected an error");
                    };
                };
                string sword = "1";
                var calls = new List<Action>
                {
                    () => { var f = expect("RequestNonce", true); XerialSdk.RequestNonce(Mock.DemoWallet, (r, e) => f(r, e)); },
                    () => { var f = expect("LoginGoogle", false); XerialSdk.LoginGoogle("bad", "c", (r, e) => f(r, e)); },
                    () => { var f = expect("LoginWallet", false); XerialSdk.LoginWallet("0x5555555555555555555555555555555555555555", "0xok", (r, e) => f(r, e)); },
                    () => { var f = expect("Logout", false); XerialSdk.Logout("nope", (r, e) => f(r, e)); },
                    () => { var f = expect("GetUser", true); XerialSdk.GetUser((r, e) => f(r, e)); },
                    () => { var f = expect("GetNativeBalance", true); XerialSdk.GetNativeBalance(Mock.DemoWallet, "polygon", (r, e) => f(r, e)); },
                    () => { var f = expect("GetTokenBalances", true); XerialSdk.GetTokenBalances(Mock.DemoWallet, "polygon", (r, e) => f(r, e)); },
                    () => { var f = expect("GetProjectInventory", true); XerialSdk.GetProjectInventory(Mock.DemoWallet, "polygon", null, (r, e) => f(r, e)); },
                    () => { var f = expect("GetGlobalInventory", true); XerialSdk.GetGlobalInventory(Mock.DemoWallet, "polygon", (r, e) => f(r, e)); },
                    () => { var f = expect("CreateCustodialUser", true); XerialSdk.CreateCustodialUser(null, (r, e) => f(r, e)); },
                    () => { var f = expect("CreateCustodialWallet", false); XerialSdk.CreateCustodialWallet("ffffffffffffffffffffffff", (r, e) => f(r, e)); },
                    () => { var f = expect("TransferNft", false); XerialSdk.TransferNft(Mock.DemoWallet, "polygon", Mock.Gear, "5", Mock.RivalWallet, (r, e) => f(r, e)); },
                    () => { var f = expect("TransferToken", true); XerialSdk.TransferToken(Mock.DemoWallet, "polygon", Mock.Usdc, "1", Mock.RivalWallet, (r, e) => f(r, e)); },
                    () => { var f = expect("PrimaryPurchase", true); XerialSdk.PrimaryPurchase(Mock.DemoWallet, "polygon", Mock.Gear, sword, 1, (r, e) => f(r, e)); },
                    () => { var f = expect("SecondaryPurchase", false); XerialSdk.SecondaryPurchase(Mock.DemoWallet, "polygon", "x", (r, e) => f(r, e)); },
                    () => { var f = expect("ListNft", true); XerialSdk.ListNft(Mock.DemoWallet, "polygon", Mock.Gear, "3", "9", (r, e) => f(r, e)); },
                    () => { var f = expect("DelistNft", false); XerialSdk.DelistNft(Mock.DemoWallet, "polygon", "-1", (r, e) => f(r, e)); },
                    () => { var f = expect("CustomTransaction", true); XerialSdk.CustomTransaction(Mock.DemoWallet, "polygon", "{\"to\":\"" + Mock.RivalWallet + "\"}", (r, e) => f(r, e)); },
                    () => { var f = expect("GetCollections", true); XerialSdk.GetCollections(null, (r, e) => f(r, e)); },
                    () => { var f = expect("GetPrimaryListings", true); XerialSdk.GetPrimaryListings(null, "polygon", (r, e) => f(r, e)); },
                    () => { var f = expect("GetSecondaryListings", true); XerialSdk.GetSecondaryListings(null, "polygon", null, (r, e) => f(r, e)); },
                    () => { var f = expect("GetMarketProject", false); XerialSdk.GetMarketProject("nope-nope", (r, e) => f(r, e)); },
                    () => { var f = expect("Request", true); XerialSdk.Request("GET", "/api/user", null, true, (r, e) => f(r, e)); },
                };
                done.Clear();
                foreach (Action c in calls) c();
                T.PollUntil(() => { foreach (int n in done.Values) if (n == 0) return false; return true; }, 15000, "every callback");
                XerialSdk.Shutdown(); // nothing may run twice, not even at shutdown
                foreach (KeyValuePair<string, int> d in done) if (d.Value != 1) failures.Add(d.Key + " ran " + d.Value + " times");
                T.Check(failures.Count == 0, string.Join("; ", failures.ToArray()));
                T.Eq(23, done.Count, "calls");
                // and a refresh by callback, last (it rotates the pair)
                LoggedIn();
                int refreshed = 0;
                XerialSdk.Refresh((r, e) => { if (r != null) refreshed++; });
                T.PollUntil(() => refreshed == 1, 10000, "Refresh callback");
            });
        }
    }
}
