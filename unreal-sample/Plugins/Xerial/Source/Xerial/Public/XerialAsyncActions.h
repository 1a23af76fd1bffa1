// XerialAsyncActions.h - one Blueprint async node per asynchronous xerial_* function (abi.md sections 6 and 8).
//
// Each node: a static factory that stores its arguments, and StartCall, one line calling the C
// function (see UXerialAsyncAction). Empty strings are the C NULL where the C function gives NULL a
// meaning (a refresh token, a project id, a seller, a reference, a JSON body). Result bodies are the
// canonical JSON documented on each function in xerial.h. All run on the game thread.
#pragma once

#include "CoreMinimal.h"
#include "XerialAsyncAction.h"
#include "XerialAsyncActions.generated.h"

/** Xerial Logout: Logs a player out. */
UCLASS()
class XERIAL_API UXerialLogoutAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * Logs a player out: POST /api/auth/logout. An empty RefreshToken means the current session's, which is cleared locally at once (before the server answers). On Success: the token is revoked (HTTP 204). On Failure: NotFound ("Not Found": unknown or already revoked token), NotLoggedIn, or a network/server code.
	 * @param RefreshToken A refresh token; empty: the current session's
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Auth", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Logout"))
	static UXerialLogoutAction* XerialLogout(const UObject* WorldContextObject, const FString& RefreshToken = TEXT(""));

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;

private:
	FString ArgRefreshToken;
};

/** Xerial Login Google: Logs a player in with a Google ID token. */
UCLASS()
class XERIAL_API UXerialLoginGoogleAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * Logs a player in with a Google ID token: POST /api/auth/google (uses the configured ProjectId). On Success the session is installed; Body: {"accessExpires":"...","refreshExpires":"..."} (no tokens). BadRequest: "Auth Failed".
	 * @param IdToken The Google ID token
	 * @param ClientId Your Google OAuth client id
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Auth", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Login Google"))
	static UXerialLoginGoogleAction* XerialLoginGoogle(const UObject* WorldContextObject, const FString& IdToken, const FString& ClientId);

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;

private:
	FString ArgIdToken;
	FString ArgClientId;
};

/** Xerial Request Nonce: Asks for the nonce a wallet signs to log in. */
UCLASS()
class XERIAL_API UXerialRequestNonceAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * Asks for the nonce a wallet signs to log in: POST /api/nonce. Body: {"nonce":"..."}.
	 * @param Address The wallet address, 0x + 40 hex
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Auth", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Request Nonce"))
	static UXerialRequestNonceAction* XerialRequestNonce(const UObject* WorldContextObject, const FString& Address);

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;

private:
	FString ArgAddress;
};

/** Xerial Login Wallet: Logs a player in with a wallet's signature of the nonce. */
UCLASS()
class XERIAL_API UXerialLoginWalletAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * Logs a player in with a wallet's signature of the nonce: POST /api/auth/metamask (uses the configured ProjectId). On Success the session is installed; Body: {"accessExpires":...,"refreshExpires":...}. NotFound: "Nonce Not Found" (request a nonce first).
	 * @param Address The wallet address
	 * @param Signature The signature of the nonce
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Auth", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Login Wallet"))
	static UXerialLoginWalletAction* XerialLoginWallet(const UObject* WorldContextObject, const FString& Address, const FString& Signature);

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;

private:
	FString ArgAddress;
	FString ArgSignature;
};

/** Xerial Refresh: Refreshes the session now. */
UCLASS()
class XERIAL_API UXerialRefreshAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * Refreshes the session now: POST /api/auth/refresh-tokens (calls that need a player refresh by themselves). NotLoggedIn when the server refused it: the session has ended.
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Auth", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Refresh"))
	static UXerialRefreshAction* XerialRefresh(const UObject* WorldContextObject);

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;
};

/** Xerial User Get: The player and their wallets. */
UCLASS()
class XERIAL_API UXerialUserGetAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * The player and their wallets: GET /api/user (needs a session). Body: {"user":{"id","identifier",...},"wallets":[{"address","smartAccount","custodial",...}]}.
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Wallet", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial User Get"))
	static UXerialUserGetAction* XerialUserGet(const UObject* WorldContextObject);

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;
};

/** Xerial Wallet Native Balance: A wallet's native-currency balance. */
UCLASS()
class XERIAL_API UXerialWalletNativeBalanceAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * A wallet's native-currency balance: GET /api/wallet/{Address}/{Chain}/eth. Body: {"balance":"0.05"} (a decimal string). NotFound: "Wallet Not Found".
	 * @param Address The wallet address
	 * @param Chain polygon or telos
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Wallet", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Wallet Native Balance"))
	static UXerialWalletNativeBalanceAction* XerialWalletNativeBalance(const UObject* WorldContextObject, const FString& Address, const FString& Chain = TEXT("polygon"));

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;

