// TEST-ONLY stub (see CoreMinimal.h).
#pragma once

#include "CoreMinimal.h"
#include "UObject/Object.h"

class FSubsystemCollectionBase {
public:
    template <typename TSubsystemClass>
    TSubsystemClass* InitializeDependency();
};

class USubsystem : public UObject {
public:
    virtual bool ShouldCreateSubsystem(UObject* Outer) const;
    virtual void Initialize(FSubsystemCollectionBase& Collection);
    virtual void Deinitialize();
};
