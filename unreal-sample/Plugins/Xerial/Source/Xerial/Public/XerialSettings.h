// XerialSettings.h - Project Settings > Plugins > Xerial (stored in Config/DefaultGame.ini).
#pragma once

#include "CoreMinimal.h"
#include "Engine/DeveloperSettings.h"
#include "XerialTypes.h"
#include "XerialSettings.generated.h"

/**
 * How UXerialSubsystem initialises the SDK (XerialConfig, abi.md section 2). Read once, when the
 * first game instance starts; change them and restart PIE.
 *
 *   [/Script/Xerial.XerialSettings]
 *   BaseUrl=https://wallet.xerial.io
 *   ProjectId=6564b4f3fa203b318f65da05
 */
UCLASS(config = Game, defaultconfig, meta = (DisplayName = "Xerial"))
class XERIAL_API UXerialSettings : public UDeveloperSettings
{
	GENERATED_BODY()

public:
	virtual FName GetCategoryName() const override;

	/** Wallet API host: https://wallet.xerial.io (production), https://wallet.staging.xerial.io (staging), http://127.0.0.1:PORT (the offline server). Empty: production. */
	UPROPERTY(config, EditAnywhere, BlueprintReadOnly, Category = "Server")
	FString BaseUrl = TEXT("https://wallet.xerial.io");

	/** Host of the marketplace/collections API (not published by Xerial). Empty: none, and the Market nodes fail with InvalidArgument. */
	UPROPERTY(config, EditAnywhere, BlueprintReadOnly, Category = "Server")
	FString MarketplaceUrl;

	/** Your Xerial project id, used by logins, project inventory and market calls that are given none. */
	UPROPERTY(config, EditAnywhere, BlueprintReadOnly, Category = "Server")
	FString ProjectId;

	/** Plain http:// to hosts other than loopback. Never in a shipped game. */
	UPROPERTY(config, EditAnywhere, BlueprintReadOnly, Category = "Server", AdvancedDisplay)
	bool bAllowInsecureHttp = false;

	/** A proxy for every request, http://host:port (or http://user:pass@host:port). Empty: direct. Needs SDK ABI 1.1. */
	UPROPERTY(config, EditAnywhere, BlueprintReadOnly, Category = "Server", AdvancedDisplay)
	FString ProxyUrl;

	/** A PEM file of certificates trusted besides the bundled roots, e.g. a test CA, relative to the project directory (the build stages it into the packaged game; an absolute path works in the editor only). Empty: none. When it cannot be read the SDK is not initialised. Needs SDK ABI 1.1. */
	UPROPERTY(config, EditAnywhere, BlueprintReadOnly, Category = "Server", AdvancedDisplay)
	FString ExtraRootCaPemFile;

	/** Whole-call deadline in milliseconds, retries included (0: the SDK's default, 30000). */
	UPROPERTY(config, EditAnywhere, BlueprintReadOnly, Category = "Network", meta = (ClampMin = "0"))
	int32 TimeoutMs = 30000;

	/** Connection deadline in milliseconds (0: the SDK's default, 10000). */
	UPROPERTY(config, EditAnywhere, BlueprintReadOnly, Category = "Network", meta = (ClampMin = "0"))
	int32 ConnectTimeoutMs = 10000;

	/** Automatic retries of requests that are safe to repeat (reads); 0: none. */
	UPROPERTY(config, EditAnywhere, BlueprintReadOnly, Category = "Network", meta = (ClampMin = "0", ClampMax = "10"))
	int32 MaxRetries = 2;

	/** SDK worker threads, created once per process (0: the SDK's default, 1). */
	UPROPERTY(config, EditAnywhere, BlueprintReadOnly, Category = "Network", AdvancedDisplay, meta = (ClampMin = "0", ClampMax = "16"))
	int32 WorkerThreads = 1;

	/** Where the player's session is kept between runs. Protected (default) also moves a Saved/Xerial/session.json left by SavedFile (or the former bPersistSession) into the OS's store (on Android and iOS the file is in the app's writable storage). */
	UPROPERTY(config, EditAnywhere, BlueprintReadOnly, Category = "Session")
	EXerialSessionStore SessionStore = EXerialSessionStore::Protected;

	/** How many callbacks one frame may run (0: all that are queued). */
	UPROPERTY(config, EditAnywhere, BlueprintReadOnly, Category = "Dispatch", AdvancedDisplay, meta = (ClampMin = "0"))
	int32 MaxCallbacksPerFrame = 0;

	/** SDK log records up to this level go to LogXerial. */
	UPROPERTY(config, EditAnywhere, BlueprintReadOnly, Category = "Logging")
	EXerialLogLevel LogLevel = EXerialLogLevel::Info;

	/** Sign-in: the Google OAuth client id. Desktop: a "Desktop app" client; iOS (Config/IOS/IOSGame.ini): an "iOS" client. Android: use Credential Manager and the Login Google node instead (README "Signing players in"). */
	UPROPERTY(config, EditAnywhere, BlueprintReadOnly, Category = "Sign-in")
	FString GoogleClientId;

	/** Sign-in: the client secret Google issues to "Desktop app" clients (not confidential; its token endpoint requires it). Empty for iOS. */
	UPROPERTY(config, EditAnywhere, BlueprintReadOnly, Category = "Sign-in")
	FString GoogleClientSecret;

	/** Sign-in: empty on desktop (the SDK listens on 127.0.0.1). iOS: com.googleusercontent.apps.<id>:/oauth2redirect, registered as the app's URL scheme; forward the URL iOS opens the app with to Complete Sign In. */
	UPROPERTY(config, EditAnywhere, BlueprintReadOnly, Category = "Sign-in")
	FString GoogleRedirectUri;

	/** Sign-in: how long the player has to finish in the browser, in seconds (0: 300). */
	UPROPERTY(config, EditAnywhere, BlueprintReadOnly, Category = "Sign-in", meta = (ClampMin = "0"))
	int32 SignInTimeoutSeconds = 0;

	/** Sign-in: Google's authorization endpoint; empty: Google's. The offline server plays it at {BaseUrl}/oauth/authorize. */
	UPROPERTY(config, EditAnywhere, BlueprintReadOnly, Category = "Sign-in", AdvancedDisplay)
	FString OAuthAuthorizeUrl;

	/** Sign-in: Google's token endpoint; empty: Google's ({BaseUrl}/oauth/token offline). */
	UPROPERTY(config, EditAnywhere, BlueprintReadOnly, Category = "Sign-in", AdvancedDisplay)
	FString OAuthTokenUrl;
};
