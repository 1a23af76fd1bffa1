// behaviour_test.cpp - TEST-ONLY: runs the plugin's Blueprint async node (UXerialAsyncAction, its
// real code from XerialAsyncAction.cpp and XerialCall.cpp) against a fake engine (engine.cpp,
// modelled on UBlueprintAsyncActionBase/UCancellableAsyncAction) and a fake SDK with a fake poll
// (fake_xerial.cpp). Each case runs twice: with SetReadyToDestroy resetting the registration
// (recent engines) and without (older ones). Prints one line per case, then "N passed, N failed".
#include "XerialAsyncAction.h"
#include "XerialModule.h"
#include "XerialSubsystem.h"
#include "engine.h"
#include "fake_xerial.h"

#include <cstdio>
#include <functional>
#include <string>

// ---- the parts of the plugin this harness does not link, as fakes -------------------------------------
DEFINE_LOG_CATEGORY(LogXerial);
static bool GShuttingDown = false;
bool UXerialSubsystem::IsShuttingDown() { return GShuttingDown; }
bool FXerialModule::IsLibraryLoaded() { return true; }

// ---- a node and a listener ---------------------------------------------------------------------------------
class UFakeBalanceAction : public UXerialAsyncAction {
public:
    static UFakeBalanceAction* Make(const UObject* WorldContextObject) {
        return CreateAction<UFakeBalanceAction>(WorldContextObject);
    }

protected:
    XerialRequestId StartCall(XerialCallback Callback, void* UserData) override {
        return FakeXerial::Start(Callback, UserData);
    }
};

class UListener : public UObject {
public:
    void OnSuccess(const FXerialResult& Result) { Successes.push_back(Result); }
    void OnFailure(const FXerialResult& Result) { Failures.push_back(Result); }
    int32 Pins() const { return static_cast<int32>(Successes.size() + Failures.size()); }
    std::vector<FXerialResult> Successes;
    std::vector<FXerialResult> Failures;
};

struct FNode {
    UFakeBalanceAction* Action;
    UListener* Listener;
};

static FNode Bind(UFakeBalanceAction* Action) {
    UListener* Listener = new UListener();
    Action->OnSuccess.AddDynamic(Listener, &UListener::OnSuccess);
    Action->OnFailure.AddDynamic(Listener, &UListener::OnFailure);
    return FNode{Action, Listener};
}

// ---- cases -------------------------------------------------------------------------------------------------------
static std::string GFailure;
#define EXPECT(cond)                                                         \
    do {                                                                     \
        if (!(cond) && GFailure.empty()) GFailure = std::string("expected ") + #cond; \
    } while (0)

static void Frame() {
    FakeXerial::Poll();  // UXerialSubsystem::Tick: xerial_poll
    FakeEngine::Tick();
}

static void SuccessFiresOnSuccessOnce() {
    UWorld* World = FakeEngine::NewWorld(FakeEngine::NewGameInstance());
    FNode Node = Bind(UFakeBalanceAction::Make(World));
    Node.Action->Activate();
    EXPECT(Node.Action->GetRequestId() != 0);
    EXPECT(FakeEngine::IsRegisteredAnywhere(Node.Action));
    FakeXerial::Complete(Node.Action->GetRequestId(), XERIAL_OK);
    Frame();
    Frame();
    EXPECT(Node.Listener->Successes.size() == 1 && Node.Listener->Failures.empty());
    EXPECT(!FakeEngine::IsRegisteredAnywhere(Node.Action));
    EXPECT(FakeXerial::InFlight() == 0);
}

static void CancelBeforeTheResultFiresNothing() {
    UWorld* World = FakeEngine::NewWorld(FakeEngine::NewGameInstance());
    FNode Node = Bind(UFakeBalanceAction::Make(World));
    Node.Action->Activate();
    EXPECT(FakeXerial::InFlight() == 1);
    Node.Action->Cancel();  // xerial_cancel: the CANCELLED result arrives on the next poll
    EXPECT(FakeXerial::InFlight() == 1);
    Frame();
    Frame();
    EXPECT(FakeXerial::InFlight() == 0);  // its callback ran (and freed the trampoline's function)
    EXPECT(Node.Listener->Pins() == 0);
    EXPECT(!FakeEngine::IsRegisteredAnywhere(Node.Action));
}

static void CancelAfterTheResultWasQueuedFiresNothing() {
    UWorld* World = FakeEngine::NewWorld(FakeEngine::NewGameInstance());
    FNode Node = Bind(UFakeBalanceAction::Make(World));
    Node.Action->Activate();
    FakeXerial::Complete(Node.Action->GetRequestId(), XERIAL_OK);  // queued, not yet polled
    Node.Action->Cancel();                                          // too late for the SDK
    Frame();
    EXPECT(Node.Listener->Pins() == 0);
    EXPECT(FakeXerial::InFlight() == 0);
}