private:
	FString ArgAddress;
	FString ArgChain;
};

/** Xerial Wallet Token Balances: A wallet's supported ERC20 balances. */
UCLASS()
class XERIAL_API UXerialWalletTokenBalancesAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * A wallet's supported ERC20 balances: GET /api/wallet/{Address}/{Chain}/tokens. Body: {"balances":{"usdc":"12.5"}}.
	 * @param Address The wallet address
	 * @param Chain polygon or telos
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Wallet", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Wallet Token Balances"))
	static UXerialWalletTokenBalancesAction* XerialWalletTokenBalances(const UObject* WorldContextObject, const FString& Address, const FString& Chain = TEXT("polygon"));

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;

private:
	FString ArgAddress;
	FString ArgChain;
};

/** Xerial Wallet Project Inventory: A wallet's items of one project. */
UCLASS()
class XERIAL_API UXerialWalletProjectInventoryAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * A wallet's items of one project: GET /api/wallet/{Address}/{Chain}/project-inventory/{ProjectId}. Body: an array of {"collection","quantity","metadata","tokens":[{"tokenId":"1",...}]}.
	 * @param Address The wallet address
	 * @param Chain polygon or telos
	 * @param ProjectId Empty: the configured ProjectId
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Wallet", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Wallet Project Inventory"))
	static UXerialWalletProjectInventoryAction* XerialWalletProjectInventory(const UObject* WorldContextObject, const FString& Address, const FString& Chain = TEXT("polygon"), const FString& ProjectId = TEXT(""));

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;

private:
	FString ArgAddress;
	FString ArgChain;
	FString ArgProjectId;
};

/** Xerial Wallet Global Inventory: Every NFT a wallet holds. */
UCLASS()
class XERIAL_API UXerialWalletGlobalInventoryAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * Every NFT a wallet holds: GET /api/wallet/{Address}/{Chain}/global-inventory. Body: {"ownedNfts":[...],"totalCount":...,"pageKey":...}.
	 * @param Address The wallet address
	 * @param Chain polygon or telos
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Wallet", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Wallet Global Inventory"))
	static UXerialWalletGlobalInventoryAction* XerialWalletGlobalInventory(const UObject* WorldContextObject, const FString& Address, const FString& Chain = TEXT("polygon"));

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;

private:
	FString ArgAddress;
	FString ArgChain;
};

/** Xerial Custodial Create User: Creates a custodial user. */
UCLASS()
class XERIAL_API UXerialCustodialCreateUserAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * Creates a custodial user: POST /api/user (needs a session). Body: {"id":...,"reference":...,"project":...}.
	 * @param Reference Your own id for the user (e.g. an e-mail); empty: none
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Custodial", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Custodial Create User"))
	static UXerialCustodialCreateUserAction* XerialCustodialCreateUser(const UObject* WorldContextObject, const FString& Reference = TEXT(""));

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;

private:
	FString ArgReference;
};

/** Xerial Custodial Create Wallet: Creates a custodial EVM wallet for a user. */
UCLASS()
class XERIAL_API UXerialCustodialCreateWalletAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * Creates a custodial EVM wallet for a user: POST /api/wallet/{UserId} (needs a session). Body: the wallet {"id","address","smartAccount","custodial","user","type"}.
	 * @param UserId The user's id
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Custodial", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Custodial Create Wallet"))
	static UXerialCustodialCreateWalletAction* XerialCustodialCreateWallet(const UObject* WorldContextObject, const FString& UserId);

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;

private:
	FString ArgUserId;
};

/** Xerial Tx Transfer NFT: Transfers an NFT. */
UCLASS()
class XERIAL_API UXerialTxTransferNftAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * Transfers an NFT: POST /api/wallet/{Address}/{Chain}/transfer-nft (needs a session). Moves value: never retried once sent; OutcomeUnknown when the answer was lost (check before repeating). Body: {"transactionHash":"0x..."}.
	 * @param Address The sending wallet
	 * @param Chain polygon or telos
	 * @param CollectionAddress The NFT's contract
	 * @param TokenId The token id, a decimal string
	 * @param To The receiving address
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Transactions", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Tx Transfer NFT"))
	static UXerialTxTransferNftAction* XerialTxTransferNft(const UObject* WorldContextObject, const FString& Address, const FString& Chain, const FString& CollectionAddress, const FString& TokenId, const FString& To);

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;

private:
	FString ArgAddress;
	FString ArgChain;
	FString ArgCollectionAddress;
	FString ArgTokenId;
	FString ArgTo;
};

