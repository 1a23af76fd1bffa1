// Result classes of the transaction, marketplace and escape-hatch functions.
using System.Collections.Generic;
using Xerial.Internal;
using Xerial.Json;

namespace Xerial
{
    /// <summary>Every xerial_tx_*: {"transactionHash":"0x…"}.</summary>
    [Preserve]
    public sealed class TransactionResult : XerialResponse
    {
        public string TransactionHash { get; private set; }

        internal static TransactionResult Read(JsonValue json) { return new TransactionResult { TransactionHash = json.GetString("transactionHash") }; }
    }

    /// <summary>xerial_market_collections: {"projectId","project":{…},"collections":[…]}.</summary>
    [Preserve]
    public sealed class CollectionsResult : XerialResponse
    {
        public string ProjectId { get; private set; }
        public string StudioAddress { get; private set; }
        /// <summary>Null when the server sent none.</summary>
        public Project Project { get; private set; }
        public List<Collection> Collections { get; private set; }

        internal static CollectionsResult Read(JsonValue json)
        {
            JsonValue project = json.GetNode("project");
            return new CollectionsResult
            {
                ProjectId = json.GetString("projectId"),
                StudioAddress = json.GetString("studioAddress"),
                Project = project == null ? null : Project.Read(project),
                Collections = json.GetList("collections", Collection.Read),
            };
        }
    }

    [Preserve]
    public sealed class Collection
    {
        public string Id { get; private set; }
        public string Address { get; private set; }
        public string Name { get; private set; }
        public string Symbol { get; private set; }
        public string Description { get; private set; }
        public string Image { get; private set; }
        public string ExternalUrl { get; private set; }
        public string Chain { get; private set; }
        public string TxHash { get; private set; }
        public string Project { get; private set; }

        internal static Collection Read(JsonValue json)
        {
            return new Collection
            {
                Id = json.GetString("id"),
                Address = json.GetString("address"),
                Name = json.GetString("name"),
                Symbol = json.GetString("symbol"),
                Description = json.GetString("description"),
                Image = json.GetString("image"),
                ExternalUrl = json.GetString("externalUrl"),
                Chain = json.GetString("chain"),
                TxHash = json.GetString("txHash"),
                Project = json.GetString("project"),
            };
        }
    }

    /// <summary>xerial_market_primary_listings: an array of listings.</summary>
    [Preserve]
    public sealed class PrimaryListings : XerialResponse
    {
        public List<PrimaryListing> Items { get; private set; }

        internal static PrimaryListings Read(JsonValue json) { return new PrimaryListings { Items = JsonValue.ReadList(json, PrimaryListing.Read) }; }
    }

    /// <summary>{"id","typeId":"1","supply":3,"price":"1","inSale":true,"mintedTokens":1,"metadata":{…}}.</summary>
    [Preserve]
    public sealed class PrimaryListing
    {
        public string Id { get; private set; }
        /// <summary>The token type id, a decimal string: what PrimaryPurchaseAsync takes.</summary>
        public string TypeId { get; private set; }
        /// <summary>The original supply: it does not go down as tokens sell (Xerial's "Original supply").</summary>
        public long Supply { get; private set; }
        /// <summary>Native-currency units, a decimal string.</summary>
        public string Price { get; private set; }
        public bool InSale { get; private set; }
        /// <summary>How many have been minted (sold); goes up with each primary purchase. Still
        /// available: Supply - MintedTokens (Xerial's "Available supply").</summary>
        public long MintedTokens { get; private set; }
        public NftMetadata Metadata { get; private set; }

        internal static PrimaryListing Read(JsonValue json)
        {
            return new PrimaryListing
            {
                Id = json.GetString("id"),
                TypeId = json.GetString("typeId"),
                Supply = json.GetLong("supply"),
                Price = json.GetString("price"),
                InSale = json.GetBool("inSale"),
                MintedTokens = json.GetLong("mintedTokens"),
                Metadata = NftMetadata.Read(json.GetNode("metadata")),
            };
        }
    }

