// TEST-ONLY stub (see CoreMinimal.h).
#pragma once

#include "CoreMinimal.h"
#include "Subsystems/Subsystem.h"

class UGameInstance;

class UGameInstanceSubsystem : public USubsystem {
public:
    UGameInstance* GetGameInstance() const;
};
