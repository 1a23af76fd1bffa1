// TEST-ONLY stub of Unreal's FHttpModule (HTTP module). Never ship this.
#pragma once
#include "CoreMinimal.h"
#include "HttpFwd.h"
#include "Interfaces/IHttpRequest.h"

class FHttpModule {
public:
    static FHttpModule& Get();
    // Unreal returns a TSharedRef, which converts to FHttpRequestPtr.
    FHttpRequestPtr CreateRequest();
};
