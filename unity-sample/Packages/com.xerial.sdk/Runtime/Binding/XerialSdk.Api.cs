// One Task<T> method and one callback overload per asynchronous function of include/xerial.h.
//
// Binding a new function is one uniform step:
//   1. its [DllImport] line in Native/XerialNative.cs (the header drift test insists),
//   2. its result class in Models/ (a static Read(JsonValue) for the JSON the header documents),
//   3. the two methods below: the Starter lambda converts the arguments (strings with Utf8.Z,
//      which rejects U+0000 as InvalidArgument before anything is sent) and calls the function
//      with the callback and user_data it is given. Everything else is shared (Internal/Calls.cs).
//
// Optional arguments: in the Task methods every "none" argument can be left out — a trailing
// projectId, seller, refreshToken, reference or jsonBody is optional (null), and the market
// listings, whose projectId comes first as in the C ABI, also have an overload without it
// (GetPrimaryListingsAsync(chain)). The callback forms take every argument explicitly (null: none).
//
// Task methods: the Task completes inside Poll() (or Shutdown()) on the polling thread. Failure:
// XerialException; cancellation through the token: a cancelled Task (OperationCanceledException),
// except for a value-moving call already sent, which faults with OutcomeUnknown.
// Callback overloads: return the request id (XerialSdk.Cancel(id) cancels); onDone(result, error)
// runs exactly once with exactly one of them non-null. They throw XerialException at once when the
// call cannot start (not initialised, invalid argument), and the callback then never runs.
//
// Arguments are validated by the library (addresses, chains, decimal strings…) and a bad one
// comes back as XerialCode.InvalidArgument through the Task or callback.
using System;
using System.Threading;
using System.Threading.Tasks;
using Xerial.Internal;
using Xerial.Native;

namespace Xerial
{
    public static partial class XerialSdk
    {
        // ---- auth and session ----

        /// <summary>Logs a player in with a Google ID token (POST /api/auth/google, with the configured ProjectId). The session is installed before the result arrives. Errors: BadRequest ("Auth Failed"), InvalidArgument (no ProjectId configured), …</summary>
        public static Task<SessionSummary> LoginGoogleAsync(string idToken, string clientId, CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(SessionSummary.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_login_google(Utf8.Z(idToken, "idToken"), Utf8.Z(clientId, "clientId"), cb, ud));
        }

        /// <summary>Callback form of LoginGoogleAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong LoginGoogle(string idToken, string clientId, Action<SessionSummary, XerialException> onDone)
        {
            return Calls.StartCallback(SessionSummary.Read, onDone,
                (cb, ud) => XerialNative.xerial_login_google(Utf8.Z(idToken, "idToken"), Utf8.Z(clientId, "clientId"), cb, ud));
        }

        /// <summary>Asks for the nonce a wallet signs to log in (POST /api/nonce).</summary>
        public static Task<NonceResult> RequestNonceAsync(string address, CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(NonceResult.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_request_nonce(Utf8.Z(address, "address"), cb, ud));
        }

        /// <summary>Callback form of RequestNonceAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong RequestNonce(string address, Action<NonceResult, XerialException> onDone)
        {
            return Calls.StartCallback(NonceResult.Read, onDone,
                (cb, ud) => XerialNative.xerial_request_nonce(Utf8.Z(address, "address"), cb, ud));
        }

        /// <summary>Logs a player in with the wallet's signature of the nonce (POST /api/auth/metamask). Errors: NotFound ("Nonce Not Found"), BadRequest ("Auth Failed"), …</summary>
        public static Task<SessionSummary> LoginWalletAsync(string address, string signature, CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(SessionSummary.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_login_wallet(Utf8.Z(address, "address"), Utf8.Z(signature, "signature"), cb, ud));
        }

