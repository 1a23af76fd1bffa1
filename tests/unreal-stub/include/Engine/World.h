// TEST-ONLY stub (see CoreMinimal.h).
#pragma once

#include "CoreMinimal.h"
#include "UObject/Object.h"

class UGameInstance;
class FTimerManager;

class UWorld : public UObject {
public:
    UGameInstance* GetGameInstance() const;
    template <class T>
    T* GetGameInstance() const;
    FTimerManager& GetTimerManager() const;
    bool IsGameWorld() const;
};
