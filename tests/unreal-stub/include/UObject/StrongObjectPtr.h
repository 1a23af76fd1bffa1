// TEST-ONLY stub (see CoreMinimal.h): TStrongObjectPtr (UObject/StrongObjectPtr.h), which keeps a
// UObject from garbage collection while it lives. The reference counting is a hook the behaviour
// harness (tests/unreal-stub/behaviour/) defines, so that it can see what the plugin keeps alive.
#pragma once

#include "CoreMinimal.h"
#include "UObject/Object.h"

namespace UeStub {
void AddStrongReference(const UObject* Object);
void ReleaseStrongReference(const UObject* Object);
}  // namespace UeStub

template <typename ObjectType>
class TStrongObjectPtr {
public:
    TStrongObjectPtr() = default;
    explicit TStrongObjectPtr(ObjectType* InObject) : Object(InObject) { Acquire(); }
    TStrongObjectPtr(const TStrongObjectPtr& Other) : Object(Other.Object) { Acquire(); }
    TStrongObjectPtr& operator=(const TStrongObjectPtr& Other) {
        if (this != &Other) {
            Release();
            Object = Other.Object;
            Acquire();
        }
        return *this;
    }
    ~TStrongObjectPtr() { Release(); }
    ObjectType* Get() const { return Object; }
    ObjectType* operator->() const { return Object; }
    ObjectType& operator*() const { return *Object; }
    bool IsValid() const { return Object != nullptr; }
    explicit operator bool() const { return IsValid(); }
    void Reset() {
        Release();
        Object = nullptr;
    }

private:
    void Acquire() {
        static_assert(std::is_base_of<UObject, ObjectType>::value, "TStrongObjectPtr needs a UObject");
        if (Object != nullptr) UeStub::AddStrongReference(Object);
    }
    void Release() {
        if (Object != nullptr) UeStub::ReleaseStrongReference(Object);
    }
    ObjectType* Object = nullptr;
};
