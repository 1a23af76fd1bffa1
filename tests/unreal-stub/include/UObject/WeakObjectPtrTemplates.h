// TEST-ONLY stub (see CoreMinimal.h): TWeakObjectPtr.
#pragma once

class UObject;

template <typename T>
class TWeakObjectPtr {
public:
    TWeakObjectPtr() = default;
    TWeakObjectPtr(std::nullptr_t) {}
    template <typename U, typename = std::enable_if_t<std::is_convertible<U*, T*>::value>>
    TWeakObjectPtr(U* Object) : Ptr(Object) {}
    T* Get() const { return Ptr; }
    bool IsValid() const { return Ptr != nullptr; }
    explicit operator bool() const { return IsValid(); }
    T* operator->() const { return Ptr; }
    void Reset() { Ptr = nullptr; }
    bool operator==(const TWeakObjectPtr& Other) const { return Ptr == Other.Ptr; }

private:
    T* Ptr = nullptr;  // the real one is an index + serial number, not a raw pointer
};
