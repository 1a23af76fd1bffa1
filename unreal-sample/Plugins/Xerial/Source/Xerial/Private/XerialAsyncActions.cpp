// XerialAsyncActions.cpp - see XerialAsyncActions.h.
#include "XerialAsyncActions.h"

#include "XerialCall.h"
#include "xerial.h"

UXerialLogoutAction* UXerialLogoutAction::XerialLogout(const UObject* WorldContextObject, const FString& RefreshToken)
{
	UXerialLogoutAction* Action = CreateAction<UXerialLogoutAction>(WorldContextObject);
	Action->ArgRefreshToken = RefreshToken;
	return Action;
}

XerialRequestId UXerialLogoutAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_logout(FXerialUtf8(ArgRefreshToken).GetOrNull(), Callback, UserData);
}

UXerialLoginGoogleAction* UXerialLoginGoogleAction::XerialLoginGoogle(const UObject* WorldContextObject, const FString& IdToken, const FString& ClientId)
{
	UXerialLoginGoogleAction* Action = CreateAction<UXerialLoginGoogleAction>(WorldContextObject);
	Action->ArgIdToken = IdToken;
	Action->ArgClientId = ClientId;
	return Action;
}

XerialRequestId UXerialLoginGoogleAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_login_google(FXerialUtf8(ArgIdToken).Get(), FXerialUtf8(ArgClientId).Get(), Callback, UserData);
}

UXerialRequestNonceAction* UXerialRequestNonceAction::XerialRequestNonce(const UObject* WorldContextObject, const FString& Address)
{
	UXerialRequestNonceAction* Action = CreateAction<UXerialRequestNonceAction>(WorldContextObject);
	Action->ArgAddress = Address;
	return Action;
}

XerialRequestId UXerialRequestNonceAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_request_nonce(FXerialUtf8(ArgAddress).Get(), Callback, UserData);
}

UXerialLoginWalletAction* UXerialLoginWalletAction::XerialLoginWallet(const UObject* WorldContextObject, const FString& Address, const FString& Signature)
{
	UXerialLoginWalletAction* Action = CreateAction<UXerialLoginWalletAction>(WorldContextObject);
	Action->ArgAddress = Address;
	Action->ArgSignature = Signature;
	return Action;
}

XerialRequestId UXerialLoginWalletAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_login_wallet(FXerialUtf8(ArgAddress).Get(), FXerialUtf8(ArgSignature).Get(), Callback, UserData);
}

UXerialRefreshAction* UXerialRefreshAction::XerialRefresh(const UObject* WorldContextObject)
{
	UXerialRefreshAction* Action = CreateAction<UXerialRefreshAction>(WorldContextObject);
	return Action;
}

XerialRequestId UXerialRefreshAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_refresh(Callback, UserData);
}

UXerialUserGetAction* UXerialUserGetAction::XerialUserGet(const UObject* WorldContextObject)
{
	UXerialUserGetAction* Action = CreateAction<UXerialUserGetAction>(WorldContextObject);
	return Action;
}

XerialRequestId UXerialUserGetAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_user_get(Callback, UserData);
}

UXerialWalletNativeBalanceAction* UXerialWalletNativeBalanceAction::XerialWalletNativeBalance(const UObject* WorldContextObject, const FString& Address, const FString& Chain)
{
	UXerialWalletNativeBalanceAction* Action = CreateAction<UXerialWalletNativeBalanceAction>(WorldContextObject);
	Action->ArgAddress = Address;
	Action->ArgChain = Chain;
	return Action;
}

XerialRequestId UXerialWalletNativeBalanceAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_wallet_native_balance(FXerialUtf8(ArgAddress).Get(), FXerialUtf8(ArgChain).Get(), Callback, UserData);
}

UXerialWalletTokenBalancesAction* UXerialWalletTokenBalancesAction::XerialWalletTokenBalances(const UObject* WorldContextObject, const FString& Address, const FString& Chain)
{
	UXerialWalletTokenBalancesAction* Action = CreateAction<UXerialWalletTokenBalancesAction>(WorldContextObject);
	Action->ArgAddress = Address;
	Action->ArgChain = Chain;
	return Action;
}

