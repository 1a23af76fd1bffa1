// TEST-ONLY stub of Unreal's IHttpRequest (HTTP module). Never ship this.
#pragma once
#include "CoreMinimal.h"
#include "HttpFwd.h"

class IHttpRequest {
public:
    virtual ~IHttpRequest() = default;
    void SetURL(const FString& URL);
    void SetVerb(const FString& Verb);
    void SetHeader(const FString& HeaderName, const FString& HeaderValue);
    void SetContent(const TArray<uint8>& ContentPayload);
    void SetTimeout(float InTimeoutSecs);
    bool ProcessRequest();
    void CancelRequest();
    FHttpRequestCompleteDelegate& OnProcessRequestComplete();
};