        /// <summary>Callback form of LoginWalletAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong LoginWallet(string address, string signature, Action<SessionSummary, XerialException> onDone)
        {
            return Calls.StartCallback(SessionSummary.Read, onDone,
                (cb, ud) => XerialNative.xerial_login_wallet(Utf8.Z(address, "address"), Utf8.Z(signature, "signature"), cb, ud));
        }

        /// <summary>Refreshes the session now (calls that need a player refresh by themselves). NotLoggedIn with HttpStatus 401 when the server ended the session.</summary>
        public static Task<SessionSummary> RefreshAsync(CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(SessionSummary.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_refresh(cb, ud));
        }

        /// <summary>Callback form of RefreshAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong Refresh(Action<SessionSummary, XerialException> onDone)
        {
            return Calls.StartCallback(SessionSummary.Read, onDone,
                (cb, ud) => XerialNative.xerial_refresh(cb, ud));
        }

        /// <summary>Logs a player out (POST /api/auth/logout). refreshToken null or "": the current session's, which is cleared locally at once, before the server answers. Errors: NotFound (404 "Not Found": unknown or already revoked token), NotLoggedIn, …</summary>
        public static Task<LogoutResult> LogoutAsync(string refreshToken = null, CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(LogoutResult.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_logout(Utf8.Z(refreshToken, "refreshToken"), cb, ud));
        }

        /// <summary>Callback form of LogoutAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong Logout(string refreshToken, Action<LogoutResult, XerialException> onDone)
        {
            return Calls.StartCallback(LogoutResult.Read, onDone,
                (cb, ud) => XerialNative.xerial_logout(Utf8.Z(refreshToken, "refreshToken"), cb, ud));
        }

        // ---- user and wallets ----

        /// <summary>The player and their wallets (GET /api/user, Bearer).</summary>
        public static Task<UserWallets> GetUserAsync(CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(UserWallets.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_user_get(cb, ud));
        }

        /// <summary>Callback form of GetUserAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong GetUser(Action<UserWallets, XerialException> onDone)
        {
            return Calls.StartCallback(UserWallets.Read, onDone,
                (cb, ud) => XerialNative.xerial_user_get(cb, ud));
        }

        /// <summary>Native-currency balance of a wallet (GET /api/wallet/{address}/{chain}/eth). address: UserWallets.AddressFor(chain); chain: XerialChains.Polygon or .Telos. Errors: NotFound ("Wallet Not Found"), InvalidArgument, …</summary>
        public static Task<NativeBalance> GetNativeBalanceAsync(string address, string chain, CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(NativeBalance.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_wallet_native_balance(Utf8.Z(address, "address"), Utf8.Z(chain, "chain"), cb, ud));
        }

        /// <summary>Callback form of GetNativeBalanceAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong GetNativeBalance(string address, string chain, Action<NativeBalance, XerialException> onDone)
        {
            return Calls.StartCallback(NativeBalance.Read, onDone,
                (cb, ud) => XerialNative.xerial_wallet_native_balance(Utf8.Z(address, "address"), Utf8.Z(chain, "chain"), cb, ud));
        }

        /// <summary>Supported ERC20 balances of a wallet (GET …/tokens).</summary>
        public static Task<TokenBalances> GetTokenBalancesAsync(string address, string chain, CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(TokenBalances.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_wallet_token_balances(Utf8.Z(address, "address"), Utf8.Z(chain, "chain"), cb, ud));
        }

        /// <summary>Callback form of GetTokenBalancesAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong GetTokenBalances(string address, string chain, Action<TokenBalances, XerialException> onDone)
        {
            return Calls.StartCallback(TokenBalances.Read, onDone,
                (cb, ud) => XerialNative.xerial_wallet_token_balances(Utf8.Z(address, "address"), Utf8.Z(chain, "chain"), cb, ud));
        }

        /// <summary>A wallet's items of one project (GET …/project-inventory/{projectId}); projectId null: the configured one.</summary>
        public static Task<ProjectInventory> GetProjectInventoryAsync(string address, string chain, string projectId = null, CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(ProjectInventory.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_wallet_project_inventory(Utf8.Z(address, "address"), Utf8.Z(chain, "chain"), Utf8.Z(projectId, "projectId"), cb, ud));
        }

