// TEST-ONLY stub (see CoreMinimal.h): UObject and its helpers.
#pragma once

#include "CoreMinimal.h"
#include "UObject/ObjectMacros.h"

class UWorld;

enum EObjectFlags : uint32 { RF_NoFlags = 0, RF_ClassDefaultObject = 1, RF_ArchetypeObject = 2, RF_BeginDestroyed = 4 };

class UObject {
public:
    UObject() = default;
    UObject(const UObject&) = delete;
    UObject& operator=(const UObject&) = delete;
    virtual ~UObject() = default;
    virtual void BeginDestroy();
    virtual void PostInitProperties();
    virtual UWorld* GetWorld() const;
    bool HasAnyFlags(EObjectFlags Flags) const;
    UObject* GetOuter() const;
    FString GetName() const;
    static UClass* StaticClass();
};

class UPackage;
UPackage* GetTransientPackage();

template <typename T>
T* NewObject(UObject* Outer = nullptr) {
    static_assert(std::is_base_of<UObject, T>::value, "NewObject<T>: T must be a UObject");
    (void)Outer;
    return new T();  // the behaviour harness runs it; nothing is ever collected there
}

template <typename T>
const T* GetDefault() {
    static_assert(std::is_base_of<UObject, T>::value, "GetDefault<T>: T must be a UObject");
    return nullptr;
}

template <typename T>
T* GetMutableDefault() {
    static_assert(std::is_base_of<UObject, T>::value, "GetMutableDefault<T>: T must be a UObject");
    return nullptr;
}

bool IsValid(const UObject* Test);
