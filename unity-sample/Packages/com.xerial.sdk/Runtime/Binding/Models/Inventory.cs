// Result classes of the inventory functions (and the NFT metadata the marketplace shares).
using System.Collections.Generic;
using Xerial.Internal;
using Xerial.Json;

namespace Xerial
{
    /// <summary>xerial_wallet_project_inventory: an array of items.</summary>
    [Preserve]
    public sealed class ProjectInventory : XerialResponse
    {
        public List<InventoryItem> Items { get; private set; }

        internal static ProjectInventory Read(JsonValue json)
        {
            return new ProjectInventory { Items = JsonValue.ReadList(json, InventoryItem.Read) };
        }
    }

    /// <summary>{"collection":{…},"quantity":1,"metadata":{…},"tokens":[…]}. Tokens is always
    /// filled, whether Xerial sent "tokens" or only "tokenIds" (then each MetadataUri is null).</summary>
    [Preserve]
    public sealed class InventoryItem
    {
        public CollectionRef Collection { get; private set; }
        public long Quantity { get; private set; }
        public NftMetadata Metadata { get; private set; }
        public List<TokenRef> Tokens { get; private set; }

        internal static InventoryItem Read(JsonValue json)
        {
            return new InventoryItem
            {
                Collection = CollectionRef.Read(json.GetNode("collection") ?? JsonValue.NewObject()),
                Quantity = json.GetLong("quantity"),
                Metadata = NftMetadata.Read(json.GetNode("metadata")),
                Tokens = json.GetList("tokens", TokenRef.Read),
            };
        }
    }

    [Preserve]
    public sealed class CollectionRef
    {
        public string Id { get; private set; }
        public string TxHash { get; private set; }

        internal static CollectionRef Read(JsonValue json)
        {
            return new CollectionRef { Id = json.GetString("id"), TxHash = json.GetString("txHash") };
        }
    }

    /// <summary>{"tokenId":"1","metadataURI":"https://…"}.</summary>
    [Preserve]
    public sealed class TokenRef
    {
        /// <summary>A decimal string (uint256).</summary>
        public string TokenId { get; private set; }
        public string MetadataUri { get; private set; }

        internal static TokenRef Read(JsonValue json)
        {
            return new TokenRef { TokenId = json.GetString("tokenId"), MetadataUri = json.GetString("metadataURI") };
        }
    }

    /// <summary>An NFT's metadata; every field may be null (lists: empty).</summary>
    [Preserve]
    public sealed class NftMetadata
    {
        public string Name { get; private set; }
        public string Description { get; private set; }
        public string Image { get; private set; }
        public string ExternalUrl { get; private set; }
        public List<AnimationUrl> AnimationUrls { get; private set; }
        public List<NftAttribute> Attributes { get; private set; }
        public ContractInfo Contract { get; private set; }
        /// <summary>A decimal string (null when not given).</summary>
        public string MaxSupply { get; private set; }
        public long? Edition { get; private set; }

        internal static NftMetadata Read(JsonValue json)
        {
            if (json == null) json = JsonValue.NewObject();
            JsonValue contract = json.GetNode("contract");
            return new NftMetadata
            {
                Name = json.GetString("name"),
                Description = json.GetString("description"),
                Image = json.GetString("image"),
                ExternalUrl = json.GetString("externalUrl"),
                AnimationUrls = json.GetList("animationUrls", AnimationUrl.Read),
                Attributes = json.GetList("attributes", NftAttribute.Read),
                Contract = contract == null ? null : ContractInfo.Read(contract),
                MaxSupply = json.GetString("maxSupply"),
                Edition = json.GetNullableLong("edition"),
            };
        }
    }

    [Preserve]
    public sealed class AnimationUrl
    {
        public string Type { get; private set; }
        public string Value { get; private set; }

        internal static AnimationUrl Read(JsonValue json) { return new AnimationUrl { Type = json.GetString("type"), Value = json.GetString("value") }; }
    }

    /// <summary>{"type":"boost","name":"magical damage","value":"2000"} (value always a string).</summary>
    [Preserve]
    public sealed class NftAttribute
    {
        public string Type { get; private set; }
        public string Name { get; private set; }
        public string Value { get; private set; }

        internal static NftAttribute Read(JsonValue json)
        {
            return new NftAttribute { Type = json.GetString("type"), Name = json.GetString("name"), Value = json.GetString("value") };
        }
    }

