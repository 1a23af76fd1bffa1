// TEST-ONLY stub (see CoreMinimal.h).
#pragma once

#include "CoreMinimal.h"
#include "UObject/Object.h"

class UGameInstance;

class UBlueprintAsyncActionBase : public UObject {
public:
    virtual void Activate();
    virtual void RegisterWithGameInstance(const UObject* WorldContextObject);
    virtual void RegisterWithGameInstance(UGameInstance* GameInstance);
    virtual void SetReadyToDestroy();

protected:
    TWeakObjectPtr<UGameInstance> RegisteredWithGameInstance;
};
