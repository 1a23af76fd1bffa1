// CoreMinimal.h - TEST-ONLY stub of the Unreal Engine Core types the Xerial plugin uses.
//
// Not Unreal Engine: just enough declarations, with Unreal's names and signatures, for
// `clang++ -fsyntax-only -std=c++20` to type-check the plugin (tests/unreal-stub/check.sh). Bodies
// exist only where a template needs one or the behaviour harness (behaviour/) runs the code; the
// harness defines the rest of what it links. Where the real API is stricter than plain C++ (TCHAR is
// not char, UE_LOG's arguments must be PODs, UObject copy is deleted), the stub is too, so the
// check catches those mistakes. Never ship or include this outside the tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

// ---- platform ---------------------------------------------------------------------------------
// check.sh compiles each file for several platforms: -DXERIAL_STUB_PLATFORM_WINDOWS=1 etc.
#if defined(XERIAL_STUB_PLATFORM_WINDOWS)
#define PLATFORM_WINDOWS 1
#else
#define PLATFORM_WINDOWS 0
#endif
#if defined(XERIAL_STUB_PLATFORM_MAC)
#define PLATFORM_MAC 1
#else
#define PLATFORM_MAC 0
#endif
#if defined(XERIAL_STUB_PLATFORM_ANDROID)
#define PLATFORM_ANDROID 1
#else
#define PLATFORM_ANDROID 0
#endif
#if defined(XERIAL_STUB_PLATFORM_IOS)
#define PLATFORM_IOS 1
#else
#define PLATFORM_IOS 0
#endif
#if !PLATFORM_WINDOWS && !PLATFORM_MAC && !PLATFORM_ANDROID && !PLATFORM_IOS
#define PLATFORM_LINUX 1
#else
#define PLATFORM_LINUX 0
#endif
#if defined(XERIAL_STUB_CPU_ARM)
#define PLATFORM_CPU_ARM_FAMILY 1
#else
#define PLATFORM_CPU_ARM_FAMILY 0
#endif
#define WITH_EDITOR 0

#define FORCEINLINE inline
#define UE_NONCOPYABLE(T) \
    T(const T&) = delete; \
    T& operator=(const T&) = delete;

// ---- basic types ------------------------------------------------------------------------------
typedef unsigned char uint8;
typedef unsigned short uint16;
typedef unsigned int uint32;
typedef unsigned long long uint64;
typedef signed char int8;
typedef signed short int16;
typedef signed int int32;
typedef signed long long int64;
typedef char ANSICHAR;
typedef char16_t WIDECHAR;
typedef WIDECHAR TCHAR;  // as on Unreal's Unix platforms: not char, not wchar_t
#if defined(__cpp_char8_t)
typedef char8_t UTF8CHAR;
#else
enum UTF8CHAR : unsigned char {};
#endif

#define TEXT(x) u##x
#define MAX_int32 (static_cast<int32>(0x7fffffff))
#define MAX_uint32 (static_cast<uint32>(0xffffffff))
#define INDEX_NONE (-1)

template <typename T>
constexpr std::remove_reference_t<T>&& MoveTemp(T&& Value) noexcept {
    static_assert(!std::is_const<std::remove_reference_t<T>>::value, "MoveTemp of a const object");
    return static_cast<std::remove_reference_t<T>&&>(Value);
}
template <typename T>
constexpr T&& Forward(std::remove_reference_t<T>& Value) noexcept {
    return static_cast<T&&>(Value);
}

struct FMath {
    template <typename T>
    static constexpr T Max(const T A, const T B) { return A < B ? B : A; }
    template <typename T>
    static constexpr T Min(const T A, const T B) { return A < B ? A : B; }
    template <typename T>
    static constexpr T Clamp(const T X, const T Lo, const T Hi) { return X < Lo ? Lo : (X < Hi ? X : Hi); }
};