    /// <summary>xerial_market_secondary_listings: an array of listings.</summary>
    [Preserve]
    public sealed class SecondaryListings : XerialResponse
    {
        public List<SecondaryListing> Items { get; private set; }

        internal static SecondaryListings Read(JsonValue json) { return new SecondaryListings { Items = JsonValue.ReadList(json, SecondaryListing.Read) }; }
    }

    /// <summary>{"tokenId":"1","price":"1","seller":"0x…","marketItemId":"38","metadata":{…}}.</summary>
    [Preserve]
    public sealed class SecondaryListing
    {
        public string TokenId { get; private set; }
        public string Price { get; private set; }
        public string Seller { get; private set; }
        /// <summary>A decimal string: what SecondaryPurchaseAsync and DelistNftAsync take.</summary>
        public string MarketItemId { get; private set; }
        public NftMetadata Metadata { get; private set; }

        internal static SecondaryListing Read(JsonValue json)
        {
            return new SecondaryListing
            {
                TokenId = json.GetString("tokenId"),
                Price = json.GetString("price"),
                Seller = json.GetString("seller"),
                MarketItemId = json.GetString("marketItemId"),
                Metadata = NftMetadata.Read(json.GetNode("metadata")),
            };
        }
    }

    /// <summary>xerial_market_project: one project.</summary>
    [Preserve]
    public sealed class ProjectResult : XerialResponse
    {
        public Project Project { get; private set; }

        internal static ProjectResult Read(JsonValue json) { return new ProjectResult { Project = Project.Read(json) }; }
    }

    /// <summary>A project's public data; every field but Id may be null.</summary>
    [Preserve]
    public sealed class Project
    {
        public string Id { get; private set; }
        public string Address { get; private set; }
        public string Network { get; private set; }
        public string Name { get; private set; }
        public string Description { get; private set; }
        public string Category { get; private set; }
        public string TokenName { get; private set; }
        public string TokenLogo { get; private set; }
        public string Logo { get; private set; }
        public string Banner { get; private set; }
        public string Trailer { get; private set; }
        public string DownloadLink { get; private set; }
        public SocialMedias SocialMedias { get; private set; }
        public string Symbol { get; private set; }
        public string Domain { get; private set; }
        public string Developer { get; private set; }
        public string Wallet { get; private set; }
        public string StudioAddress { get; private set; }

        internal static Project Read(JsonValue json)
        {
            JsonValue social = json.GetNode("socialMedias");
            return new Project
            {
                Id = json.GetString("id"),
                Address = json.GetString("address"),
                Network = json.GetString("network"),
                Name = json.GetString("name"),
                Description = json.GetString("description"),
                Category = json.GetString("category"),
                TokenName = json.GetString("tokenName"),
                TokenLogo = json.GetString("tokenLogo"),
                Logo = json.GetString("logo"),
                Banner = json.GetString("banner"),
                Trailer = json.GetString("trailer"),
                DownloadLink = json.GetString("downloadLink"),
                SocialMedias = social == null ? null : SocialMedias.Read(social),
                Symbol = json.GetString("symbol"),
                Domain = json.GetString("domain"),
                Developer = json.GetString("developer"),
                Wallet = json.GetString("wallet"),
                StudioAddress = json.GetString("studioAddress"),
            };
        }
    }

    [Preserve]
    public sealed class SocialMedias
    {
        public string Twitter { get; private set; }
        public string Instagram { get; private set; }
        public string Discord { get; private set; }
        public string Linkedin { get; private set; }

        internal static SocialMedias Read(JsonValue json)
        {
            return new SocialMedias
            {
                Twitter = json.GetString("twitter"),
                Instagram = json.GetString("instagram"),
                Discord = json.GetString("discord"),
                Linkedin = json.GetString("linkedin"),
            };
        }
    }

    /// <summary>xerial_request: the server's JSON as sent (Value is null when the body was empty).</summary>
    [Preserve]
    public sealed class RawResponse : XerialResponse
    {
        public JsonValue Value { get; private set; }

        internal static RawResponse Read(JsonValue json) { return new RawResponse { Value = json.IsNull ? null : json }; }
    }
}