        /// <summary>Callback form of GetProjectInventoryAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong GetProjectInventory(string address, string chain, string projectId, Action<ProjectInventory, XerialException> onDone)
        {
            return Calls.StartCallback(ProjectInventory.Read, onDone,
                (cb, ud) => XerialNative.xerial_wallet_project_inventory(Utf8.Z(address, "address"), Utf8.Z(chain, "chain"), Utf8.Z(projectId, "projectId"), cb, ud));
        }

        /// <summary>Every NFT a wallet holds (GET …/global-inventory).</summary>
        public static Task<GlobalInventory> GetGlobalInventoryAsync(string address, string chain, CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(GlobalInventory.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_wallet_global_inventory(Utf8.Z(address, "address"), Utf8.Z(chain, "chain"), cb, ud));
        }

        /// <summary>Callback form of GetGlobalInventoryAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong GetGlobalInventory(string address, string chain, Action<GlobalInventory, XerialException> onDone)
        {
            return Calls.StartCallback(GlobalInventory.Read, onDone,
                (cb, ud) => XerialNative.xerial_wallet_global_inventory(Utf8.Z(address, "address"), Utf8.Z(chain, "chain"), cb, ud));
        }

        /// <summary>Custodial: creates a user (POST /api/user, Bearer); reference (your own id for the user) may be null. Not retried once sent.</summary>
        public static Task<CreatedUser> CreateCustodialUserAsync(string reference = null, CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(CreatedUser.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_custodial_create_user(Utf8.Z(reference, "reference"), cb, ud));
        }

        /// <summary>Callback form of CreateCustodialUserAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong CreateCustodialUser(string reference, Action<CreatedUser, XerialException> onDone)
        {
            return Calls.StartCallback(CreatedUser.Read, onDone,
                (cb, ud) => XerialNative.xerial_custodial_create_user(Utf8.Z(reference, "reference"), cb, ud));
        }

        /// <summary>Custodial: creates an EVM wallet for a user (POST /api/wallet/{userId}, Bearer). Not retried once sent.</summary>
        public static Task<WalletResult> CreateCustodialWalletAsync(string userId, CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(WalletResult.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_custodial_create_wallet(Utf8.Z(userId, "userId"), cb, ud));
        }

        /// <summary>Callback form of CreateCustodialWalletAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong CreateCustodialWallet(string userId, Action<WalletResult, XerialException> onDone)
        {
            return Calls.StartCallback(WalletResult.Read, onDone,
                (cb, ud) => XerialNative.xerial_custodial_create_wallet(Utf8.Z(userId, "userId"), cb, ud));
        }

        // ---- transactions: move value; never retried once anything may have been sent, a lost answer is XerialCode.OutcomeUnknown (also after a cancel or shutdown once sent) ----
        // address: the player's wallet as Wallet.AddressFor(chain) gives it (the smart account of a
        // custodial wallet on Polygon). Xerial signs these for custodial wallets only; a
        // non-custodial one answers NotSupported (405).

        /// <summary>Transfers an NFT from the player's wallet at address. tokenId: a decimal string (uint256).</summary>
        public static Task<TransactionResult> TransferNftAsync(string address, string chain, string collectionAddress, string tokenId, string to, CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(TransactionResult.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_tx_transfer_nft(Utf8.Z(address, "address"), Utf8.Z(chain, "chain"), Utf8.Z(collectionAddress, "collectionAddress"), Utf8.Z(tokenId, "tokenId"), Utf8.Z(to, "to"), cb, ud));
        }

