// XerialSampleEditor.Target.cs - the sample in the editor (PIE).
using UnrealBuildTool;

public class XerialSampleEditorTarget : TargetRules
{
	public XerialSampleEditorTarget(TargetInfo Target) : base(Target)
	{
		Type = TargetType.Editor;
		DefaultBuildSettings = BuildSettingsVersion.Latest;
		IncludeOrderVersion = EngineIncludeOrderVersion.Latest;
		ExtraModuleNames.Add("XerialSample");
	}
}