// ---- containers -------------------------------------------------------------------------------
template <typename T>
class TArray {
public:
    TArray() = default;
    TArray(std::initializer_list<T> Init) : Data(Init) {}
    int32 Num() const { return static_cast<int32>(Data.size()); }
    T* GetData() { return Data.data(); }
    const T* GetData() const { return Data.data(); }
    int32 Add(const T& Item) { Data.push_back(Item); return Num() - 1; }
    int32 Add(T&& Item) { Data.push_back(MoveTemp(Item)); return Num() - 1; }
    int32 Remove(const T& Item);
    void Reset() { Data.clear(); }
    void Empty() { Data.clear(); }
    void SetNum(int32 N) { Data.resize(static_cast<std::size_t>(N)); }
    void SetNumUninitialized(int32 N) { Data.resize(static_cast<std::size_t>(N)); }
    bool IsEmpty() const { return Data.empty(); }
    T& operator[](int32 I) { return Data[static_cast<std::size_t>(I)]; }
    const T& operator[](int32 I) const { return Data[static_cast<std::size_t>(I)]; }
    auto begin() { return Data.begin(); }
    auto end() { return Data.end(); }
    auto begin() const { return Data.begin(); }
    auto end() const { return Data.end(); }

private:
    std::vector<T> Data;
};

// ---- strings ----------------------------------------------------------------------------------
class FString;

namespace UeStub {
// UE's printf-style functions take PODs only: an FString must be passed as *Str. This catches it.
template <typename... Args>
constexpr bool AllPrintfArgs() {
    return ((std::is_arithmetic<std::decay_t<Args>>::value || std::is_enum<std::decay_t<Args>>::value ||
             std::is_pointer<std::decay_t<Args>>::value) && ...);
}
}  // namespace UeStub

class FString {
public:
    FString() = default;
    FString(const TCHAR* Str);
    FString(int32 InCount, const TCHAR* InSrc);
    FString(const FString&) = default;
    FString(FString&&) = default;
    FString& operator=(const FString&) = default;
    FString& operator=(FString&&) = default;
    FString& operator=(const TCHAR* Str);

    const TCHAR* operator*() const;
    int32 Len() const;
    bool IsEmpty() const;
    void Reset(int32 NewReservedSize = 0);
    void Empty();
    FString& operator+=(const FString& Str);
    FString& operator+=(const TCHAR* Str);
    FString& Append(const FString& Str);
    bool Equals(const FString& Other) const;
    bool operator==(const FString& Other) const;
    bool operator!=(const FString& Other) const;

    template <int32 N, typename... Args>
    static FString Printf(const TCHAR (&Fmt)[N], Args... Arguments) {
        static_assert(UeStub::AllPrintfArgs<Args...>(),
                      "FString::Printf arguments must be numbers, enums or pointers (pass *MyString, not MyString)");
        ((void)Arguments, ...);
        return PrintfImpl(Fmt);
    }

    friend FString operator+(const FString& A, const FString& B);
    friend FString operator+(const FString& A, const TCHAR* B);
    friend FString operator+(const TCHAR* A, const FString& B);
    friend FString operator/(const FString& A, const FString& B);
    friend FString operator/(const FString& A, const TCHAR* B);

private:
    static FString PrintfImpl(const TCHAR* Fmt);
    std::shared_ptr<std::vector<TCHAR>> Chars;
};

class FName {
public:
    FName() = default;
    FName(const TCHAR* Name);
    FString ToString() const;
};

class FText {
public:
    static FText FromString(const FString& Str);
    const FString& ToString() const;
};

class FStringView {
public:
    FStringView(const TCHAR* Str);
    FStringView(const FString& Str);
};

// UTF-8 <-> TCHAR conversions (Containers/StringConv.h). Non-copyable, like Unreal's.
class FTCHARToUTF8 {
public:
    explicit FTCHARToUTF8(const TCHAR* Source);
    FTCHARToUTF8(const TCHAR* Source, int32 SourceLen);
    FTCHARToUTF8(const FTCHARToUTF8&) = delete;
    FTCHARToUTF8& operator=(const FTCHARToUTF8&) = delete;
    const UTF8CHAR* Get() const;  // not ANSICHAR in UE 5: cast where a char* is needed
    int32 Length() const;

private:
    std::string Converted;  // for the behaviour harness, which runs the code
};

