// XerialSample.Target.cs - the sample game.
using UnrealBuildTool;

public class XerialSampleTarget : TargetRules
{
	public XerialSampleTarget(TargetInfo Target) : base(Target)
	{
		Type = TargetType.Game;
		DefaultBuildSettings = BuildSettingsVersion.Latest;
		IncludeOrderVersion = EngineIncludeOrderVersion.Latest;
		ExtraModuleNames.Add("XerialSample");
	}
}
