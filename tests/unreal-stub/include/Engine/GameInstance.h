// TEST-ONLY stub (see CoreMinimal.h).
#pragma once

#include "CoreMinimal.h"
#include "Subsystems/GameInstanceSubsystem.h"
#include "UObject/Object.h"

class UGameInstance : public UObject {
public:
    template <typename TSubsystemClass>
    TSubsystemClass* GetSubsystem() const {
        static_assert(std::is_base_of<UGameInstanceSubsystem, TSubsystemClass>::value,
                      "GetSubsystem<T>: T must be a UGameInstanceSubsystem");
        return nullptr;
    }
    template <typename TSubsystemClass>
    static TSubsystemClass* GetSubsystem(const UGameInstance* GameInstance) {
        return GameInstance != nullptr ? GameInstance->GetSubsystem<TSubsystemClass>() : nullptr;
    }
    virtual void Init();
    virtual void Shutdown();
};
