// XerialSampleActor.h - the Xerial plugin used from C++: a logout flow with on-screen results.
#pragma once

#include "CoreMinimal.h"
#include "GameFramework/Actor.h"
#include "XerialTypes.h"
#include "XerialSampleActor.generated.h"

class UXerialSubsystem;

/**
 * Drop it in a level and press Play. On BeginPlay it installs TokensJson as the player's session
 * (when set), shows the auth state, then logs the player out through UXerialSubsystem::Logout and
 * prints the result on screen and in LogXerialSample. OnAuthStateChanged is printed as it fires.
 *
 * With the offline server (cargo run -p xerial-mock -- --port 8080, the sample's DefaultGame.ini
 * points there), get a session to paste into TokensJson with:
 *   curl -s -XPOST http://127.0.0.1:8080/_mock/sessions -d '{}'
 */
UCLASS()
class XERIALSAMPLE_API AXerialSampleActor : public AActor
{
	GENERATED_BODY()

public:
	AXerialSampleActor();

	/** A token-pair JSON to install before logging out; empty: use the session the SDK holds. */
	UPROPERTY(EditAnywhere, Category = "Xerial Sample")
	FString TokensJson;

	/** Start the logout flow on BeginPlay. */
	UPROPERTY(EditAnywhere, Category = "Xerial Sample")
	bool bLogoutOnBeginPlay = true;

	/** Logs the current player out (the session is cleared locally at once, then revoked). */
	UFUNCTION(BlueprintCallable, Category = "Xerial Sample")
	void StartLogout();

	/** Cancels the logout in flight, if any. */
	UFUNCTION(BlueprintCallable, Category = "Xerial Sample")
	void CancelLogout();

protected:
	virtual void BeginPlay() override;
	virtual void EndPlay(const EEndPlayReason::Type EndPlayReason) override;

private:
	UFUNCTION()
	void HandleAuthStateChanged(EXerialAuthState NewState);

	void HandleLogoutResult(const FXerialResult& Result);
	void Show(const FString& Line, const FColor& Color) const;

	uint64 PendingLogout = 0;
};
