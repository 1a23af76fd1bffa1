// XerialAsyncAction.h - the base of every Xerial Blueprint async node.
#pragma once

#include "CoreMinimal.h"
#include "Engine/CancellableAsyncAction.h"
#include "XerialTypes.h"
#include "xerial.h"
#include "XerialAsyncAction.generated.h"

/**
 * One asynchronous Xerial call as a Blueprint node with two pins, On Success (code Ok) and On
 * Failure (any other code), both carrying the FXerialResult, and an Async Action pin to Cancel it.
 *
 * A node for a new xerial_* function is a subclass with a static factory UFUNCTION that stores the
 * arguments, and StartCall, which makes the C call with the callback and user data it is given:
 *
 *   XerialRequestId UXerialUserGetAction::StartCall(XerialCallback Callback, void* UserData)
 *   {
 *       return xerial_user_get(Callback, UserData);
 *   }
 *
 * Lifetime: the factory registers the node with the game instance; it stays alive until its result
 * arrives (on the game thread, inside the subsystem's tick) or it is cancelled. The C callback holds
 * only a weak pointer to the node.
 *
 * Cancel: stops the request (xerial_cancel) and ends the node without firing a pin, on every engine
 * version (the node keeps its own "finished" flag: the CANCELLED result that still arrives on a
 * later poll is ignored, whether or not the engine's SetReadyToDestroy clears the registration).
 * Cancelling a transaction that was already sent does not undo it.
 * When the SDK is not initialised, or the node has no game instance (an Editor Utility Blueprint,
 * a world without one: nothing would pump the SDK or keep the node alive), On Failure fires on
 * the next frame with NotInitialized and a message saying which.
 * When the game instance shuts down, pending nodes end without firing a pin.
 */
UCLASS(Abstract)
class XERIAL_API UXerialAsyncAction : public UCancellableAsyncAction
{
	GENERATED_BODY()

public:
	/** The call answered with code Ok. */
	UPROPERTY(BlueprintAssignable)
	FXerialResultPin OnSuccess;

	/** The call answered with any other code (see Result.Code, Message, bRetryable). */
	UPROPERTY(BlueprintAssignable)
	FXerialResultPin OnFailure;

	virtual void Activate() override;
	virtual void Cancel() override;

	/** The id of the call in flight, 0 when none. */
	uint64 GetRequestId() const { return RequestId; }

protected:
	/** Makes the C call: `return xerial_xxx(<stored arguments>, Callback, UserData);`. */
	virtual XerialRequestId StartCall(XerialCallback /*Callback*/, void* /*UserData*/)
		PURE_VIRTUAL(UXerialAsyncAction::StartCall, return 0;);

	/** For factories: a new node of type T, registered with WorldContextObject's game instance. */
	template <typename T>
	static T* CreateAction(const UObject* WorldContextObject)
	{
		T* Action = NewObject<T>();
		Action->RegisterWithGameInstance(WorldContextObject);
		return Action;
	}

private:
	/** Ends the node once: fires its pin (unless cancelled, finished, or the game instance is going away). */
	void Finish(const FXerialResult& Result);

	/** Fires On Failure on the next frame (never from inside Activate), keeping the node alive until then. */
	void FailNextFrame(int32 RawCode, const FString& Message);

	uint64 RequestId = 0;
	/** Set by Cancel and by Finish: no pin fires after it, whatever still arrives. */
	bool bFinished = false;
	/** Whether Activate found the node registered with a game instance. */
	bool bHadGameInstance = false;
};