        /// <summary>Callback form of TransferNftAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong TransferNft(string address, string chain, string collectionAddress, string tokenId, string to, Action<TransactionResult, XerialException> onDone)
        {
            return Calls.StartCallback(TransactionResult.Read, onDone,
                (cb, ud) => XerialNative.xerial_tx_transfer_nft(Utf8.Z(address, "address"), Utf8.Z(chain, "chain"), Utf8.Z(collectionAddress, "collectionAddress"), Utf8.Z(tokenId, "tokenId"), Utf8.Z(to, "to"), cb, ud));
        }

        /// <summary>Transfers ERC20 tokens. amount: a decimal string ("12", "0.5"; an XerialAmount's ToString()), sent exactly as given.</summary>
        public static Task<TransactionResult> TransferTokenAsync(string address, string chain, string tokenAddress, string amount, string to, CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(TransactionResult.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_tx_transfer_token(Utf8.Z(address, "address"), Utf8.Z(chain, "chain"), Utf8.Z(tokenAddress, "tokenAddress"), Utf8.Z(amount, "amount"), Utf8.Z(to, "to"), cb, ud));
        }

        /// <summary>Callback form of TransferTokenAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong TransferToken(string address, string chain, string tokenAddress, string amount, string to, Action<TransactionResult, XerialException> onDone)
        {
            return Calls.StartCallback(TransactionResult.Read, onDone,
                (cb, ud) => XerialNative.xerial_tx_transfer_token(Utf8.Z(address, "address"), Utf8.Z(chain, "chain"), Utf8.Z(tokenAddress, "tokenAddress"), Utf8.Z(amount, "amount"), Utf8.Z(to, "to"), cb, ud));
        }

        /// <summary>Buys from a primary listing. typeId: the token type id (PrimaryListing.TypeId); quantity at least 1.</summary>
        public static Task<TransactionResult> PrimaryPurchaseAsync(string address, string chain, string collectionAddress, string typeId, int quantity, CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(TransactionResult.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_tx_primary_purchase(Utf8.Z(address, "address"), Utf8.Z(chain, "chain"), Utf8.Z(collectionAddress, "collectionAddress"), Utf8.Z(typeId, "typeId"), Count(quantity, "quantity"), cb, ud));
        }

        /// <summary>Callback form of PrimaryPurchaseAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong PrimaryPurchase(string address, string chain, string collectionAddress, string typeId, int quantity, Action<TransactionResult, XerialException> onDone)
        {
            return Calls.StartCallback(TransactionResult.Read, onDone,
                (cb, ud) => XerialNative.xerial_tx_primary_purchase(Utf8.Z(address, "address"), Utf8.Z(chain, "chain"), Utf8.Z(collectionAddress, "collectionAddress"), Utf8.Z(typeId, "typeId"), Count(quantity, "quantity"), cb, ud));
        }

        /// <summary>Buys a community listing (SecondaryListing.MarketItemId).</summary>
        public static Task<TransactionResult> SecondaryPurchaseAsync(string address, string chain, string marketItemId, CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(TransactionResult.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_tx_secondary_purchase(Utf8.Z(address, "address"), Utf8.Z(chain, "chain"), Utf8.Z(marketItemId, "marketItemId"), cb, ud));
        }

        /// <summary>Callback form of SecondaryPurchaseAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong SecondaryPurchase(string address, string chain, string marketItemId, Action<TransactionResult, XerialException> onDone)
        {
            return Calls.StartCallback(TransactionResult.Read, onDone,
                (cb, ud) => XerialNative.xerial_tx_secondary_purchase(Utf8.Z(address, "address"), Utf8.Z(chain, "chain"), Utf8.Z(marketItemId, "marketItemId"), cb, ud));
        }

        /// <summary>Lists an NFT on the secondary market; price: a decimal string in native-currency units (an XerialAmount's ToString()).</summary>
        public static Task<TransactionResult> ListNftAsync(string address, string chain, string collectionAddress, string tokenId, string price, CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(TransactionResult.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_tx_list_nft(Utf8.Z(address, "address"), Utf8.Z(chain, "chain"), Utf8.Z(collectionAddress, "collectionAddress"), Utf8.Z(tokenId, "tokenId"), Utf8.Z(price, "price"), cb, ud));
        }

