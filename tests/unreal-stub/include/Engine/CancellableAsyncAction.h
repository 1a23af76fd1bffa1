// TEST-ONLY stub (see CoreMinimal.h): as in UE 5 (Engine/CancellableAsyncAction.h).
#pragma once

#include "Kismet/BlueprintAsyncActionBase.h"

class FTimerManager;

class UCancellableAsyncAction : public UBlueprintAsyncActionBase {
public:
    virtual void BeginDestroy() override;
    virtual void Cancel();
    virtual bool IsActive() const;
    virtual bool ShouldBroadcastDelegates() const;
    bool IsRegistered() const;
    FTimerManager* GetTimerManager() const;
};
