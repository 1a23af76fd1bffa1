// XerialAsyncAction.cpp - see XerialAsyncAction.h.
#include "XerialAsyncAction.h"

#include "Containers/Ticker.h"
#include "UObject/StrongObjectPtr.h"
#include "XerialCall.h"
#include "XerialSubsystem.h"

void UXerialAsyncAction::Activate()
{
	Super::Activate();

	bHadGameInstance = IsRegistered();
	if (!bHadGameInstance)
	{
		// RegisterWithGameInstance found no game instance: the engine would never let this node
		// broadcast, and no subsystem pumps the SDK there. Say so instead of staying silent.
		FailNextFrame(XERIAL_E_NOT_INITIALIZED,
			TEXT("Xerial nodes need a game instance (PIE or a packaged game); this one has none (e.g. an Editor Utility Blueprint)"));
		return;
	}

	const TWeakObjectPtr<UXerialAsyncAction> WeakThis(this);
	RequestId = FXerialCall::Start(
		[this](XerialCallback Callback, void* UserData) { return StartCall(Callback, UserData); },
		[WeakThis](const FXerialResult& Result)
		{
			if (UXerialAsyncAction* Self = WeakThis.Get())
			{
				Self->Finish(Result);
			}
		});

	if (RequestId == 0)
	{
		FailNextFrame(XERIAL_E_NOT_INITIALIZED,
			TEXT("The Xerial SDK is not initialised (library not loaded, bad settings, or a dedicated server)"));
	}
}

void UXerialAsyncAction::FailNextFrame(int32 RawCode, const FString& Message)
{
	const FXerialResult Failure = FXerialCall::MakeResult(RawCode, Message);
	// Strong: without a game instance nothing else keeps the node alive until the next frame.
	const TStrongObjectPtr<UXerialAsyncAction> Self(this);
	FTSTicker::GetCoreTicker().AddTicker(TEXT("XerialAsyncActionNotStarted"), 0.0f,
		[Self, Failure](float)
		{
			Self->Finish(Failure);
			return false; // once
		});
}

void UXerialAsyncAction::Cancel()
{
	if (!bFinished)
	{
		bFinished = true;
		if (RequestId != 0)
		{
			// Its callback still runs once (Cancelled) on a later poll; Finish ignores it.
			FXerialCall::Cancel(RequestId);
			RequestId = 0;
		}
	}
	Super::Cancel(); // SetReadyToDestroy
}

void UXerialAsyncAction::Finish(const FXerialResult& Result)
{
	if (bFinished)
	{
		return; // cancelled, or ended already: never a pin after Cancel, never two
	}
	bFinished = true;
	RequestId = 0;
	// A registered node whose game instance is gone (or going) ends silently; one that never had
	// a game instance reports why it could not run.
	const bool bMayBroadcast = bHadGameInstance ? ShouldBroadcastDelegates() : true;
	if (bMayBroadcast && !UXerialSubsystem::IsShuttingDown())
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
