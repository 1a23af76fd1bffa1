// XerialSample.Build.cs - the sample's game module.
using UnrealBuildTool;

public class XerialSample : ModuleRules
{
	public XerialSample(ReadOnlyTargetRules Target) : base(Target)
	{
		PCHUsage = PCHUsageMode.UseExplicitOrSharedPCHs;

		// The sample is built on the Xerial plugin, which exists for these platforms only
		// (Xerial.uplugin's PlatformAllowList): say so here rather than with a missing module.
		UnrealTargetPlatform[] XerialPlatforms = new UnrealTargetPlatform[]
		{
			UnrealTargetPlatform.Win64, UnrealTargetPlatform.Mac, UnrealTargetPlatform.Linux,
			UnrealTargetPlatform.Android, UnrealTargetPlatform.IOS,
		};
		if (System.Array.IndexOf(XerialPlatforms, Target.Platform) < 0)
		{
			throw new BuildException("XerialSample needs the Xerial plugin, which supports Win64, Mac, Linux, Android and IOS, not " +
				Target.Platform.ToString());
		}
		PublicDependencyModuleNames.AddRange(new string[] { "Core", "CoreUObject", "Engine", "Xerial" });
	}
}
