// TEST-ONLY stub of Unreal's FScopeLock (Misc/ScopeLock.h). Never ship this.
#pragma once
#include "HAL/CriticalSection.h"

class FScopeLock {
public:
    explicit FScopeLock(FCriticalSection* InSynchObject);
    FScopeLock(const FScopeLock&) = delete;
    FScopeLock& operator=(const FScopeLock&) = delete;
    ~FScopeLock();
};