class FUTF8ToTCHAR {
public:
    explicit FUTF8ToTCHAR(const ANSICHAR* Source);
    FUTF8ToTCHAR(const ANSICHAR* Source, int32 SourceLen);
    FUTF8ToTCHAR(const FUTF8ToTCHAR&) = delete;
    FUTF8ToTCHAR& operator=(const FUTF8ToTCHAR&) = delete;
    const TCHAR* Get() const;
    int32 Length() const;

private:
    std::u16string Converted;  // for the behaviour harness, which runs the code
};

#define TCHAR_TO_UTF8(str) (ANSICHAR*)FTCHARToUTF8((const TCHAR*)str).Get()
#define UTF8_TO_TCHAR(str) (TCHAR*)FUTF8ToTCHAR((const ANSICHAR*)str).Get()

// ---- math/colour ------------------------------------------------------------------------------
struct FColor {
    uint8 B = 0, G = 0, R = 0, A = 255;
    FColor() = default;
    constexpr FColor(uint8 InR, uint8 InG, uint8 InB, uint8 InA = 255) : B(InB), G(InG), R(InR), A(InA) {}
    static const FColor White;
    static const FColor Black;
    static const FColor Red;
    static const FColor Green;
    static const FColor Blue;
    static const FColor Yellow;
    static const FColor Cyan;
    static const FColor Orange;
};

struct FVector2D {
    double X = 0, Y = 0;
    static const FVector2D UnitVector;
};

// ---- smart pointers ---------------------------------------------------------------------------
template <typename T>
class TUniquePtr {
public:
    TUniquePtr() = default;
    explicit TUniquePtr(T* Ptr) : Inner(Ptr) {}
    TUniquePtr(TUniquePtr&&) = default;
    TUniquePtr& operator=(TUniquePtr&&) = default;
    TUniquePtr(const TUniquePtr&) = delete;
    TUniquePtr& operator=(const TUniquePtr&) = delete;
    T* Get() const { return Inner.get(); }
    T* Release() { return Inner.release(); }
    void Reset(T* Ptr = nullptr) { Inner.reset(Ptr); }
    bool IsValid() const { return Inner != nullptr; }
    explicit operator bool() const { return IsValid(); }
    T& operator*() const { return *Inner; }
    T* operator->() const { return Inner.get(); }

private:
    std::unique_ptr<T> Inner;
};

template <typename T, typename... Args>
TUniquePtr<T> MakeUnique(Args&&... Arguments) {
    return TUniquePtr<T>(new T(Forward<Args>(Arguments)...));
}

template <typename T>
class TSharedPtr {
public:
    TSharedPtr() = default;
    bool IsValid() const;
    T* Get() const;
    T* operator->() const;
    T& operator*() const;
    void Reset();
};

template <typename T>
class TSharedRef {
public:
    T* operator->() const;
    T& Get() const;
};

template <typename T>
class TWeakPtr {
public:
    TWeakPtr() = default;
    TSharedPtr<T> Pin() const;
    bool IsValid() const;
    void Reset();
};

// ---- functions (Templates/Function.h) ---------------------------------------------------------
template <typename Signature>
class TFunction;
template <typename R, typename... Args>
class TFunction<R(Args...)> {
public:
    TFunction() = default;
    TFunction(std::nullptr_t) {}
    template <typename F, typename = std::enable_if_t<std::is_invocable_r<R, F&, Args...>::value &&
                                                      !std::is_same<std::decay_t<F>, TFunction>::value>>
    TFunction(F&& Functor) : Inner(Forward<F>(Functor)) {}
    explicit operator bool() const { return static_cast<bool>(Inner); }
    R operator()(Args... Arguments) const { return Inner(Forward<Args>(Arguments)...); }

private:
    std::function<R(Args...)> Inner;
};