static void NoGameInstanceReportsNotInitializedNextFrame(UWorld* World) {
    FNode Node = Bind(UFakeBalanceAction::Make(World));
    Node.Action->Activate();
    EXPECT(Node.Listener->Pins() == 0);         // never from inside Activate
    EXPECT(FakeXerial::InFlight() == 0);        // nothing was sent
    EXPECT(FakeEngine::StrongReferences(Node.Action) > 0);  // kept alive until it fires
    Frame();
    EXPECT(Node.Listener->Successes.empty() && Node.Listener->Failures.size() == 1);
    if (Node.Listener->Failures.size() == 1) {
        const FXerialResult& Failure = Node.Listener->Failures[0];
        EXPECT(Failure.Code == EXerialCode::NotInitialized);
        EXPECT(FakeEngine::Narrow(Failure.Message).find("game instance") != std::string::npos);
    }
    EXPECT(FakeEngine::StrongReferences(Node.Action) == 0);  // released once fired
    Frame();
    EXPECT(Node.Listener->Pins() == 1);  // once
}

static void NoGameInstance() { NoGameInstanceReportsNotInitializedNextFrame(FakeEngine::NewWorld(nullptr)); }
static void NoWorld() { NoGameInstanceReportsNotInitializedNextFrame(nullptr); }

static void NotInitializedReportsNextFrame() {
    UWorld* World = FakeEngine::NewWorld(FakeEngine::NewGameInstance());
    FakeXerial::GInitialized = false;
    FNode Node = Bind(UFakeBalanceAction::Make(World));
    Node.Action->Activate();
    FakeXerial::GInitialized = true;
    EXPECT(Node.Listener->Pins() == 0);
    Frame();
    EXPECT(Node.Listener->Failures.size() == 1 && Node.Listener->Successes.empty());
    if (!Node.Listener->Failures.empty()) EXPECT(Node.Listener->Failures[0].Code == EXerialCode::NotInitialized);
}

static void CancelBeforeTheNotStartedFailureFiresNothing() {
    FNode Node = Bind(UFakeBalanceAction::Make(FakeEngine::NewWorld(nullptr)));
    Node.Action->Activate();
    Node.Action->Cancel();
    Frame();
    EXPECT(Node.Listener->Pins() == 0);
    EXPECT(FakeEngine::StrongReferences(Node.Action) == 0);
    EXPECT(FakeEngine::PendingTickers() == 0);
}

static void GameInstanceShutdownEndsSilently() {
    UWorld* World = FakeEngine::NewWorld(FakeEngine::NewGameInstance());
    FNode Node = Bind(UFakeBalanceAction::Make(World));
    Node.Action->Activate();
    FakeXerial::Complete(Node.Action->GetRequestId(), XERIAL_E_SHUTDOWN);
    GShuttingDown = true;  // xerial_shutdown runs the owed callbacks inside Deinitialize
    FakeXerial::Poll();
    GShuttingDown = false;
    Frame();
    EXPECT(Node.Listener->Pins() == 0);
}

int main() {
    const std::pair<const char*, std::function<void()>> Cases[] = {
        {"a result fires On Success once, then the node unregisters", SuccessFiresOnSuccessOnce},
        {"Cancel before the result: no pin, although the CANCELLED result arrives on the next poll",
         CancelBeforeTheResultFiresNothing},
        {"Cancel after the result was queued, before the poll: no pin", CancelAfterTheResultWasQueuedFiresNothing},
        {"no game instance: On Failure NotInitialized on the next frame, node kept alive until then, nothing sent",
         NoGameInstance},
        {"no world (null context): On Failure NotInitialized on the next frame", NoWorld},
        {"SDK not initialised: On Failure NotInitialized on the next frame", NotInitializedReportsNextFrame},
        {"Cancel before the not-started failure fires: no pin, reference released",
         CancelBeforeTheNotStartedFailureFiresNothing},
        {"the game instance shutting down: pending nodes end without a pin", GameInstanceShutdownEndsSilently},
    };
    int Passed = 0, Failed = 0;
    for (const bool bResets : {false, true}) {
        FakeEngine::GSetReadyToDestroyResetsRegistration = bResets;
        for (const auto& Case : Cases) {
            GFailure.clear();
            FakeXerial::Reset();
            Case.second();
            for (int I = 0; I < 3; ++I) Frame();  // leave nothing queued for the next case
            const char* Engine = bResets ? "SetReadyToDestroy resets the registration (recent engines)"
                                         : "SetReadyToDestroy keeps it (older engines)";
            if (GFailure.empty()) {
                ++Passed;
                std::printf("ok - behaviour: %s [%s]\n", Case.first, Engine);
            } else {
                ++Failed;
                std::printf("FAIL - behaviour: %s [%s]: %s\n", Case.first, Engine, GFailure.c_str());
            }
        }
    }
    std::printf("%d passed, %d failed\n", Passed, Failed);
    return Failed == 0 ? 0 : 1;
}
