// TEST-ONLY stub of Unreal's FCriticalSection (HAL/CriticalSection.h). Never ship this.
#pragma once

class FCriticalSection {
public:
    FCriticalSection() = default;
    FCriticalSection(const FCriticalSection&) = delete;
    FCriticalSection& operator=(const FCriticalSection&) = delete;
    void Lock();
    void Unlock();
};