XerialRequestId UXerialWalletTokenBalancesAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_wallet_token_balances(FXerialUtf8(ArgAddress).Get(), FXerialUtf8(ArgChain).Get(), Callback, UserData);
}

UXerialWalletProjectInventoryAction* UXerialWalletProjectInventoryAction::XerialWalletProjectInventory(const UObject* WorldContextObject, const FString& Address, const FString& Chain, const FString& ProjectId)
{
	UXerialWalletProjectInventoryAction* Action = CreateAction<UXerialWalletProjectInventoryAction>(WorldContextObject);
	Action->ArgAddress = Address;
	Action->ArgChain = Chain;
	Action->ArgProjectId = ProjectId;
	return Action;
}

XerialRequestId UXerialWalletProjectInventoryAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_wallet_project_inventory(FXerialUtf8(ArgAddress).Get(), FXerialUtf8(ArgChain).Get(), FXerialUtf8(ArgProjectId).GetOrNull(), Callback, UserData);
}

UXerialWalletGlobalInventoryAction* UXerialWalletGlobalInventoryAction::XerialWalletGlobalInventory(const UObject* WorldContextObject, const FString& Address, const FString& Chain)
{
	UXerialWalletGlobalInventoryAction* Action = CreateAction<UXerialWalletGlobalInventoryAction>(WorldContextObject);
	Action->ArgAddress = Address;
	Action->ArgChain = Chain;
	return Action;
}

XerialRequestId UXerialWalletGlobalInventoryAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_wallet_global_inventory(FXerialUtf8(ArgAddress).Get(), FXerialUtf8(ArgChain).Get(), Callback, UserData);
}

UXerialCustodialCreateUserAction* UXerialCustodialCreateUserAction::XerialCustodialCreateUser(const UObject* WorldContextObject, const FString& Reference)
{
	UXerialCustodialCreateUserAction* Action = CreateAction<UXerialCustodialCreateUserAction>(WorldContextObject);
	Action->ArgReference = Reference;
	return Action;
}

XerialRequestId UXerialCustodialCreateUserAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_custodial_create_user(FXerialUtf8(ArgReference).GetOrNull(), Callback, UserData);
}

UXerialCustodialCreateWalletAction* UXerialCustodialCreateWalletAction::XerialCustodialCreateWallet(const UObject* WorldContextObject, const FString& UserId)
{
	UXerialCustodialCreateWalletAction* Action = CreateAction<UXerialCustodialCreateWalletAction>(WorldContextObject);
	Action->ArgUserId = UserId;
	return Action;
}

XerialRequestId UXerialCustodialCreateWalletAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_custodial_create_wallet(FXerialUtf8(ArgUserId).Get(), Callback, UserData);
}

UXerialTxTransferNftAction* UXerialTxTransferNftAction::XerialTxTransferNft(const UObject* WorldContextObject, const FString& Address, const FString& Chain, const FString& CollectionAddress, const FString& TokenId, const FString& To)
{
	UXerialTxTransferNftAction* Action = CreateAction<UXerialTxTransferNftAction>(WorldContextObject);
	Action->ArgAddress = Address;
	Action->ArgChain = Chain;
	Action->ArgCollectionAddress = CollectionAddress;
	Action->ArgTokenId = TokenId;
	Action->ArgTo = To;
	return Action;
}

XerialRequestId UXerialTxTransferNftAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_tx_transfer_nft(FXerialUtf8(ArgAddress).Get(), FXerialUtf8(ArgChain).Get(), FXerialUtf8(ArgCollectionAddress).Get(), FXerialUtf8(ArgTokenId).Get(), FXerialUtf8(ArgTo).Get(), Callback, UserData);
}

UXerialTxTransferTokenAction* UXerialTxTransferTokenAction::XerialTxTransferToken(const UObject* WorldContextObject, const FString& Address, const FString& Chain, const FString& TokenAddress, const FString& Amount, const FString& To)
{
	UXerialTxTransferTokenAction* Action = CreateAction<UXerialTxTransferTokenAction>(WorldContextObject);
	Action->ArgAddress = Address;
	Action->ArgChain = Chain;
	Action->ArgTokenAddress = TokenAddress;
	Action->ArgAmount = Amount;
	Action->ArgTo = To;
	return Action;
}

XerialRequestId UXerialTxTransferTokenAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_tx_transfer_token(FXerialUtf8(ArgAddress).Get(), FXerialUtf8(ArgChain).Get(), FXerialUtf8(ArgTokenAddress).Get(), FXerialUtf8(ArgAmount).Get(), FXerialUtf8(ArgTo).Get(), Callback, UserData);
}

UXerialTxPrimaryPurchaseAction* UXerialTxPrimaryPurchaseAction::XerialTxPrimaryPurchase(const UObject* WorldContextObject, const FString& Address, const FString& Chain, const FString& CollectionAddress, const FString& TypeId, int32 Quantity)
{
	UXerialTxPrimaryPurchaseAction* Action = CreateAction<UXerialTxPrimaryPurchaseAction>(WorldContextObject);
	Action->ArgAddress = Address;
	Action->ArgChain = Chain;
	Action->ArgCollectionAddress = CollectionAddress;
	Action->ArgTypeId = TypeId;
	Action->ArgQuantity = Quantity;
	return Action;
}

XerialRequestId UXerialTxPrimaryPurchaseAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_tx_primary_purchase(FXerialUtf8(ArgAddress).Get(), FXerialUtf8(ArgChain).Get(), FXerialUtf8(ArgCollectionAddress).Get(), FXerialUtf8(ArgTypeId).Get(), static_cast<uint32_t>(FMath::Max(0, ArgQuantity)), Callback, UserData);
}

UXerialTxSecondaryPurchaseAction* UXerialTxSecondaryPurchaseAction::XerialTxSecondaryPurchase(const UObject* WorldContextObject, const FString& Address, const FString& Chain, const FString& MarketItemId)
{
	UXerialTxSecondaryPurchaseAction* Action = CreateAction<UXerialTxSecondaryPurchaseAction>(WorldContextObject);
	Action->ArgAddress = Address;
	Action->ArgChain = Chain;
	Action->ArgMarketItemId = MarketItemId;
	return Action;
}

XerialRequestId UXerialTxSecondaryPurchaseAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_tx_secondary_purchase(FXerialUtf8(ArgAddress).Get(), FXerialUtf8(ArgChain).Get(), FXerialUtf8(ArgMarketItemId).Get(), Callback, UserData);
}

UXerialTxListNftAction* UXerialTxListNftAction::XerialTxListNft(const UObject* WorldContextObject, const FString& Address, const FString& Chain, const FString& CollectionAddress, const FString& TokenId, const FString& Price)
{
	UXerialTxListNftAction* Action = CreateAction<UXerialTxListNftAction>(WorldContextObject);
	Action->ArgAddress = Address;
	Action->ArgChain = Chain;
	Action->ArgCollectionAddress = CollectionAddress;
	Action->ArgTokenId = TokenId;
	Action->ArgPrice = Price;
	return Action;
}

XerialRequestId UXerialTxListNftAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_tx_list_nft(FXerialUtf8(ArgAddress).Get(), FXerialUtf8(ArgChain).Get(), FXerialUtf8(ArgCollectionAddress).Get(), FXerialUtf8(ArgTokenId).Get(), FXerialUtf8(ArgPrice).Get(), Callback, UserData);
}

UXerialTxDelistNftAction* UXerialTxDelistNftAction::XerialTxDelistNft(const UObject* WorldContextObject, const FString& Address, const FString& Chain, const FString& MarketItemId)
{
	UXerialTxDelistNftAction* Action = CreateAction<UXerialTxDelistNftAction>(WorldContextObject);
	Action->ArgAddress = Address;
	Action->ArgChain = Chain;
	Action->ArgMarketItemId = MarketItemId;
	return Action;
}

XerialRequestId UXerialTxDelistNftAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_tx_delist_nft(FXerialUtf8(ArgAddress).Get(), FXerialUtf8(ArgChain).Get(), FXerialUtf8(ArgMarketItemId).Get(), Callback, UserData);
}

