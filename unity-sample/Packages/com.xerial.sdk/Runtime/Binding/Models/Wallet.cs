// Result classes of the user and wallet functions; each reads the JSON its header comment documents.
// uint256 and decimal values (balances, token ids) are strings: no C# number holds them exactly.
// Balances also come as XerialAmount, to compare and add exactly.
using System.Collections.Generic;
using Xerial.Internal;
using Xerial.Json;

namespace Xerial
{
    /// <summary>xerial_user_get: {"user":{…},"wallets":[…]}.</summary>
    [Preserve]
    public sealed class UserWallets : XerialResponse
    {
        public Account User { get; private set; }
        public List<Wallet> Wallets { get; private set; }

        internal static UserWallets Read(JsonValue json)
        {
            return new UserWallets
            {
                User = Account.Read(json.GetNode("user") ?? JsonValue.NewObject()),
                Wallets = json.GetList("wallets", Wallet.Read),
            };
        }

        /// <summary>
        /// The address of the player's first wallet to use on <paramref name="chain"/> (see
        /// Wallet.AddressFor); null when the player has no wallet.
        /// </summary>
        public string AddressFor(string chain)
        {
            return Wallets == null || Wallets.Count == 0 ? null : Wallets[0].AddressFor(chain);
        }
    }

    /// <summary>The player: {"id","identifier","username","project"} (all but id may be null).</summary>
    [Preserve]
    public sealed class Account
    {
        public string Id { get; private set; }
        public string Identifier { get; private set; }
        public string Username { get; private set; }
        public string Project { get; private set; }

        internal static Account Read(JsonValue json)
        {
            return new Account
            {
                Id = json.GetString("id"),
                Identifier = json.GetString("identifier"),
                Username = json.GetString("username"),
                Project = json.GetString("project"),
            };
        }
    }

    /// <summary>
    /// A wallet: {"id","address","smartAccount","custodial","user","type"}. Address is the EOA;
    /// SmartAccount the account-abstraction address Xerial pays gas through. Which one a game puts
    /// in the wallet and transaction calls: AddressFor(chain).
    /// </summary>
    [Preserve]
    public sealed class Wallet
    {
        public string Id { get; private set; }
        /// <summary>The EOA address.</summary>
        public string Address { get; private set; }
        /// <summary>The account-abstraction address (null when none).</summary>
        public string SmartAccount { get; private set; }
        public bool Custodial { get; private set; }
        /// <summary>The owner's user id (null when not given).</summary>
        public string User { get; private set; }
        /// <summary>"evm" (null when not given).</summary>
        public string Type { get; private set; }

        /// <summary>
        /// The address to pass as `address` to the wallet calls (balances, inventories) and the
        /// transaction calls on <paramref name="chain"/>, as Xerial's own clients choose it: on
        /// Polygon, a custodial wallet (Google or Xerial login) acts through its smart account; an
        /// external wallet (a MetaMask login, not custodial) through its own address (EOA); on
        /// Telos always the EOA. Transactions (TransferNftAsync, PrimaryPurchaseAsync…) are signed
        /// by Xerial and work for custodial wallets only: a non-custodial one answers NotSupported
        /// (405 "This Method Is Not Supported For Non-Custodial Wallets"); its player signs with
        /// their own wallet, outside this SDK.
        /// </summary>
        public string AddressFor(string chain)
        {
            bool polygon = string.Equals(chain, XerialChains.Polygon, System.StringComparison.OrdinalIgnoreCase);
            return polygon && Custodial && !string.IsNullOrEmpty(SmartAccount) ? SmartAccount : Address;
        }

        internal static Wallet Read(JsonValue json)
        {
            return new Wallet
            {
                Id = json.GetString("id"),
                Address = json.GetString("address"),
                SmartAccount = json.GetString("smartAccount"),
                Custodial = json.GetBool("custodial"),
                User = json.GetString("user"),
                Type = json.GetString("type"),
            };
        }
    }

    /// <summary>xerial_custodial_create_wallet: one wallet.</summary>
    [Preserve]
    public sealed class WalletResult : XerialResponse
    {
        public Wallet Wallet { get; private set; }

        internal static WalletResult Read(JsonValue json) { return new WalletResult { Wallet = Wallet.Read(json) }; }
    }

    /// <summary>xerial_custodial_create_user: {"id","reference","project"}.</summary>
    [Preserve]
    public sealed class CreatedUser : XerialResponse
    {
        public string Id { get; private set; }
        public string Reference { get; private set; }
        public string Project { get; private set; }

        internal static CreatedUser Read(JsonValue json)
        {
            return new CreatedUser { Id = json.GetString("id"), Reference = json.GetString("reference"), Project = json.GetString("project") };
        }
    }

    /// <summary>xerial_wallet_native_balance: {"balance":"0.05…"} in native units (MATIC, TLOS…).</summary>
    [Preserve]
    public sealed class NativeBalance : XerialResponse
    {
        /// <summary>A decimal string, exactly as the SDK received it.</summary>
        public string Balance { get; private set; }
        /// <summary>Balance as an exact XerialAmount (compare it with a price, add it up).</summary>
        public XerialAmount BalanceAmount { get; private set; }

        internal static NativeBalance Read(JsonValue json)
        {
            string balance = json.GetString("balance");
            return new NativeBalance { Balance = balance, BalanceAmount = XerialAmount.FromApi(balance) };
        }
    }

    /// <summary>xerial_wallet_token_balances: {"balances":{"usdc":"12.5"}} (symbol → decimal string).</summary>
    [Preserve]
    public sealed class TokenBalances : XerialResponse
    {
        /// <summary>Symbol → decimal string, exactly as received.</summary>
        public Dictionary<string, string> Balances { get; private set; }

        /// <summary>The balance of <paramref name="symbol"/> (e.g. "usdc") as an exact XerialAmount; false when the wallet lists no such token.</summary>
        public bool TryGetAmount(string symbol, out XerialAmount amount)
        {
            string text;
            amount = XerialAmount.Zero;
            if (symbol == null || !Balances.TryGetValue(symbol, out text)) return false;
            amount = XerialAmount.FromApi(text);
            return true;
        }

        internal static TokenBalances Read(JsonValue json)
        {
            var balances = new Dictionary<string, string>();
            JsonValue node = json.GetNode("balances");
            if (node != null)
                foreach (KeyValuePair<string, JsonValue> m in node.Members)
                {
                    balances[m.Key] = m.Value.AsString();
                    XerialAmount.FromApi(balances[m.Key]); // a malformed amount is a Decode error now, not later
                }
            return new TokenBalances { Balances = balances };
        }
    }
}
