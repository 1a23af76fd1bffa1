// XerialModule.h - the Xerial runtime module: loads libxerial and checks its ABI.
#pragma once

#include "CoreMinimal.h"
#include "Modules/ModuleInterface.h"

/**
 * Loads the SDK library and checks that its ABI major matches xerial.h. Windows and Mac: by full
 * path from where XerialLibrary.Build.cs stages it (Binaries/ThirdParty/XerialLibrary/Win64/,
 * Source/ThirdParty/XerialLibrary/lib/Mac/), before any xerial_* call resolves through the
 * delay-load stub, so a missing library is logged and calls fail with NotInitialized. Linux: the
 * .so is a normal dependency of the module (no delay-load there); a missing one makes the engine
 * fail to load the Xerial module with the loader's message. Android, iOS: linked statically. The
 * SDK itself is initialised by UXerialSubsystem.
 */
class XERIAL_API FXerialModule : public IModuleInterface
{
public:
	virtual void StartupModule() override;
	virtual void ShutdownModule() override;

	/** True when the library is loaded and its ABI matches: only then may xerial_* be called. Any thread. */
	static bool IsLibraryLoaded();

private:
	void* LibraryHandle = nullptr;
};
