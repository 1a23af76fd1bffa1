// XerialSignInSampleActor.h - the Xerial plugin's sign-in used from C++: the player signs in in the
// system browser, then the game reads the player with GET /api/user.
#pragma once

#include "CoreMinimal.h"
#include "GameFramework/Actor.h"
#include "XerialTypes.h"
#include "XerialSignInSampleActor.generated.h"

/**
 * Drop it in a level and press Play. On BeginPlay, when no player is logged in, it signs one in
 * (Google, or the browser's wallet when bUseBrowserWallet) through UXerialSubsystem, which opens
 * the system browser with FPlatformProcess::LaunchURL; then it reads the player (xerial_user_get)
 * and prints both results on screen and in LogXerialSample.
 *
 * With the offline server (cargo run -p xerial-mock -- --port 8080; the sample's DefaultGame.ini
 * points the SDK and its Google endpoints there), the browser shows the server's consent page:
 * click Allow. For real Google, clear OAuthAuthorizeUrl/OAuthTokenUrl and set your own client
 * (README "Signing players in").
 */
UCLASS()
class XERIALSAMPLE_API AXerialSignInSampleActor : public AActor
{
	GENERATED_BODY()

public:
	AXerialSignInSampleActor();

	/** Sign in with the browser's wallet (MetaMask...) instead of Google. */
	UPROPERTY(EditAnywhere, Category = "Xerial Sample")
	bool bUseBrowserWallet = false;

	/** Start signing in on BeginPlay when no player is logged in. */
	UPROPERTY(EditAnywhere, Category = "Xerial Sample")
	bool bSignInOnBeginPlay = true;

	/** Signs a player in (a second sign-in while one waits is refused by the SDK). */
	UFUNCTION(BlueprintCallable, Category = "Xerial Sample")
	void StartSignIn();

protected:
	virtual void BeginPlay() override;
	virtual void EndPlay(const EEndPlayReason::Type EndPlayReason) override;

private:
	void HandleSignInResult(const FXerialResult& Result);
	void ReadPlayer();
	void Show(const FString& Line, const FColor& Color) const;

	uint64 PendingSignIn = 0;
};