/** Xerial Tx Transfer Token: Transfers ERC20 tokens. */
UCLASS()
class XERIAL_API UXerialTxTransferTokenAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * Transfers ERC20 tokens: POST /api/wallet/{Address}/{Chain}/transfer-token (needs a session). Moves value: never retried once sent; OutcomeUnknown when the answer was lost. Body: {"transactionHash":"0x..."}.
	 * @param Address The sending wallet
	 * @param Chain polygon or telos
	 * @param TokenAddress The ERC20 contract
	 * @param Amount A decimal string, e.g. 12 or 0.5
	 * @param To The receiving address
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Transactions", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Tx Transfer Token"))
	static UXerialTxTransferTokenAction* XerialTxTransferToken(const UObject* WorldContextObject, const FString& Address, const FString& Chain, const FString& TokenAddress, const FString& Amount, const FString& To);

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;

private:
	FString ArgAddress;
	FString ArgChain;
	FString ArgTokenAddress;
	FString ArgAmount;
	FString ArgTo;
};

/** Xerial Tx Primary Purchase: Buys from a primary listing. */
UCLASS()
class XERIAL_API UXerialTxPrimaryPurchaseAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * Buys from a primary listing: POST /api/wallet/{Address}/{Chain}/primary-purchase (needs a session). Moves value: never retried once sent; OutcomeUnknown when the answer was lost. Body: {"transactionHash":"0x..."}.
	 * @param Address The buying wallet
	 * @param Chain polygon or telos
	 * @param CollectionAddress The collection
	 * @param TypeId The token type id, a decimal string
	 * @param Quantity At least 1
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Transactions", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Tx Primary Purchase"))
	static UXerialTxPrimaryPurchaseAction* XerialTxPrimaryPurchase(const UObject* WorldContextObject, const FString& Address, const FString& Chain, const FString& CollectionAddress, const FString& TypeId, int32 Quantity = 1);

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;

private:
	FString ArgAddress;
	FString ArgChain;
	FString ArgCollectionAddress;
	FString ArgTypeId;
	int32 ArgQuantity = 1;
};

/** Xerial Tx Secondary Purchase: Buys a community listing. */
UCLASS()
class XERIAL_API UXerialTxSecondaryPurchaseAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * Buys a community listing: POST /api/wallet/{Address}/{Chain}/secondary-purchase (needs a session). Moves value: never retried once sent; OutcomeUnknown when the answer was lost. Body: {"transactionHash":"0x..."}.
	 * @param Address The buying wallet
	 * @param Chain polygon or telos
	 * @param MarketItemId The listing's market item id, a decimal string
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Transactions", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Tx Secondary Purchase"))
	static UXerialTxSecondaryPurchaseAction* XerialTxSecondaryPurchase(const UObject* WorldContextObject, const FString& Address, const FString& Chain, const FString& MarketItemId);

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;

private:
	FString ArgAddress;
	FString ArgChain;
	FString ArgMarketItemId;
};

/** Xerial Tx List NFT: Lists an NFT on the secondary market. */
UCLASS()
class XERIAL_API UXerialTxListNftAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * Lists an NFT on the secondary market: POST /api/wallet/{Address}/{Chain}/list-nft (needs a session). Moves value: never retried once sent; OutcomeUnknown when the answer was lost. Body: {"transactionHash":"0x..."}.
	 * @param Address The owning wallet
	 * @param Chain polygon or telos
	 * @param CollectionAddress The NFT's contract
	 * @param TokenId The token id, a decimal string
	 * @param Price In native-currency units, a decimal string
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Transactions", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Tx List NFT"))
	static UXerialTxListNftAction* XerialTxListNft(const UObject* WorldContextObject, const FString& Address, const FString& Chain, const FString& CollectionAddress, const FString& TokenId, const FString& Price);

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;

private:
	FString ArgAddress;
	FString ArgChain;
	FString ArgCollectionAddress;
	FString ArgTokenId;
	FString ArgPrice;
};

/** Xerial Tx Delist NFT: Takes a listing off the market. */
UCLASS()
class XERIAL_API UXerialTxDelistNftAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * Takes a listing off the market: POST /api/wallet/{Address}/{Chain}/delist-nft (needs a session). Moves value: never retried once sent; OutcomeUnknown when the answer was lost. Body: {"transactionHash":"0x..."}.
	 * @param Address The seller's wallet
	 * @param Chain polygon or telos
	 * @param MarketItemId The listing's market item id, a decimal string
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Transactions", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Tx Delist NFT"))
	static UXerialTxDelistNftAction* XerialTxDelistNft(const UObject* WorldContextObject, const FString& Address, const FString& Chain, const FString& MarketItemId);

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;

private:
	FString ArgAddress;
	FString ArgChain;
	FString ArgMarketItemId;
};

