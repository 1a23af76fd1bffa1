// XerialSample.Build.cs - the sample's game module.
using UnrealBuildTool;

public class XerialSample : ModuleRules
{
	public XerialSample(ReadOnlyTargetRules Target) : base(Target)
	{
		PCHUsage = PCHUsageMode.UseExplicitOrSharedPCHs;
		PublicDependencyModuleNames.AddRange(new string[] { "Core", "CoreUObject", "Engine", "Xerial" });
	}
}
