// TEST-ONLY stub of Unreal's FMemory (HAL/UnrealMemory.h). Never ship this.
#pragma once
#include <cstddef>

struct FMemory {
    static void* Memcpy(void* Dest, const void* Src, std::size_t Count);
};
