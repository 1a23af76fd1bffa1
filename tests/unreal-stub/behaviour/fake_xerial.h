// fake_xerial.h - TEST-ONLY: the C functions of xerial.h that the async node's code calls, with a
// fake request table and a fake poll, so that a result (or a CANCELLED one) arrives when a test
// says, the way xerial_poll delivers it: on the polling thread, one callback per started id.
#pragma once

#include "xerial.h"

#include <cstdint>

namespace FakeXerial {
extern bool GInitialized;            // false: starting a call returns 0, as xerial_* do before init
XerialRequestId Start(XerialCallback Callback, void* UserData);
void Complete(XerialRequestId Id, int32_t Code);  // queues the result of a call in flight
int Poll();                          // runs every queued callback; returns how many ran
int InFlight();                      // started, callback not run yet
void Reset();                        // forgets every call (between cases)
}  // namespace FakeXerial
