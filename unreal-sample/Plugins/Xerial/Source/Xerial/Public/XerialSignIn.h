// XerialSignIn.h - signing a player in from an Unreal game, in the system browser (abi.md
// section 9; README "Signing players in").
//
//  - The URL opens with FPlatformProcess::LaunchURL on the game thread: the SDK delivers it inside
//    the subsystem's tick. Never an embedded web browser widget: Google refuses them.
//  - Desktop: set GoogleClientId (and GoogleClientSecret) of a "Desktop app" client in Project
//    Settings > Plugins > Xerial; the SDK's loopback listener receives the answer.
//  - iOS: an "iOS" client (Config/IOS/IOSGame.ini) with GoogleRedirectUri set to its reversed
//    client id scheme, registered as the app's URL scheme; hand the URL iOS opens the app with to
//    UXerialSubsystem::CompleteSignIn.
//  - Android: Google no longer accepts custom schemes for new Android clients: sign in with
//    Credential Manager (a Java/Kotlin plugin through UPL) and pass its ID token to the
//    Xerial Login Google node with the web client id.
//  - Browser wallet: desktop browsers with an EIP-1193 wallet (MetaMask...). A phone's browser has
//    none (Unavailable).
#pragma once

#include "CoreMinimal.h"
#include "XerialAsyncAction.h"
#include "xerial.h"
#include "XerialSignIn.generated.h"

/** What the sign-in nodes and UXerialSubsystem's sign-in calls share. Game thread. */
struct XERIAL_API FXerialSignIn
{
	/** xerial_signin_start for Method (XERIAL_SIGNIN_GOOGLE or XERIAL_SIGNIN_BROWSER_WALLET), with the options of UXerialSettings. */
	static XerialRequestId Start(int32 Method, XerialCallback Callback, void* UserData);

	/** The open_url of every sign-in: FPlatformProcess::LaunchURL (the URL is never logged: it carries the sign-in's secrets). */
	static void OpenUrl(void* UserData, const char* Url);
};

/** Xerial Sign In With Google: the player signs in with Google in the system browser. */
UCLASS()
class XERIAL_API UXerialSignInWithGoogleAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * Signs the player in with Google in the system browser (OAuth code flow + PKCE; the client from Project Settings > Xerial > Sign-in), then POST /api/auth/google. On Success the session is installed; Body: {"accessExpires":"...","refreshExpires":"..."}. On Failure: Denied (the player refused), Timeout, Unavailable, InvalidArgument ("a sign-in is already waiting", no client id, no ProjectId), BadRequest ("invalid_grant").
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Auth", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Sign In With Google"))
	static UXerialSignInWithGoogleAction* XerialSignInWithGoogle(const UObject* WorldContextObject);

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;
};

/** Xerial Sign In With Browser Wallet: the wallet in the player's browser signs Xerial's nonce. */
UCLASS()
class XERIAL_API UXerialSignInWithBrowserWalletAction : public UXerialAsyncAction
{
	GENERATED_BODY()

public:
	/**
	 * Signs the player in with the EIP-1193 wallet (MetaMask...) in their desktop browser: the SDK's page on 127.0.0.1 asks it to sign Xerial's nonce, then POST /api/auth/metamask. On Failure: Denied (the wallet refused), Unavailable (no wallet in the browser), Timeout, BadRequest ("Auth Failed").
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Auth", meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Xerial Sign In With Browser Wallet"))
	static UXerialSignInWithBrowserWalletAction* XerialSignInWithBrowserWallet(const UObject* WorldContextObject);

protected:
	virtual XerialRequestId StartCall(XerialCallback Callback, void* UserData) override;
};
