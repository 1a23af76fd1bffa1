// TEST-ONLY stub of Unreal's IHttpResponse (HTTP module). Never ship this.
#pragma once
#include "CoreMinimal.h"
#include "HttpFwd.h"

class IHttpResponse {
public:
    virtual ~IHttpResponse() = default;
    int32 GetResponseCode() const;
    TArray<FString> GetAllHeaders() const;
    const TArray<uint8>& GetContent() const;
};
