// TEST-ONLY stub (see CoreMinimal.h): the reflection macros, as no-ops for the compiler (UHT reads
// them in a real build). GENERATED_BODY expands per line, as in Unreal, to the macro that
// tests/unreal-stub/uht_stub.py writes into each <Header>.generated.h.
#pragma once

#include "CoreMinimal.h"

#define UCLASS(...)
#define USTRUCT(...)
#define UENUM(...)
#define UPROPERTY(...)
#define UFUNCTION(...)
#define UMETA(...)
#define UPARAM(...)
#define UINTERFACE(...)

#define BODY_MACRO_COMBINE_INNER(A, B, C, D) A##B##C##D
#define BODY_MACRO_COMBINE(A, B, C, D) BODY_MACRO_COMBINE_INNER(A, B, C, D)
#define GENERATED_BODY(...) BODY_MACRO_COMBINE(CURRENT_FILE_ID, _, __LINE__, _GENERATED_BODY)
#define GENERATED_USTRUCT_BODY(...) GENERATED_BODY()
#define GENERATED_UCLASS_BODY(...) GENERATED_BODY()

// A virtual that UObjects cannot leave pure (the class default object must be constructible).
#define PURE_VIRTUAL(func, ...) { __VA_ARGS__ }

class UClass;
class UScriptStruct;
class UEnum;
