// XerialAsyncAction.cpp - see XerialAsyncAction.h.
#include "XerialAsyncAction.h"

#include "Containers/Ticker.h"
#include "XerialCall.h"
#include "XerialSubsystem.h"

void UXerialAsyncAction::Activate()
{
	Super::Activate();

	const TWeakObjectPtr<UXerialAsyncAction> WeakThis(this);
	RequestId = FXerialCall::Start(
		[this](XerialCallback Callback, void* UserData) { return StartCall(Callback, UserData); },
		[WeakThis](const FXerialResult& Result)
		{
			if (UXerialAsyncAction* Self = WeakThis.Get())
			{
				Self->HandleResult(Result);
			}
		});

	if (RequestId == 0)
	{
		// Never fire a pin from inside Activate: report on the next frame.
		const FXerialResult Failure = FXerialCall::MakeResult(XERIAL_E_NOT_INITIALIZED,
			TEXT("The Xerial SDK is not initialised (library not loaded, bad settings, or no game instance)"));
		FTSTicker::GetCoreTicker().AddTicker(TEXT("XerialAsyncActionNotStarted"), 0.0f,
			[WeakThis, Failure](float)
			{
				if (UXerialAsyncAction* Self = WeakThis.Get())
				{
					Self->HandleResult(Failure);
				}
				return false; // once
			});
	}
}

void UXerialAsyncAction::Cancel()
{
	if (RequestId != 0)
	{
		// Its callback still runs once (Cancelled); the node is gone by then and ignores it.
		FXerialCall::Cancel(RequestId);
		RequestId = 0;
	}
	Super::Cancel(); // SetReadyToDestroy: no pin fires after this
}

void UXerialAsyncAction::HandleResult(const FXerialResult& Result)
{
	RequestId = 0;
	if (ShouldBroadcastDelegates() && !UXerialSubsystem::IsShuttingDown())
	{
		if (Result.IsOk())
		{
			OnSuccess.Broadcast(Result);
		}
		else
		{
			OnFailure.Broadcast(Result);
		}
	}
	SetReadyToDestroy();
}
