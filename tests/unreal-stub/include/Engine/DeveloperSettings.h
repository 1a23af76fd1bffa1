// TEST-ONLY stub (see CoreMinimal.h). Module "DeveloperSettings" (UE 5).
#pragma once

#include "CoreMinimal.h"
#include "UObject/Object.h"

class UDeveloperSettings : public UObject {
public:
    virtual FName GetContainerName() const;
    virtual FName GetCategoryName() const;
    virtual FName GetSectionName() const;
#if WITH_EDITOR
    virtual FText GetSectionText() const;
#endif
};
