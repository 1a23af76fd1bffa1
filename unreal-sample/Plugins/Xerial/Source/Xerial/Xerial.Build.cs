// Xerial.Build.cs - the plugin's runtime module: subsystem, settings, Blueprint async nodes.
using UnrealBuildTool;

public class Xerial : ModuleRules
{
	public Xerial(ReadOnlyTargetRules Target) : base(Target)
	{
		PCHUsage = PCHUsageMode.UseExplicitOrSharedPCHs;

		// No C++ exception can unwind into the SDK: Unreal builds without exceptions (the default,
		// kept here), and FXerialCall's trampoline catches everything if a module enables them.
		bEnableExceptions = false;

		PublicDependencyModuleNames.AddRange(new string[]
		{
			"Core",
			"CoreUObject",
			"Engine",
			"DeveloperSettings",
			"XerialLibrary", // ThirdParty: xerial.h and libxerial per platform
			"HTTP", // FXerialHttpTransport: the SDK's requests through FHttpModule (optional)
		});

		PrivateDependencyModuleNames.AddRange(new string[]
		{
			"Projects", // IPluginManager, to find the staged library
		});
	}
}
