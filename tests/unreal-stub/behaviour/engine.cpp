// engine.cpp - TEST-ONLY: definitions of the stub engine API the harness links (see engine.h).
#include "engine.h"

#include "Containers/Ticker.h"
#include "Engine/CancellableAsyncAction.h"
#include "Engine/Engine.h"
#include "Kismet/BlueprintAsyncActionBase.h"
#include "UObject/StrongObjectPtr.h"

#include <map>
#include <set>

namespace FakeEngine {
bool GSetReadyToDestroyResetsRegistration = false;

namespace {
std::map<const UWorld*, UGameInstance*> GWorlds;
std::vector<TFunction<bool(float)>> GTickers;
std::map<const UObject*, int32> GStrong;
std::set<const UObject*> GRegistered;

std::u16string Widen(const char* Utf8, std::size_t Length) {
    std::u16string Out;
    for (std::size_t I = 0; I < Length;) {
        const unsigned char C = static_cast<unsigned char>(Utf8[I]);
        char32_t Code = C;
        std::size_t Extra = C >= 0xF0 ? 3 : C >= 0xE0 ? 2 : C >= 0xC0 ? 1 : 0;
        if (Extra > 0) Code = C & (0x3F >> Extra);
        for (std::size_t K = 1; K <= Extra && I + K < Length; ++K) Code = (Code << 6) | (Utf8[I + K] & 0x3F);
        I += Extra + 1;
        if (Code >= 0x10000) {
            Code -= 0x10000;
            Out.push_back(static_cast<char16_t>(0xD800 + (Code >> 10)));
            Out.push_back(static_cast<char16_t>(0xDC00 + (Code & 0x3FF)));
        } else {
            Out.push_back(static_cast<char16_t>(Code));
        }
    }
    return Out;
}
}  // namespace

UWorld* NewWorld(UGameInstance* GameInstance) {
    UWorld* World = new UWorld();
    GWorlds[World] = GameInstance;
    return World;
}

UGameInstance* NewGameInstance() { return new UGameInstance(); }

void Tick() { FTSTicker::GetCoreTicker().Tick(0.016f); }

int32 PendingTickers() { return static_cast<int32>(GTickers.size()); }

int32 StrongReferences(const UObject* Object) {
    const auto It = GStrong.find(Object);
    return It == GStrong.end() ? 0 : It->second;
}

bool IsRegisteredAnywhere(const UObject* Object) { return GRegistered.count(Object) > 0; }

std::string Narrow(const FString& Text) {
    std::string Out;
    for (const TCHAR* P = *Text; P != nullptr && *P != 0; ++P) Out.push_back(*P < 0x80 ? static_cast<char>(*P) : '?');
    return Out;
}

std::u16string WidenUtf8(const char* Utf8, std::size_t Length) { return Widen(Utf8, Length); }
}  // namespace FakeEngine

// ---- strings ---------------------------------------------------------------------------------------

namespace {
std::size_t Length16(const TCHAR* Str) {
    std::size_t N = 0;
    while (Str != nullptr && Str[N] != 0) ++N;
    return N;
}
}  // namespace

FString::FString(const TCHAR* Str) : FString(static_cast<int32>(Length16(Str)), Str) {}
FString::FString(int32 InCount, const TCHAR* InSrc)
    : Chars(std::make_shared<std::vector<TCHAR>>(InSrc, InSrc + InCount)) {
    Chars->push_back(0);
}
FString& FString::operator=(const TCHAR* Str) { return *this = FString(Str); }
const TCHAR* FString::operator*() const { return Chars ? Chars->data() : u""; }
int32 FString::Len() const { return Chars ? static_cast<int32>(Chars->size()) - 1 : 0; }
bool FString::IsEmpty() const { return Len() == 0; }
void FString::Reset(int32) { Chars.reset(); }
void FString::Empty() { Chars.reset(); }
bool FString::Equals(const FString& Other) const { return std::u16string(**this) == std::u16string(*Other); }
bool FString::operator==(const FString& Other) const { return Equals(Other); }
bool FString::operator!=(const FString& Other) const { return !Equals(Other); }
FString FString::PrintfImpl(const TCHAR* Fmt) { return FString(Fmt); }

