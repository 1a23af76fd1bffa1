// engine.h - TEST-ONLY: the behaviour harness's stand-in for the engine at run time (see
// README.md in this folder). Implements what the stub headers only declare, modelled on the
// engine's own behaviour where the plugin depends on it.
#pragma once

#include "CoreMinimal.h"
#include "Engine/GameInstance.h"
#include "Engine/World.h"

namespace FakeEngine {
// UBlueprintAsyncActionBase::SetReadyToDestroy unregisters the node from its game instance in
// every engine version, but resets RegisteredWithGameInstance (so that ShouldBroadcastDelegates
// turns false) only in recent ones. The harness runs each case both ways.
extern bool GSetReadyToDestroyResetsRegistration;

// A world with (or without) a game instance, usable as a WorldContextObject.
UWorld* NewWorld(UGameInstance* GameInstance);
UGameInstance* NewGameInstance();

// The core ticker: runs the tickers added so far once, as one engine frame does.
void Tick();
int32 PendingTickers();

// TStrongObjectPtr references currently held on Object.
int32 StrongReferences(const UObject* Object);
// Whether Object is registered with a game instance (kept alive by it).
bool IsRegisteredAnywhere(const UObject* Object);

// A UTF-16 FString as UTF-8, for messages.
std::string Narrow(const FString& Text);
}  // namespace FakeEngine
