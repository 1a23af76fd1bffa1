// TEST-ONLY stub (see CoreMinimal.h): FTSTicker as in UE 5 (Containers/Ticker.h).
#pragma once

#include "CoreMinimal.h"

DECLARE_DELEGATE_RetVal_OneParam(bool, FTickerDelegate, float);

class FTSTicker {
private:
    struct FElement;

public:
    using FDelegateHandle = TWeakPtr<FElement>;

    static FTSTicker& GetCoreTicker();
    FDelegateHandle AddTicker(const FTickerDelegate& InDelegate, float InDelay = 0.0f);
    FDelegateHandle AddTicker(const TCHAR* InName, float InDelay, TFunction<bool(float)> Function);
    static void RemoveTicker(FDelegateHandle Handle);
    void Tick(float DeltaTime);
};
