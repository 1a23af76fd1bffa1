// XerialModule.h - the Xerial runtime module: loads libxerial and checks its ABI.
#pragma once

#include "CoreMinimal.h"
#include "Modules/ModuleInterface.h"

/**
 * Loads the SDK library (Windows, Mac, Linux: the copy staged from
 * Source/ThirdParty/XerialLibrary/lib/<Platform>/, by full path, before any xerial_* call
 * resolves through the delay-load stub; Android, iOS: linked statically) and checks that its ABI
 * major matches xerial.h. The SDK itself is initialised by UXerialSubsystem.
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
