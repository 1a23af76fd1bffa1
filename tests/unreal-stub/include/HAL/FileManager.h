// TEST-ONLY stub (see CoreMinimal.h).
#pragma once

#include "CoreMinimal.h"

class IFileManager {
public:
    static IFileManager& Get();
    virtual ~IFileManager() = default;
    virtual bool MakeDirectory(const TCHAR* Path, bool Tree = false) = 0;
    virtual bool Delete(const TCHAR* Filename, bool RequireExists = false, bool EvenReadOnly = false, bool Quiet = false) = 0;
    virtual bool FileExists(const TCHAR* Filename) = 0;
    virtual FString ConvertToAbsolutePathForExternalAppForRead(const TCHAR* Filename) = 0;
    virtual FString ConvertToAbsolutePathForExternalAppForWrite(const TCHAR* Filename) = 0;
};
