// XerialBlueprintLibrary.h - small Blueprint helpers for FXerialResult.
#pragma once

#include "CoreMinimal.h"
#include "Kismet/BlueprintFunctionLibrary.h"
#include "XerialTypes.h"
#include "XerialBlueprintLibrary.generated.h"

UCLASS()
class XERIAL_API UXerialBlueprintLibrary : public UBlueprintFunctionLibrary
{
	GENERATED_BODY()

public:
	/** True when the call succeeded (code Ok). */
	UFUNCTION(BlueprintPure, Category = "Xerial")
	static bool IsOk(const FXerialResult& Result);

	/** One line for a log or the screen: "XERIAL_E_NOT_FOUND (HTTP 404): Not Found". */
	UFUNCTION(BlueprintPure, Category = "Xerial")
	static FString DescribeResult(const FXerialResult& Result);
};
