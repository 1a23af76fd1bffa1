// TEST-ONLY stub (see CoreMinimal.h).
#pragma once

#include "CoreMinimal.h"

struct FFileHelper {
    enum class EHashOptions { None = 0, EnableVerify = 1, ErrorMissingHash = 2 };
    static bool LoadFileToString(FString& Result, const TCHAR* Filename, EHashOptions VerifyFlags = EHashOptions::None,
                                 uint32 ReadFlags = 0);
    static bool SaveStringToFile(const FString& String, const TCHAR* Filename);
};
