// Result classes of the user and wallet functions; each reads the JSON its header comment documents.
// uint256 and decimal values (balances, token ids) are strings: no C# number holds them exactly.
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

    /// <summary>A wallet: {"id","address","smartAccount","custodial","user","type"}.</summary>
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

        internal static NativeBalance Read(JsonValue json) { return new NativeBalance { Balance = json.GetString("balance") }; }
    }

    /// <summary>xerial_wallet_token_balances: {"balances":{"usdc":"12.5"}} (symbol → decimal string).</summary>
    [Preserve]
    public sealed class TokenBalances : XerialResponse
    {
        public Dictionary<string, string> Balances { get; private set; }

        internal static TokenBalances Read(JsonValue json)
        {
            var balances = new Dictionary<string, string>();
            JsonValue node = json.GetNode("balances");
            if (node != null)
                foreach (KeyValuePair<string, JsonValue> m in node.Members) balances[m.Key] = m.Value.AsString();
            return new TokenBalances { Balances = balances };
        }
    }
}
