// TEST-ONLY stub (see CoreMinimal.h).
#pragma once

#include "CoreMinimal.h"
#include "UObject/Object.h"

class UGameInstance;

namespace EEndPlayReason {
enum Type : int { Destroyed, LevelTransition, EndPlayInEditor, RemovedFromWorld, Quit };
}

struct FActorTickFunction {
    uint8 bCanEverTick : 1;
    uint8 bStartWithTickEnabled : 1;
};

class AActor : public UObject {
public:
    AActor();
    FActorTickFunction PrimaryActorTick;
    virtual void BeginPlay();
    virtual void EndPlay(const EEndPlayReason::Type EndPlayReason);
    virtual void Tick(float DeltaSeconds);
    template <class T = UGameInstance>
    T* GetGameInstance() const;
};
