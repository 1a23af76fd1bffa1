// TEST-ONLY stub (see CoreMinimal.h).
#pragma once

#include "CoreMinimal.h"

class FPaths {
public:
    static FString ProjectDir();
    static FString ProjectSavedDir();
    static FString ProjectConfigDir();
    static FString ConvertRelativePathToFull(const FString& InPath);
    static bool FileExists(const FString& InPath);
    static bool DirectoryExists(const FString& InPath);
    static bool IsRelative(const FString& InPath);

    template <typename... PathTypes>
    static FString Combine(PathTypes&&... InPaths) {
        static_assert(sizeof...(PathTypes) >= 1, "FPaths::Combine needs a path");
        static_assert(((std::is_convertible<PathTypes, FString>::value ||
                        std::is_convertible<PathTypes, const TCHAR*>::value) && ...),
                      "FPaths::Combine takes FStrings or TCHAR strings");
        ((void)InPaths, ...);
        return FString();
    }
};