// Move-only, like Unreal's: may hold move-only captures (a TUniquePtr).
template <typename Signature>
class TUniqueFunction;
template <typename R, typename... Args>
class TUniqueFunction<R(Args...)> {
    struct FBase {
        virtual ~FBase() = default;
        virtual R Call(Args... Arguments) = 0;
    };
    template <typename F>
    struct FHolder final : FBase {
        explicit FHolder(F&& InF) : Functor(MoveTemp(InF)) {}
        R Call(Args... Arguments) override { return Functor(Forward<Args>(Arguments)...); }
        F Functor;
    };

public:
    TUniqueFunction() = default;
    TUniqueFunction(std::nullptr_t) {}
    template <typename F, typename = std::enable_if_t<std::is_invocable_r<R, std::decay_t<F>&, Args...>::value &&
                                                      !std::is_same<std::decay_t<F>, TUniqueFunction>::value>>
    TUniqueFunction(F&& Functor) : Inner(new FHolder<std::decay_t<F>>(std::decay_t<F>(Forward<F>(Functor)))) {}
    TUniqueFunction(TUniqueFunction&&) = default;
    TUniqueFunction& operator=(TUniqueFunction&&) = default;
    TUniqueFunction(const TUniqueFunction&) = delete;
    TUniqueFunction& operator=(const TUniqueFunction&) = delete;
    explicit operator bool() const { return static_cast<bool>(Inner); }
    R operator()(Args... Arguments) const { return Inner->Call(Forward<Args>(Arguments)...); }

private:
    std::unique_ptr<FBase> Inner;
};

// ---- logging (Logging/LogMacros.h) ------------------------------------------------------------
namespace ELogVerbosity {
enum Type : uint8 { NoLogging = 0, Fatal, Error, Warning, Display, Log, Verbose, VeryVerbose, All = VeryVerbose };
}

struct FLogCategoryBase {
    explicit FLogCategoryBase(const TCHAR* Name, ELogVerbosity::Type Default, ELogVerbosity::Type CompileTime);
};

namespace UeStub {
template <int32 N, typename... Args>
void LogImpl(const FLogCategoryBase& Category, ELogVerbosity::Type Verbosity, const TCHAR (&Fmt)[N], Args... Arguments) {
    static_assert(AllPrintfArgs<Args...>(),
                  "UE_LOG arguments must be numbers, enums or pointers (pass *MyString, not MyString)");
    (void)Category;
    (void)Verbosity;
    (void)Fmt;
    ((void)Arguments, ...);
}
}  // namespace UeStub

#define DECLARE_LOG_CATEGORY_EXTERN(CategoryName, DefaultVerbosity, CompileTimeVerbosity)                   \
    extern struct FLogCategory##CategoryName : public FLogCategoryBase {                                    \
        FLogCategory##CategoryName()                                                                        \
            : FLogCategoryBase(TEXT(#CategoryName), ELogVerbosity::DefaultVerbosity,                        \
                               ELogVerbosity::CompileTimeVerbosity) {}                                      \
    } CategoryName
#define DEFINE_LOG_CATEGORY(CategoryName) FLogCategory##CategoryName CategoryName
#define DEFINE_LOG_CATEGORY_STATIC(CategoryName, DefaultVerbosity, CompileTimeVerbosity)                   \
    static struct FLogCategory##CategoryName : public FLogCategoryBase {                                    \
        FLogCategory##CategoryName()                                                                        \
            : FLogCategoryBase(TEXT(#CategoryName), ELogVerbosity::DefaultVerbosity,                        \
                               ELogVerbosity::CompileTimeVerbosity) {}                                      \
    } CategoryName
#define UE_LOG(CategoryName, Verbosity, Format, ...) \
    ::UeStub::LogImpl(CategoryName, ELogVerbosity::Verbosity, Format __VA_OPT__(, ) __VA_ARGS__)

