// TEST-ONLY stub (see CoreMinimal.h). Module "Projects".
#pragma once

#include "CoreMinimal.h"

class IPlugin {
public:
    virtual ~IPlugin() = default;
    virtual const FString& GetName() const = 0;
    virtual FString GetBaseDir() const = 0;
    virtual FString GetContentDir() const = 0;
};

class IPluginManager {
public:
    static IPluginManager& Get();
    virtual ~IPluginManager() = default;
    virtual TSharedPtr<IPlugin> FindPlugin(const FStringView Name) = 0;
};
