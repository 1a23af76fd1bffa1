// XerialSubsystem.h - owns the SDK for the game: init, per-frame pump, shutdown, session state.
#pragma once

#include "CoreMinimal.h"
#include "Containers/Ticker.h"
#include "Subsystems/GameInstanceSubsystem.h"
#include "XerialCall.h"
#include "XerialTypes.h"
#include "XerialSubsystem.generated.h"

/**
 * The Xerial SDK, one per process (abi.md section 2), run for the game instance:
 *
 *  - Initialize: routes the SDK log to LogXerial, sets the auth listener, and calls xerial_init with
 *    UXerialSettings (XERIAL_DISPATCH_POLL: callbacks run on the game thread).
 *  - Every frame: xerial_poll from an FTSTicker on the game thread; request callbacks, async nodes'
 *    pins and OnAuthStateChanged fire there.
 *  - Deinitialize: xerial_shutdown; calls still in flight end with XERIAL_E_SHUTDOWN (C++ callbacks
 *    get it; Blueprint nodes end silently: the world is going away).
 *
 * Not created on a dedicated server (ShouldCreateSubsystem): the SDK is for players.
 *
 * Several game instances in one process (PIE with several clients) share the SDK: the first one
 * initialises it, the last one shuts it down, and they share the session.
 *
 * Game thread only, except the static FXerialCall helpers.
 */
UCLASS()
class XERIAL_API UXerialSubsystem : public UGameInstanceSubsystem
{
	GENERATED_BODY()

public:
	virtual bool ShouldCreateSubsystem(UObject* Outer) const override;
	virtual void Initialize(FSubsystemCollectionBase& Collection) override;
	virtual void Deinitialize() override;

	/** The subsystem of the game instance of WorldContextObject's world, or nullptr. */
	static UXerialSubsystem* Get(const UObject* WorldContextObject);

	/** True while the SDK is being shut down (owed callbacks running inside xerial_shutdown). */
	static bool IsShuttingDown();

	/** True when the SDK is initialised and calls can start. */
	UFUNCTION(BlueprintPure, Category = "Xerial")
	bool IsReady() const;

	/** What xerial_init answered (Ok; InvalidArgument for a bad URL in the settings or an ExtraRootCaPemFile that cannot be read; NotInitialized when the library is not loaded). */
	UFUNCTION(BlueprintPure, Category = "Xerial")
	EXerialCode GetInitCode() const;

	/** LoggedIn while a player session is held. */
	UFUNCTION(BlueprintPure, Category = "Xerial")
	EXerialAuthState GetAuthState() const;

	UFUNCTION(BlueprintPure, Category = "Xerial")
	bool IsLoggedIn() const;

	/**
	 * Installs a session from Xerial's token-pair JSON ({"access":{"token","expires"},"refresh":{...}},
	 * e.g. from Xerial's hosted login page); persisted when the settings say so. Ok or InvalidArgument.
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Session")
	EXerialCode SetSession(const FString& TokensJson);

	/** Forgets the session locally (no network; use the Logout node to also revoke it). */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Session")
	EXerialCode ClearSession();

	/** The current token-pair JSON (C++ only: it holds the tokens, treat it as a secret). Ok, NotLoggedIn or NotInitialized. */
	EXerialCode GetSession(FString& OutTokensJson) const;

	/** The library's version, e.g. "0.1.0" ("" when it is not loaded). */
	UFUNCTION(BlueprintPure, Category = "Xerial")
	FString GetSdkVersion() const;

	/** Fired on the game thread when the player's auth state flips. */
	UPROPERTY(BlueprintAssignable, Category = "Xerial")
	FXerialAuthStateChanged OnAuthStateChanged;

	/**
	 * C++: logs the player out (empty RefreshToken: the current session's, cleared locally at once).
	 * OnResult runs once on the game thread. Returns the request id (0: not started, OnResult not called).
	 * Every other call: FXerialCall::Start with the xerial_* function (see XerialCall.h).
	 */
	uint64 Logout(const FString& RefreshToken, FXerialOnResult&& OnResult);

	/** C++: cancels a call (see FXerialCall::Cancel). */
	bool Cancel(uint64 RequestId);

	/**
	 * C++: signs the player in with Google in the system browser (the client from the settings'
	 * Sign-in section; see XerialSignIn.h for each platform). OnResult runs once on the game thread:
	 * Ok (session installed), Denied, Timeout, Cancelled, Unavailable, InvalidArgument, ... Returns the
	 * request id (0: not started, OnResult not called). The Xerial Sign In With Google node does the same.
	 */
	uint64 SignInWithGoogle(FXerialOnResult&& OnResult);

	/** C++: signs the player in with the wallet in their desktop browser (MetaMask...); as SignInWithGoogle. */
	uint64 SignInWithBrowserWallet(FXerialOnResult&& OnResult);

	/**
	 * Hands the waiting sign-in the URL the OS opened the app with (iOS: the GoogleRedirectUri scheme).
	 * Ok: taken (the sign-in's callback reports the outcome); NotFound: not its answer; InvalidArgument: not a URL.
	 */
	UFUNCTION(BlueprintCallable, Category = "Xerial|Auth")
	EXerialCode CompleteSignIn(const FString& RedirectUrl);

private:
	bool Tick(float DeltaTime);
	void BroadcastAuthState(EXerialAuthState State);

	static void OnLog(void* UserData, int32_t Level, const char* Message);
	static void OnAuthState(void* UserData, int32_t State);

	FTSTicker::FDelegateHandle TickHandle;
	int32 MaxCallbacksPerFrame = 0;
	bool bCounted = false;
};
