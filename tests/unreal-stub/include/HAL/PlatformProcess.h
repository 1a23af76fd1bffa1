// TEST-ONLY stub (see CoreMinimal.h).
#pragma once

#include "CoreMinimal.h"

struct FPlatformProcess {
    static void* GetDllHandle(const TCHAR* Filename);
    static void FreeDllHandle(void* DllHandle);
    static void* GetDllExport(void* DllHandle, const TCHAR* ProcName);
    static void PushDllDirectory(const TCHAR* Directory);
    static void PopDllDirectory(const TCHAR* Directory);
    static void LaunchURL(const TCHAR* URL, const TCHAR* Parms, FString* Error);
};