UXerialTxCustomAction* UXerialTxCustomAction::XerialTxCustom(const UObject* WorldContextObject, const FString& Address, const FString& Chain, const FString& TransactionJson)
{
	UXerialTxCustomAction* Action = CreateAction<UXerialTxCustomAction>(WorldContextObject);
	Action->ArgAddress = Address;
	Action->ArgChain = Chain;
	Action->ArgTransactionJson = TransactionJson;
	return Action;
}

XerialRequestId UXerialTxCustomAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_tx_custom(FXerialUtf8(ArgAddress).Get(), FXerialUtf8(ArgChain).Get(), FXerialUtf8(ArgTransactionJson).Get(), Callback, UserData);
}

UXerialMarketCollectionsAction* UXerialMarketCollectionsAction::XerialMarketCollections(const UObject* WorldContextObject, const FString& ProjectId)
{
	UXerialMarketCollectionsAction* Action = CreateAction<UXerialMarketCollectionsAction>(WorldContextObject);
	Action->ArgProjectId = ProjectId;
	return Action;
}

XerialRequestId UXerialMarketCollectionsAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_market_collections(FXerialUtf8(ArgProjectId).GetOrNull(), Callback, UserData);
}

UXerialMarketPrimaryListingsAction* UXerialMarketPrimaryListingsAction::XerialMarketPrimaryListings(const UObject* WorldContextObject, const FString& ProjectId, const FString& Chain)
{
	UXerialMarketPrimaryListingsAction* Action = CreateAction<UXerialMarketPrimaryListingsAction>(WorldContextObject);
	Action->ArgProjectId = ProjectId;
	Action->ArgChain = Chain;
	return Action;
}

XerialRequestId UXerialMarketPrimaryListingsAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_market_primary_listings(FXerialUtf8(ArgProjectId).GetOrNull(), FXerialUtf8(ArgChain).Get(), Callback, UserData);
}

UXerialMarketSecondaryListingsAction* UXerialMarketSecondaryListingsAction::XerialMarketSecondaryListings(const UObject* WorldContextObject, const FString& ProjectId, const FString& Chain, const FString& Seller)
{
	UXerialMarketSecondaryListingsAction* Action = CreateAction<UXerialMarketSecondaryListingsAction>(WorldContextObject);
	Action->ArgProjectId = ProjectId;
	Action->ArgChain = Chain;
	Action->ArgSeller = Seller;
	return Action;
}

XerialRequestId UXerialMarketSecondaryListingsAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_market_secondary_listings(FXerialUtf8(ArgProjectId).GetOrNull(), FXerialUtf8(ArgChain).Get(), FXerialUtf8(ArgSeller).GetOrNull(), Callback, UserData);
}

UXerialMarketProjectAction* UXerialMarketProjectAction::XerialMarketProject(const UObject* WorldContextObject, const FString& Domain)
{
	UXerialMarketProjectAction* Action = CreateAction<UXerialMarketProjectAction>(WorldContextObject);
	Action->ArgDomain = Domain;
	return Action;
}

XerialRequestId UXerialMarketProjectAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_market_project(FXerialUtf8(ArgDomain).Get(), Callback, UserData);
}

UXerialRequestAction* UXerialRequestAction::XerialRequest(const UObject* WorldContextObject, const FString& Method, const FString& Path, const FString& JsonBody, bool bNeedsPlayer)
{
	UXerialRequestAction* Action = CreateAction<UXerialRequestAction>(WorldContextObject);
	Action->ArgMethod = Method;
	Action->ArgPath = Path;
	Action->ArgJsonBody = JsonBody;
	Action->ArgNeedsPlayer = bNeedsPlayer;
	return Action;
}

XerialRequestId UXerialRequestAction::StartCall(XerialCallback Callback, void* UserData)
{
	return xerial_request(FXerialUtf8(ArgMethod).Get(), FXerialUtf8(ArgPath).Get(), FXerialUtf8(ArgJsonBody).GetOrNull(), static_cast<uint8_t>(ArgNeedsPlayer ? 1 : 0), Callback, UserData);
}