FUTF8ToTCHAR::FUTF8ToTCHAR(const ANSICHAR* Source)
    : Converted(FakeEngine::WidenUtf8(Source, Source != nullptr ? std::char_traits<char>::length(Source) : 0)) {}
FUTF8ToTCHAR::FUTF8ToTCHAR(const ANSICHAR* Source, int32 SourceLen)
    : Converted(FakeEngine::WidenUtf8(Source, static_cast<std::size_t>(SourceLen))) {}
const TCHAR* FUTF8ToTCHAR::Get() const { return Converted.c_str(); }
int32 FUTF8ToTCHAR::Length() const { return static_cast<int32>(Converted.size()); }

FLogCategoryBase::FLogCategoryBase(const TCHAR*, ELogVerbosity::Type, ELogVerbosity::Type) {}

// ---- UObject and async actions, as the engine does them ----------------------------------------------

void UObject::BeginDestroy() {}
void UObject::PostInitProperties() {}
UWorld* UObject::GetWorld() const { return nullptr; }

void UGameInstance::Init() {}
void UGameInstance::Shutdown() {}

UGameInstance* UWorld::GetGameInstance() const {
    const auto It = FakeEngine::GWorlds.find(this);
    return It == FakeEngine::GWorlds.end() ? nullptr : It->second;
}

UEngine* GEngine = new UEngine();

UWorld* UEngine::GetWorldFromContextObject(const UObject* Object, EGetWorldErrorMode) const {
    // The harness passes worlds as world context objects.
    const UWorld* World = static_cast<const UWorld*>(Object);
    return FakeEngine::GWorlds.count(World) ? const_cast<UWorld*>(World) : nullptr;
}

void UBlueprintAsyncActionBase::Activate() {}

void UBlueprintAsyncActionBase::RegisterWithGameInstance(const UObject* WorldContextObject) {
    // As the engine: without a world or a game instance this does nothing, silently.
    UWorld* World = GEngine->GetWorldFromContextObject(WorldContextObject, EGetWorldErrorMode::LogAndReturnNull);
    if (World != nullptr && World->GetGameInstance() != nullptr) {
        RegisterWithGameInstance(World->GetGameInstance());
    }
}

void UBlueprintAsyncActionBase::RegisterWithGameInstance(UGameInstance* GameInstance) {
    if (GameInstance != nullptr) {
        FakeEngine::GRegistered.insert(this);
        RegisteredWithGameInstance = GameInstance;
    }
}

void UBlueprintAsyncActionBase::SetReadyToDestroy() {
    FakeEngine::GRegistered.erase(this);  // UnregisterReferencedObject
    if (FakeEngine::GSetReadyToDestroyResetsRegistration) {
        RegisteredWithGameInstance.Reset();
    }
}

void UCancellableAsyncAction::BeginDestroy() {
    Cancel();
    UBlueprintAsyncActionBase::BeginDestroy();
}
void UCancellableAsyncAction::Cancel() { SetReadyToDestroy(); }
bool UCancellableAsyncAction::IsActive() const { return ShouldBroadcastDelegates(); }
bool UCancellableAsyncAction::ShouldBroadcastDelegates() const { return IsRegistered(); }
bool UCancellableAsyncAction::IsRegistered() const { return RegisteredWithGameInstance.IsValid(); }

// ---- the core ticker and strong references ----------------------------------------------------------------

FTSTicker& FTSTicker::GetCoreTicker() {
    static FTSTicker Ticker;
    return Ticker;
}

FTSTicker::FDelegateHandle FTSTicker::AddTicker(const TCHAR*, float, TFunction<bool(float)> Function) {
    FakeEngine::GTickers.push_back(MoveTemp(Function));
    return FDelegateHandle();
}

void FTSTicker::Tick(float DeltaTime) {
    std::vector<TFunction<bool(float)>> Running;
    Running.swap(FakeEngine::GTickers);  // tickers added while ticking run next frame
    for (TFunction<bool(float)>& Function : Running) {
        if (Function(DeltaTime)) FakeEngine::GTickers.push_back(MoveTemp(Function));
    }
}

namespace UeStub {
void AddStrongReference(const UObject* Object) { ++FakeEngine::GStrong[Object]; }
void ReleaseStrongReference(const UObject* Object) {
    if (--FakeEngine::GStrong[Object] == 0) FakeEngine::GStrong.erase(Object);
}
}  // namespace UeStub