// ---- CoreGlobals.h ------------------------------------------------------------------------------
bool IsRunningDedicatedServer();

#define check(expr) ((void)(expr))
#define ensure(expr) (!!(expr))

// ---- delegates (Delegates/Delegate.h) ---------------------------------------------------------
class UObject;

class FDelegateHandle {
public:
    bool IsValid() const;
    void Reset();
};

// Single-cast delegate with a return value, for DECLARE_DELEGATE_RetVal_OneParam.
template <typename R, typename... Args>
class TStubDelegate {
public:
    template <typename UserClass>
    static TStubDelegate CreateUObject(UserClass* Object, R (UserClass::*Method)(Args...)) {
        static_assert(std::is_base_of<UObject, UserClass>::value, "CreateUObject needs a UObject");
        (void)Object;
        (void)Method;
        return TStubDelegate();
    }
    template <typename UserClass>
    static TStubDelegate CreateUObject(const UserClass* Object, R (UserClass::*Method)(Args...) const) {
        static_assert(std::is_base_of<UObject, UserClass>::value, "CreateUObject needs a UObject");
        (void)Object;
        (void)Method;
        return TStubDelegate();
    }
    template <typename UserClass>
    static TStubDelegate CreateRaw(UserClass* Object, R (UserClass::*Method)(Args...));
    template <typename F>
    static TStubDelegate CreateLambda(F&& Functor) {
        static_assert(std::is_invocable_r<R, F&, Args...>::value, "CreateLambda: wrong signature");
        (void)Functor;
        return TStubDelegate();
    }
    R Execute(Args... Arguments) const;
    bool IsBound() const;
};

#define DECLARE_DELEGATE_RetVal_OneParam(RetValType, DelegateName, Param1Type) \
    using DelegateName = TStubDelegate<RetValType, Param1Type>

// Dynamic multicast delegates: Broadcast, and AddDynamic/RemoveDynamic of a member function whose
// signature must match the declaration exactly (as Unreal's typed AddDynamic requires).
template <typename... Args>
class TStubDynamicMulticastDelegate {
public:
    // Runs the bound handlers, as Unreal does (the behaviour harness binds test listeners).
    void Broadcast(Args... Arguments) const {
        const std::vector<std::function<void(Args...)>> Copy = Handlers;
        for (const std::function<void(Args...)>& Handler : Copy) Handler(Arguments...);
    }
    bool IsBound() const { return !Handlers.empty(); }
    void Clear() { Handlers.clear(); }
    template <typename UserClass>
    void __Internal_AddDynamic(UserClass* Object, void (UserClass::*Method)(Args...)) {
        static_assert(std::is_base_of<UObject, UserClass>::value, "AddDynamic needs a UObject");
        Handlers.push_back([Object, Method](Args... Arguments) { (Object->*Method)(Arguments...); });
    }
    template <typename UserClass>
    void __Internal_RemoveDynamic(UserClass* Object, void (UserClass::*Method)(Args...)) {
        (void)Object;
        (void)Method;
    }

private:
    std::vector<std::function<void(Args...)>> Handlers;
};

#define AddDynamic(UserObject, FuncName) __Internal_AddDynamic(UserObject, FuncName)
#define RemoveDynamic(UserObject, FuncName) __Internal_RemoveDynamic(UserObject, FuncName)

#define DECLARE_DYNAMIC_MULTICAST_DELEGATE(DelegateName) \
    class DelegateName : public TStubDynamicMulticastDelegate<> {}
#define DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(DelegateName, Param1Type, Param1Name) \
    class DelegateName : public TStubDynamicMulticastDelegate<Param1Type> {}
#define DECLARE_DYNAMIC_MULTICAST_DELEGATE_TwoParams(DelegateName, Param1Type, Param1Name, Param2Type, Param2Name) \
    class DelegateName : public TStubDynamicMulticastDelegate<Param1Type, Param2Type> {}

#include "UObject/WeakObjectPtrTemplates.h"
