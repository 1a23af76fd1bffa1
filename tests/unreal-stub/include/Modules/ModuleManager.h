// TEST-ONLY stub (see CoreMinimal.h).
#pragma once

#include "CoreMinimal.h"
#include "Modules/ModuleInterface.h"

class FDefaultModuleImpl : public IModuleInterface {};
class FDefaultGameModuleImpl : public FDefaultModuleImpl {
public:
    virtual bool IsGameModule() const override { return true; }
};

class FModuleManager {
public:
    static FModuleManager& Get();
    template <typename T>
    static T& LoadModuleChecked(const FName ModuleName);
};

#define IMPLEMENT_MODULE(ModuleImplClass, ModuleName) \
    extern "C" IModuleInterface* InitializeModule_##ModuleName() { return new ModuleImplClass(); }
#define IMPLEMENT_GAME_MODULE(ModuleImplClass, ModuleName) IMPLEMENT_MODULE(ModuleImplClass, ModuleName)
#define IMPLEMENT_PRIMARY_GAME_MODULE(ModuleImplClass, ModuleName, GameName) \
    IMPLEMENT_MODULE(ModuleImplClass, ModuleName) extern "C" const TCHAR* PrimaryGameName_##ModuleName() { return TEXT(GameName); }