    [Preserve]
    public sealed class ContractInfo
    {
        public string Address { get; private set; }
        public string Name { get; private set; }
        public string Symbol { get; private set; }
        public string Image { get; private set; }
        public string Description { get; private set; }
        public string ExternalUrl { get; private set; }

        internal static ContractInfo Read(JsonValue json)
        {
            return new ContractInfo
            {
                Address = json.GetString("address"),
                Name = json.GetString("name"),
                Symbol = json.GetString("symbol"),
                Image = json.GetString("image"),
                Description = json.GetString("description"),
                ExternalUrl = json.GetString("externalUrl"),
            };
        }
    }

    /// <summary>xerial_wallet_global_inventory: {"ownedNfts":[…],"totalCount":…,"pageKey":…} (Alchemy's shape).</summary>
    [Preserve]
    public sealed class GlobalInventory : XerialResponse
    {
        public List<OwnedNft> OwnedNfts { get; private set; }
        public long? TotalCount { get; private set; }
        public string PageKey { get; private set; }

        internal static GlobalInventory Read(JsonValue json)
        {
            return new GlobalInventory
            {
                OwnedNfts = json.GetList("ownedNfts", OwnedNft.Read),
                TotalCount = json.GetNullableLong("totalCount"),
                PageKey = json.GetString("pageKey"),
            };
        }
    }

    [Preserve]
    public sealed class OwnedNft
    {
        public NftContract Contract { get; private set; }
        /// <summary>A decimal string (uint256).</summary>
        public string TokenId { get; private set; }
        public string TokenType { get; private set; }
        public string Name { get; private set; }
        public string Description { get; private set; }
        public string TokenUri { get; private set; }
        public NftImage Image { get; private set; }
        /// <summary>A decimal string (null when not given).</summary>
        public string Balance { get; private set; }
        public string TimeLastUpdated { get; private set; }

        internal static OwnedNft Read(JsonValue json)
        {
            JsonValue image = json.GetNode("image");
            return new OwnedNft
            {
                Contract = NftContract.Read(json.GetNode("contract") ?? JsonValue.NewObject()),
                TokenId = json.GetString("tokenId"),
                TokenType = json.GetString("tokenType"),
                Name = json.GetString("name"),
                Description = json.GetString("description"),
                TokenUri = json.GetString("tokenUri"),
                Image = image == null ? null : NftImage.Read(image),
                Balance = json.GetString("balance"),
                TimeLastUpdated = json.GetString("timeLastUpdated"),
            };
        }
    }

    [Preserve]
    public sealed class NftContract
    {
        public string Address { get; private set; }
        public string Name { get; private set; }
        public string Symbol { get; private set; }
        /// <summary>A decimal string (null when not given).</summary>
        public string TotalSupply { get; private set; }
        public string TokenType { get; private set; }
        public string ContractDeployer { get; private set; }
        public long? DeployedBlockNumber { get; private set; }
        public bool? IsSpam { get; private set; }

        internal static NftContract Read(JsonValue json)
        {
            return new NftContract
            {
                Address = json.GetString("address"),
                Name = json.GetString("name"),
                Symbol = json.GetString("symbol"),
                TotalSupply = json.GetString("totalSupply"),
                TokenType = json.GetString("tokenType"),
                ContractDeployer = json.GetString("contractDeployer"),
                DeployedBlockNumber = json.GetNullableLong("deployedBlockNumber"),
                IsSpam = json.GetNullableBool("isSpam"),
            };
        }
    }

    [Preserve]
    public sealed class NftImage
    {
        public string CachedUrl { get; private set; }
        public string ThumbnailUrl { get; private set; }
        public string PngUrl { get; private set; }
        public string ContentType { get; private set; }
        public long? Size { get; private set; }
        public string OriginalUrl { get; private set; }

        internal static NftImage Read(JsonValue json)
        {
            return new NftImage
            {
                CachedUrl = json.GetString("cachedUrl"),
                ThumbnailUrl = json.GetString("thumbnailUrl"),
                PngUrl = json.GetString("pngUrl"),
                ContentType = json.GetString("contentType"),
                Size = json.GetNullableLong("size"),
                OriginalUrl = json.GetString("originalUrl"),
            };
        }
    }
}