        /// <summary>Callback form of ListNftAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong ListNft(string address, string chain, string collectionAddress, string tokenId, string price, Action<TransactionResult, XerialException> onDone)
        {
            return Calls.StartCallback(TransactionResult.Read, onDone,
                (cb, ud) => XerialNative.xerial_tx_list_nft(Utf8.Z(address, "address"), Utf8.Z(chain, "chain"), Utf8.Z(collectionAddress, "collectionAddress"), Utf8.Z(tokenId, "tokenId"), Utf8.Z(price, "price"), cb, ud));
        }

        /// <summary>Takes a listing off the market.</summary>
        public static Task<TransactionResult> DelistNftAsync(string address, string chain, string marketItemId, CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(TransactionResult.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_tx_delist_nft(Utf8.Z(address, "address"), Utf8.Z(chain, "chain"), Utf8.Z(marketItemId, "marketItemId"), cb, ud));
        }

        /// <summary>Callback form of DelistNftAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong DelistNft(string address, string chain, string marketItemId, Action<TransactionResult, XerialException> onDone)
        {
            return Calls.StartCallback(TransactionResult.Read, onDone,
                (cb, ud) => XerialNative.xerial_tx_delist_nft(Utf8.Z(address, "address"), Utf8.Z(chain, "chain"), Utf8.Z(marketItemId, "marketItemId"), cb, ud));
        }

        /// <summary>Sends a custom transaction: transactionJson (a JSON object) is the body, exactly as given.</summary>
        public static Task<TransactionResult> CustomTransactionAsync(string address, string chain, string transactionJson, CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(TransactionResult.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_tx_custom(Utf8.Z(address, "address"), Utf8.Z(chain, "chain"), Utf8.Z(transactionJson, "transactionJson"), cb, ud));
        }

        /// <summary>Callback form of CustomTransactionAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong CustomTransaction(string address, string chain, string transactionJson, Action<TransactionResult, XerialException> onDone)
        {
            return Calls.StartCallback(TransactionResult.Read, onDone,
                (cb, ud) => XerialNative.xerial_tx_custom(Utf8.Z(address, "address"), Utf8.Z(chain, "chain"), Utf8.Z(transactionJson, "transactionJson"), cb, ud));
        }

        // ---- marketplace (needs XerialSettings.MarketplaceUrl) ----

        /// <summary>A project's collections (needs MarketplaceUrl); projectId null: the configured one.</summary>
        public static Task<CollectionsResult> GetCollectionsAsync(string projectId = null, CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(CollectionsResult.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_market_collections(Utf8.Z(projectId, "projectId"), cb, ud));
        }

        /// <summary>Callback form of GetCollectionsAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong GetCollections(string projectId, Action<CollectionsResult, XerialException> onDone)
        {
            return Calls.StartCallback(CollectionsResult.Read, onDone,
                (cb, ud) => XerialNative.xerial_market_collections(Utf8.Z(projectId, "projectId"), cb, ud));
        }

        /// <summary>A project's primary listings on a chain (needs MarketplaceUrl); projectId null: the configured one.</summary>
        public static Task<PrimaryListings> GetPrimaryListingsAsync(string projectId, string chain, CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(PrimaryListings.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_market_primary_listings(Utf8.Z(projectId, "projectId"), Utf8.Z(chain, "chain"), cb, ud));
        }

        /// <summary>The configured project's primary listings on a chain: GetPrimaryListingsAsync(null, chain).</summary>
        public static Task<PrimaryListings> GetPrimaryListingsAsync(string chain, CancellationToken cancellationToken = default(CancellationToken))
        {
            return GetPrimaryListingsAsync(null, chain, cancellationToken);
        }

