// TEST-ONLY stub (see CoreMinimal.h).
#pragma once

#include "CoreMinimal.h"
#include "UObject/Object.h"

class UBlueprintFunctionLibrary : public UObject {};
