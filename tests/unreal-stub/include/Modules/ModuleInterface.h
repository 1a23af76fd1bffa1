// TEST-ONLY stub (see CoreMinimal.h).
#pragma once

#include "CoreMinimal.h"

class IModuleInterface {
public:
    virtual ~IModuleInterface() = default;
    virtual void StartupModule() {}
    virtual void PreUnloadCallback() {}
    virtual void PostLoadCallback() {}
    virtual void ShutdownModule() {}
    virtual bool SupportsDynamicReloading() { return true; }
    virtual bool IsGameModule() const { return false; }
};
