// XerialCall.h - the one generic piece between Unreal code and the C ABI: start an asynchronous
// xerial_* call with a TUniqueFunction as its callback.
//
//   const uint64 Id = FXerialCall::Start(
//       [&](XerialCallback Callback, void* UserData)
//       {
//           return xerial_wallet_native_balance(FXerialUtf8(Address).Get(), "polygon", Callback, UserData);
//       },
//       [WeakThis = TWeakObjectPtr<UMyObject>(this)](const FXerialResult& Result)
//       {
//           if (UMyObject* Self = WeakThis.Get()) { /* game thread */ }
//       });
//
// OWNERSHIP: the TUniqueFunction is moved to the heap and handed to the library as user_data; the
// trampoline takes it back (TUniquePtr), copies the borrowed XerialResult into an FXerialResult,
// calls it once and deletes it. When the call does not start (id 0: the SDK is not initialised or
// the library is not loaded), the function is deleted at once and never called.
//
// THREADING: the plugin runs the SDK in XERIAL_DISPATCH_POLL mode and UXerialSubsystem pumps
// xerial_poll from an FTSTicker, so callbacks run on the game thread, inside that tick (and inside
// xerial_shutdown when the game instance ends: code XERIAL_E_SHUTDOWN). Captures must stay valid
// until then: capture UObjects as TWeakObjectPtr.
//
// EXCEPTIONS: Unreal modules build without exceptions by default, so nothing can unwind into the
// library. If a module enables them (bEnableExceptions), the trampoline catches everything.
#pragma once

#include "CoreMinimal.h"
#include "XerialTypes.h"
#include "xerial.h"

/** A callback for one Xerial call; runs once, on the game thread. */
using FXerialOnResult = TUniqueFunction<void(const FXerialResult&)>;

/** Starts asynchronous xerial_* calls; see the top of XerialCall.h. */
struct XERIAL_API FXerialCall
{
	/**
	 * Makes the C call `StartFn(XerialCallback, void* UserData) -> XerialRequestId`, passing a
	 * trampoline that runs OnResult exactly once. Returns the request id, or 0 (OnResult destroyed,
	 * never called) when the call could not start.
	 */
	template <typename FStartFn>
	static uint64 Start(FStartFn&& StartFn, FXerialOnResult&& OnResult)
	{
		if (!IsAvailable() || !OnResult)
		{
			return 0;
		}
		TUniquePtr<FXerialOnResult> Holder = MakeUnique<FXerialOnResult>(MoveTemp(OnResult));
		const XerialRequestId Id = StartFn(&FXerialCall::Trampoline, static_cast<void*>(Holder.Get()));
		if (Id != 0)
		{
			// The library owns it now; the trampoline deletes it. Do not touch it again.
			(void)Holder.Release();
		}
		return Id;
	}

	/** xerial_cancel: true if it stopped the request (its callback then runs with Cancelled, or
	 *  OutcomeUnknown for a transaction that may have been sent). */
	static bool Cancel(uint64 RequestId);

	/** True when the library is loaded and its ABI matches: only then may xerial_* be called. */
	static bool IsAvailable();

	/** Copies a borrowed C result. */
	static FXerialResult ToResult(const XerialResult& Result);

	/** A result made here (e.g. NotInitialized when a call could not start). */
	static FXerialResult MakeResult(int32 RawCode, const FString& Message);

	/** The enum value of a raw code (Unknown for values not in EXerialCode). */
	static EXerialCode ToCode(int32 RawCode);

	/** The XerialCallback of every call started by Start. */
	static void Trampoline(void* UserData, const XerialResult* Result);
};

/**
 * A UTF-8 copy of an FString for a C argument. As a temporary in the call expression it lives until
 * the call returns: `xerial_logout(FXerialUtf8(Token).Get(), ...)`. GetOrNull() gives NULL for an
 * empty string (the C functions' "NULL means ..." arguments).
 */
class FXerialUtf8
{
public:
	explicit FXerialUtf8(const FString& Source)
		: Converted(*Source)
		, bEmpty(Source.IsEmpty())
	{
	}

	const char* Get() const { return reinterpret_cast<const char*>(Converted.Get()); }
	const char* GetOrNull() const { return bEmpty ? nullptr : Get(); }

private:
	FTCHARToUTF8 Converted;
	bool bEmpty;
};
