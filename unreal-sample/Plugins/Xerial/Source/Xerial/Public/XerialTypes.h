// XerialTypes.h - the Xerial plugin's Blueprint-visible types: codes, the result struct, delegates.
#pragma once

#include "CoreMinimal.h"
#include "XerialTypes.generated.h"

XERIAL_API DECLARE_LOG_CATEGORY_EXTERN(LogXerial, Log, All);

/** Every XERIAL_* code of the C ABI (abi.md section 5); Unknown for a value this plugin does not know. */
UENUM(BlueprintType)
enum class EXerialCode : uint8
{
	Ok = 0 UMETA(DisplayName = "OK"),
	InvalidArgument = 1,
	NotInitialized = 2,
	AlreadyInitialized = 3,
	NotLoggedIn = 4,
	Cancelled = 5,
	Shutdown = 6,
	BufferTooSmall = 7,
	Denied = 8 UMETA(ToolTip = "The player or the identity provider refused a sign-in (Message says which)"),
	Unavailable = 9 UMETA(ToolTip = "Not possible in this build or on this platform (e.g. no wallet in the player's browser)"),
	Network = 10,
	Timeout = 11,
	OutcomeUnknown = 12 UMETA(ToolTip = "A value-moving request may have run and no answer came back: check before repeating it"),
	BadRequest = 20,
	Unauthorized = 21,
	Forbidden = 22,
	NotFound = 23,
	NotSupported = 24,
	PreconditionFailed = 25,
	RateLimited = 26,
	Http = 27 UMETA(DisplayName = "HTTP"),
	Server = 30,
	Decode = 31,
	Internal = 99,
	Unknown = 254 UMETA(ToolTip = "A code this plugin does not know: see RawCode and CodeName"),
};

/** The player's auth state (XERIAL_AUTH_*). */
UENUM(BlueprintType)
enum class EXerialAuthState : uint8
{
	LoggedOut = 0,
	LoggedIn = 1,
};

/** Where the player's session is kept between runs (XerialConfig.session_store, ABI 1.3). */
UENUM(BlueprintType)
enum class EXerialSessionStore : uint8
{
	/** The OS's protected store, per user (Keychain, Secret Service, DPAPI, the app's private storage): never under the project's Saved/. */
	Protected = 1,
	/** Memory only: every start begins logged out. */
	Memory = 3,
	/** Plain JSON in Saved/Xerial/session.json (mode 0600 where the OS has modes): travels with copies of the project folder. */
	SavedFile = 2 UMETA(DisplayName = "Saved file (plain text)"),
};

/** How much of the SDK's own log reaches LogXerial. */
UENUM(BlueprintType)
enum class EXerialLogLevel : uint8
{
	Off = 0,
	Error = 1,
	Warning = 2,
	Info = 3,
	Debug = 4,
	Trace = 5,
};

/**
 * The outcome of one Xerial call: a copy of the C XerialResult (abi.md section 4), safe to keep.
 * Body is the canonical JSON documented on each function in xerial.h (parse it with the Json module
 * in C++, or a JSON plugin in Blueprint).
 */
USTRUCT(BlueprintType)
struct XERIAL_API FXerialResult
{
	GENERATED_BODY()

	/** The code, for Switch on EXerialCode. Unknown when the library sent a newer code: see RawCode. */
	UPROPERTY(BlueprintReadOnly, Category = "Xerial")
	EXerialCode Code = EXerialCode::Internal;

	/** The code exactly as the library sent it (XERIAL_OK 0, XERIAL_E_*). */
	UPROPERTY(BlueprintReadOnly, Category = "Xerial")
	int32 RawCode = 99;

	/** "XERIAL_E_NOT_FOUND", ... ("XERIAL_E_UNKNOWN" for codes the library does not know). */
	UPROPERTY(BlueprintReadOnly, Category = "Xerial")
	FString CodeName;

	/** The HTTP status received, 0 when no HTTP response was received. */
	UPROPERTY(BlueprintReadOnly, Category = "Xerial")
	int32 HttpStatus = 0;

	/** "" on success; the server's message (e.g. "Not Found") or a short reason. Never a token. */
	UPROPERTY(BlueprintReadOnly, Category = "Xerial")
	FString Message;

	/** The response's canonical JSON ("" when none); on an HTTP error the server's JSON error body. */
	UPROPERTY(BlueprintReadOnly, Category = "Xerial")
	FString Body;

	/** True when repeating the same call later may succeed. */
	UPROPERTY(BlueprintReadOnly, Category = "Xerial")
	bool bRetryable = false;

	/** The server's Retry-After in milliseconds, 0 when none. */
	UPROPERTY(BlueprintReadOnly, Category = "Xerial")
	int32 RetryAfterMs = 0;

	/** The id of the call (unique for the process; 0 when the call could not start). */
	UPROPERTY(BlueprintReadOnly, Category = "Xerial")
	int64 RequestId = 0;

	bool IsOk() const { return RawCode == 0; }
};

/** A success or failure pin of a Xerial async node. */
DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(FXerialResultPin, const FXerialResult&, Result);

/** Fired when the player's auth state flips (login, session set, logout, session cleared, refresh refused). */
DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(FXerialAuthStateChanged, EXerialAuthState, NewState);
