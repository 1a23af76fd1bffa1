// TEST-ONLY stub (see CoreMinimal.h).
#pragma once

#include "CoreMinimal.h"
#include "UObject/Object.h"

class UWorld;

enum class EGetWorldErrorMode { ReturnNull, LogAndReturnNull, Assert };

class UEngine : public UObject {
public:
    UWorld* GetWorldFromContextObject(const UObject* Object, EGetWorldErrorMode ErrorMode) const;
    void AddOnScreenDebugMessage(int32 Key, float TimeToDisplay, FColor DisplayColor, const FString& DebugMessage,
                                 bool bNewerOnTop = true, const FVector2D& TextScale = FVector2D::UnitVector);
};

extern UEngine* GEngine;