        /// <summary>Callback form of GetPrimaryListingsAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong GetPrimaryListings(string projectId, string chain, Action<PrimaryListings, XerialException> onDone)
        {
            return Calls.StartCallback(PrimaryListings.Read, onDone,
                (cb, ud) => XerialNative.xerial_market_primary_listings(Utf8.Z(projectId, "projectId"), Utf8.Z(chain, "chain"), cb, ud));
        }

        /// <summary>A project's community listings on a chain, of one seller or (null) all (needs MarketplaceUrl).</summary>
        public static Task<SecondaryListings> GetSecondaryListingsAsync(string projectId, string chain, string seller = null, CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(SecondaryListings.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_market_secondary_listings(Utf8.Z(projectId, "projectId"), Utf8.Z(chain, "chain"), Utf8.Z(seller, "seller"), cb, ud));
        }

        /// <summary>Every seller's listings of the configured project on a chain: GetSecondaryListingsAsync(null, chain, null).</summary>
        public static Task<SecondaryListings> GetSecondaryListingsAsync(string chain, CancellationToken cancellationToken = default(CancellationToken))
        {
            return GetSecondaryListingsAsync(null, chain, null, cancellationToken);
        }

        /// <summary>Callback form of GetSecondaryListingsAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong GetSecondaryListings(string projectId, string chain, string seller, Action<SecondaryListings, XerialException> onDone)
        {
            return Calls.StartCallback(SecondaryListings.Read, onDone,
                (cb, ud) => XerialNative.xerial_market_secondary_listings(Utf8.Z(projectId, "projectId"), Utf8.Z(chain, "chain"), Utf8.Z(seller, "seller"), cb, ud));
        }

        /// <summary>A project's public data by its marketplace domain (needs MarketplaceUrl).</summary>
        public static Task<ProjectResult> GetMarketProjectAsync(string domain, CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(ProjectResult.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_market_project(Utf8.Z(domain, "domain"), cb, ud));
        }

        /// <summary>Callback form of GetMarketProjectAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong GetMarketProject(string domain, Action<ProjectResult, XerialException> onDone)
        {
            return Calls.StartCallback(ProjectResult.Read, onDone,
                (cb, ud) => XerialNative.xerial_market_project(Utf8.Z(domain, "domain"), cb, ud));
        }

        // ---- escape hatch ----

        /// <summary>Sends any request on BaseUrl with the SDK's auth, refresh, retry and error mapping, for endpoints the SDK does not know yet. method: GET, POST, PUT, PATCH, DELETE; path starts with '/' (not under /api/auth/); jsonBody a JSON object or null. Anything but GET is treated as value-moving (OutcomeUnknown when the answer is lost).</summary>
        public static Task<RawResponse> RequestAsync(string method, string path, string jsonBody = null, bool needsPlayer = false, CancellationToken cancellationToken = default(CancellationToken))
        {
            return Calls.StartTask(RawResponse.Read, cancellationToken,
                (cb, ud) => XerialNative.xerial_request(Utf8.Z(method, "method"), Utf8.Z(path, "path"), Utf8.Z(jsonBody, "jsonBody"), (byte)(needsPlayer ? 1 : 0), cb, ud));
        }

        /// <summary>Callback form of RequestAsync; returns the request id (XerialSdk.Cancel cancels it).</summary>
        public static ulong Request(string method, string path, string jsonBody, bool needsPlayer, Action<RawResponse, XerialException> onDone)
        {
            return Calls.StartCallback(RawResponse.Read, onDone,
                (cb, ud) => XerialNative.xerial_request(Utf8.Z(method, "method"), Utf8.Z(path, "path"), Utf8.Z(jsonBody, "jsonBody"), (byte)(needsPlayer ? 1 : 0), cb, ud));
        }

        private static uint Count(int value, string name)
        {
            if (value < 0) throw new ArgumentOutOfRangeException(name, value, name + " must not be negative");
            return (uint)value;
        }
    }
}
