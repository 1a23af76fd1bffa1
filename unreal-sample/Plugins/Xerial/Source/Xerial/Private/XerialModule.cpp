// XerialModule.cpp - see XerialModule.h.
#include "XerialModule.h"

#include "HAL/PlatformProcess.h"
#include "HAL/UnrealMemory.h"
#include "Interfaces/IPluginManager.h"
#include "Misc/Paths.h"
#include "Modules/ModuleManager.h"
#include "XerialTypes.h"
#include "xerial.h"

#include <atomic>

DEFINE_LOG_CATEGORY(LogXerial);

IMPLEMENT_MODULE(FXerialModule, Xerial)

namespace
{
	std::atomic<bool> GXerialLibraryLoaded{false};

	/**
	 * Where the Build.cs stages a library that is delay-loaded (Windows) or weakly linked (Mac),
	 * relative to the plugin's base directory; FXerialModule loads it from there before any
	 * xerial_* call. nullptr where it is linked normally: on Linux (UBT links the .so with -l, so
	 * the dynamic loader has already resolved it through the rpath, or failed the module's load
	 * with its own message, before this code runs), Android and iOS (static library).
	 */
	const TCHAR* SharedLibraryRelativePath()
	{
#if PLATFORM_WINDOWS && PLATFORM_CPU_ARM_FAMILY
		return TEXT("Binaries/ThirdParty/XerialLibrary/WinArm64/xerial.dll");
#elif PLATFORM_WINDOWS
		return TEXT("Binaries/ThirdParty/XerialLibrary/Win64/xerial.dll");
#elif PLATFORM_MAC
		return TEXT("Source/ThirdParty/XerialLibrary/lib/Mac/libxerial.dylib");
#else
		return nullptr;
#endif
	}

	// The SDK's own memory on the engine's allocator (ABI 1.4, xerial_set_allocator): counted by
	// Unreal's memory tools (LLM, Insights) and served by its binned allocator's per-thread caches.
	// Leaves: they call nothing of the SDK, as the header requires.
	void* XerialAllocate(void* /*UserData*/, size_t Size, size_t Alignment)
	{
		return FMemory::Malloc(Size, static_cast<uint32>(Alignment));
	}

	void* XerialReallocate(void* /*UserData*/, void* Block, size_t /*OldSize*/, size_t NewSize, size_t Alignment)
	{
		return FMemory::Realloc(Block, NewSize, static_cast<uint32>(Alignment));
	}

	void XerialRelease(void* /*UserData*/, void* Block, size_t /*Size*/, size_t /*Alignment*/)
	{
		FMemory::Free(Block);
	}

	/** Hands the engine's allocator to the SDK: first, before anything in the library allocates. */
	void UseEngineAllocator(uint32 Abi)
	{
		if ((Abi & 0xffffu) < 4)
		{
			return; // an older library has no xerial_set_allocator: its memory stays on the system's
		}
		const XerialAllocator Allocator = {sizeof(XerialAllocator), nullptr, &XerialAllocate, &XerialReallocate, &XerialRelease};
		const int32 Code = xerial_set_allocator(&Allocator);
		if (Code != XERIAL_OK)
		{
			UE_LOG(LogXerial, Warning, TEXT("The SDK's memory stays on the system allocator: xerial_set_allocator answered %s (something called the SDK before this module started)."),
				UTF8_TO_TCHAR(xerial_code_name(Code)));
		}
	}
}

void FXerialModule::StartupModule()
{
	if (const TCHAR* Relative = SharedLibraryRelativePath())
	{
		const TSharedPtr<IPlugin> Plugin = IPluginManager::Get().FindPlugin(TEXT("Xerial"));
		if (!Plugin.IsValid())
		{
			UE_LOG(LogXerial, Error, TEXT("The Xerial plugin descriptor was not found; the SDK stays unloaded."));
			return;
		}
		const FString LibraryPath = FPaths::Combine(Plugin->GetBaseDir(), Relative);
		LibraryHandle = FPlatformProcess::GetDllHandle(*LibraryPath);
		if (LibraryHandle == nullptr)
		{
			UE_LOG(LogXerial, Error, TEXT("Could not load %s: build the SDK for this platform and copy it there (see the plugin README). Xerial calls will fail with NotInitialized."), *LibraryPath);
			return;
		}
	}

	const uint32 Abi = xerial_abi_version();
	if ((Abi >> 16) != (static_cast<uint32>(XERIAL_ABI_VERSION) >> 16))
	{
		UE_LOG(LogXerial, Error, TEXT("libxerial speaks ABI %u.%u but the plugin was built for %u.x: rebuild the plugin against the library's xerial.h."),
			Abi >> 16, Abi & 0xffffu, static_cast<uint32>(XERIAL_ABI_VERSION) >> 16);
		return;
	}
	UseEngineAllocator(Abi);
	GXerialLibraryLoaded = true;
	UE_LOG(LogXerial, Log, TEXT("libxerial %s loaded (ABI %u.%u)"), UTF8_TO_TCHAR(xerial_version()), Abi >> 16, Abi & 0xffffu);
}

void FXerialModule::ShutdownModule()
{
	if (GXerialLibraryLoaded.exchange(false))
	{
		// Normally UXerialSubsystem has shut the SDK down already; this is idempotent.
		xerial_shutdown();
		xerial_set_auth_listener(nullptr, nullptr);
		xerial_set_log_callback(nullptr, nullptr, 0);
	}
	// Deliberately no FPlatformProcess::FreeDllHandle: the SDK's runtime threads live for the whole
	// process (abi.md section 2: created once, never joined), so unloading the code under them would
	// crash. The OS unloads the library at exit.
	LibraryHandle = nullptr;
}

bool FXerialModule::IsLibraryLoaded()
{
	return GXerialLibraryLoaded.load();
}