/** Xerial Tx Custom: Sends a custom transaction. */
UCLASS()
class XERIAL_API UXerialTxCustomAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * Sends a custom transaction: POST /api/wallet/{Address}/{Chain}/transaction with TransactionJson as the body (needs a session). Moves value: never retried once sent; OutcomeUnknown when the answer was lost. Body: {"transactionHash":"0x..."}.
	 * @param Address The sending wallet
	 * @param Chain polygon or telos
	 * @param TransactionJson A JSON object, e.g. {"type":"CONTRACT_EXECUTION","to":...,"functionName":...,"value":0,"inputs":[...]}
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Transactions", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Tx Custom"))
	static UXerialTxCustomAction* XerialTxCustom(const UObject* WorldContextObject, const FString& Address, const FString& Chain, const FString& TransactionJson);

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;

private:
	FString ArgAddress;
	FString ArgChain;
	FString ArgTransactionJson;
};

/** Xerial Market Collections: A project's collections. */
UCLASS()
class XERIAL_API UXerialMarketCollectionsAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * A project's collections: GET {MarketplaceUrl}/collections?project={ProjectId}. InvalidArgument without a MarketplaceUrl in the settings.
	 * @param ProjectId Empty: the configured ProjectId
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Market", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Market Collections"))
	static UXerialMarketCollectionsAction* XerialMarketCollections(const UObject* WorldContextObject, const FString& ProjectId = TEXT(""));

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;

private:
	FString ArgProjectId;
};

/** Xerial Market Primary Listings: A project's primary listings on a chain. */
UCLASS()
class XERIAL_API UXerialMarketPrimaryListingsAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * A project's primary listings on a chain: GET {MarketplaceUrl}/marketplace/{ProjectId}/{Chain}/primary. Body: an array of {"id","typeId","supply","price","inSale","mintedTokens","metadata"}.
	 * @param ProjectId Empty: the configured ProjectId
	 * @param Chain polygon or telos
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Market", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Market Primary Listings"))
	static UXerialMarketPrimaryListingsAction* XerialMarketPrimaryListings(const UObject* WorldContextObject, const FString& ProjectId = TEXT(""), const FString& Chain = TEXT("polygon"));

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;

private:
	FString ArgProjectId;
	FString ArgChain;
};

/** Xerial Market Secondary Listings: A project's community listings on a chain. */
UCLASS()
class XERIAL_API UXerialMarketSecondaryListingsAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * A project's community listings on a chain: GET {MarketplaceUrl}/marketplace/{ProjectId}/{Chain}/secondary[?seller=]. Body: an array of {"tokenId","price","seller","marketItemId","metadata"}.
	 * @param ProjectId Empty: the configured ProjectId
	 * @param Chain polygon or telos
	 * @param Seller Empty: every seller
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Market", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Market Secondary Listings"))
	static UXerialMarketSecondaryListingsAction* XerialMarketSecondaryListings(const UObject* WorldContextObject, const FString& ProjectId = TEXT(""), const FString& Chain = TEXT("polygon"), const FString& Seller = TEXT(""));

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;

private:
	FString ArgProjectId;
	FString ArgChain;
	FString ArgSeller;
};

/** Xerial Market Project: A project's public data by its marketplace domain. */
UCLASS()
class XERIAL_API UXerialMarketProjectAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * A project's public data by its marketplace domain: GET {MarketplaceUrl}/marketplace/{Domain}.
	 * @param Domain The project's marketplace domain
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Market", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Market Project"))
	static UXerialMarketProjectAction* XerialMarketProject(const UObject* WorldContextObject, const FString& Domain);

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;

private:
	FString ArgDomain;
};

/** Xerial Request: Any request on the wallet host, with the SDK's auth, retries and error mapping, for endpoints the SDK does not know yet. Methods other than GET are treated as value-moving (never retried once sent). Body. */
UCLASS()
class XERIAL_API UXerialRequestAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * Any request on the wallet host, with the SDK's auth, retries and error mapping, for endpoints the SDK does not know yet. Methods other than GET are treated as value-moving (never retried once sent). Body: the server's JSON as sent.
	 * @param Method GET, POST, PUT, PATCH or DELETE
	 * @param Path Starts with /, not under /api/auth/
	 * @param JsonBody A JSON object; empty: none
	 * @param bNeedsPlayer Send the player's session
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Request", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Request"))
	static UXerialRequestAction* XerialRequest(const UObject* WorldContextObject, const FString& Method, const FString& Path, const FString& JsonBody = TEXT(""), bool bNeedsPlayer = true);

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;

private:
	FString ArgMethod;
	FString ArgPath;
	FString ArgJsonBody;
	bool ArgNeedsPlayer = true;
};
