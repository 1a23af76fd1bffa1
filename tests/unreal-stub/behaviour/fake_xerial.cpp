// fake_xerial.cpp - TEST-ONLY (see fake_xerial.h).
#include "fake_xerial.h"

#include <deque>
#include <map>
#include <utility>

namespace FakeXerial {
bool GInitialized = true;

namespace {
struct FPending {
    XerialCallback Callback;
    void* UserData;
    bool bQueued;
};
std::map<XerialRequestId, FPending> GPending;
std::deque<std::pair<XerialRequestId, int32_t>> GQueue;
XerialRequestId GNextId = 1;
}  // namespace

XerialRequestId Start(XerialCallback Callback, void* UserData) {
    if (!GInitialized) return 0;
    const XerialRequestId Id = GNextId++;
    GPending[Id] = FPending{Callback, UserData, false};
    return Id;
}

void Complete(XerialRequestId Id, int32_t Code) {
    auto It = GPending.find(Id);
    if (It == GPending.end() || It->second.bQueued) return;
    It->second.bQueued = true;
    GQueue.emplace_back(Id, Code);
}

int Poll() {
    int Ran = 0;
    while (!GQueue.empty()) {
        const std::pair<XerialRequestId, int32_t> Next = GQueue.front();
        GQueue.pop_front();
        const FPending Pending = GPending[Next.first];
        GPending.erase(Next.first);
        XerialResult Result{};
        Result.request_id = Next.first;
        Result.code = Next.second;
        Result.message = Next.second == XERIAL_OK ? "" : xerial_code_name(Next.second);
        Result.body = Next.second == XERIAL_OK ? "{\"balance\":\"1\"}" : "";
        Result.body_len = Next.second == XERIAL_OK ? 15 : 0;
        Pending.Callback(Pending.UserData, &Result);
        ++Ran;
    }
    return Ran;
}

int InFlight() { return static_cast<int>(GPending.size()); }

void Reset() {
    GPending.clear();
    GQueue.clear();
    GInitialized = true;
}
}  // namespace FakeXerial

extern "C" int32_t xerial_cancel(XerialRequestId id) {
    auto It = FakeXerial::GPending.find(id);
    if (It == FakeXerial::GPending.end() || It->second.bQueued) return XERIAL_E_NOT_FOUND;
    FakeXerial::Complete(id, XERIAL_E_CANCELLED);  // delivered on the next poll, as the SDK does
    return XERIAL_OK;
}

extern "C" const char* xerial_code_name(int32_t code) {
    switch (code) {
    case XERIAL_OK: return "XERIAL_OK";
    case XERIAL_E_NOT_INITIALIZED: return "XERIAL_E_NOT_INITIALIZED";
    case XERIAL_E_CANCELLED: return "XERIAL_E_CANCELLED";
    case XERIAL_E_NETWORK: return "XERIAL_E_NETWORK";
    default: return "XERIAL_E_UNKNOWN";
    }
}
