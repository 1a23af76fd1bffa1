// TEST-ONLY stub of Unreal's HTTP module types (HTTP module, UE 5.x names). Never ship this.
#pragma once
#include "CoreMinimal.h"

class IHttpRequest;
class IHttpResponse;

// In Unreal these are TSharedPtr/TSharedRef<…, ESPMode::ThreadSafe>; one smart pointer is enough
// for a compile check of code that uses the typedefs.
using FHttpRequestPtr = TSharedPtr<IHttpRequest>;
using FHttpResponsePtr = TSharedPtr<IHttpResponse>;

// FHttpRequestCompleteDelegate: (FHttpRequestPtr Request, FHttpResponsePtr Response, bool bConnectedSuccessfully)
class FHttpRequestCompleteDelegate {
public:
    template <typename F>
    void BindLambda(F&& Functor) {
        static_assert(std::is_invocable_r<void, F&, FHttpRequestPtr, FHttpResponsePtr, bool>::value,
                      "BindLambda: the completion takes (FHttpRequestPtr, FHttpResponsePtr, bool)");
        (void)Functor;
    }
    void Unbind();
};
