// TEST-ONLY stub of Unreal's FMemory (HAL/UnrealMemory.h). Never ship this.
#pragma once
#include <cstddef>
#include <cstdint>

struct FMemory {
    static void* Memcpy(void* Dest, const void* Src, std::size_t Count);
    static void* Malloc(std::size_t Count, std::uint32_t Alignment = 0);
    static void* Realloc(void* Original, std::size_t Count, std::uint32_t Alignment = 0);
    static void Free(void* Original);
};
