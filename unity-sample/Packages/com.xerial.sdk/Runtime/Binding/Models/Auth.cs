// Result classes of the auth and session functions; each reads the JSON its header comment documents.
using System;
using System.Globalization;
using Xerial.Internal;
using Xerial.Json;

namespace Xerial
{
    /// <summary>xerial_logout: no body (HTTP 204).</summary>
    [Preserve]
    public sealed class LogoutResult : XerialResponse
    {
        internal static LogoutResult Read(JsonValue json) { return new LogoutResult(); }
    }

    /// <summary>
    /// xerial_login_google, xerial_login_wallet, xerial_refresh: the new session, without its
    /// tokens: {"accessExpires":"2024-01-12T17:34:35.725Z","refreshExpires":"…"}.
    /// </summary>
    [Preserve]
    public sealed class SessionSummary : XerialResponse
    {
        /// <summary>ISO-8601 UTC, as Xerial sent it.</summary>
        public string AccessExpires { get; private set; }
        public string RefreshExpires { get; private set; }
        public DateTime? AccessExpiresUtc { get { return Iso.Parse(AccessExpires); } }
        public DateTime? RefreshExpiresUtc { get { return Iso.Parse(RefreshExpires); } }

        internal static SessionSummary Read(JsonValue json)
        {
            return new SessionSummary { AccessExpires = json.GetString("accessExpires"), RefreshExpires = json.GetString("refreshExpires") };
        }
    }

    /// <summary>xerial_request_nonce: {"nonce":"…"}, the text the wallet signs to log in.</summary>
    [Preserve]
    public sealed class NonceResult : XerialResponse
    {
        public string Nonce { get; private set; }

        internal static NonceResult Read(JsonValue json) { return new NonceResult { Nonce = json.GetString("nonce") }; }
    }

    /// <summary>
    /// A session's token pair, as xerial_session_get returns it and xerial_session_set takes it:
    /// {"access":{"token","expires"},"refresh":{"token","expires"}}. Secret: never log it.
    /// </summary>
    [Preserve]
    public sealed class XerialTokens
    {
        public string AccessToken;
        /// <summary>ISO-8601, as the server wrote it.</summary>
        public string AccessExpires;
        public string RefreshToken;
        public string RefreshExpires;

        public DateTime? AccessExpiresUtc { get { return Iso.Parse(AccessExpires); } }
        public DateTime? RefreshExpiresUtc { get { return Iso.Parse(RefreshExpires); } }

        internal static XerialTokens Read(JsonValue json)
        {
            JsonValue access = json.GetNode("access") ?? JsonValue.NewObject();
            JsonValue refresh = json.GetNode("refresh") ?? JsonValue.NewObject();
            return new XerialTokens
            {
                AccessToken = access.GetString("token"),
                AccessExpires = access.GetString("expires"),
                RefreshToken = refresh.GetString("token"),
                RefreshExpires = refresh.GetString("expires"),
            };
        }

        /// <summary>The token-pair JSON, for XerialSdk.SetSession.</summary>
        public string ToJson()
        {
            return JsonValue.NewObject()
                .Set("access", JsonValue.NewObject().Set("token", JsonValue.String(AccessToken)).Set("expires", JsonValue.String(AccessExpires)))
                .Set("refresh", JsonValue.NewObject().Set("token", JsonValue.String(RefreshToken)).Set("expires", JsonValue.String(RefreshExpires)))
                .ToJson();
        }

        public override string ToString() { return "XerialTokens(access expires " + AccessExpires + ", refresh expires " + RefreshExpires + ")"; }
    }

    internal static class Iso
    {
        public static DateTime? Parse(string s)
        {
            DateTime t;
            if (s != null && DateTime.TryParse(s, CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out t))
                return t;
            return null;
        }
    }
}
