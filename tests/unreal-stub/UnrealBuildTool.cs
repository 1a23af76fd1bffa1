// UnrealBuildTool.cs - TEST-ONLY stub of the UnrealBuildTool types the plugin's and sample's
// .Build.cs / .Target.cs files use, so that tests/unreal-stub/check.sh can compile them with mcs.
// Names and member types follow UnrealBuildTool (UE 5); nothing here runs a build.
using System;
using System.Collections.Generic;
using EpicGames.Core;

namespace EpicGames.Core
{
	public class FileReference
	{
		public FileReference(string InPath) { FullName = InPath; }
		public readonly string FullName;
		public DirectoryReference Directory { get { return new DirectoryReference(System.IO.Path.GetDirectoryName(FullName)); } }
		public override string ToString() { return FullName; }
	}

	public class DirectoryReference
	{
		public DirectoryReference(string InPath) { FullName = InPath; }
		public readonly string FullName;
		public static DirectoryReference FromFile(FileReference File) { return File == null ? null : File.Directory; }
		public override string ToString() { return FullName; }
	}
}

namespace UnrealBuildTool
{
	public struct UnrealTargetPlatform
	{
		private readonly string Name;
		private UnrealTargetPlatform(string InName) { Name = InName; }
		public static readonly UnrealTargetPlatform Win64 = new UnrealTargetPlatform("Win64");
		public static readonly UnrealTargetPlatform Mac = new UnrealTargetPlatform("Mac");
		public static readonly UnrealTargetPlatform Linux = new UnrealTargetPlatform("Linux");
		public static readonly UnrealTargetPlatform LinuxArm64 = new UnrealTargetPlatform("LinuxArm64");
		public static readonly UnrealTargetPlatform Android = new UnrealTargetPlatform("Android");
		public static readonly UnrealTargetPlatform IOS = new UnrealTargetPlatform("IOS");
		public static readonly UnrealTargetPlatform TVOS = new UnrealTargetPlatform("TVOS");
		public static bool operator ==(UnrealTargetPlatform A, UnrealTargetPlatform B) { return A.Name == B.Name; }
		public static bool operator !=(UnrealTargetPlatform A, UnrealTargetPlatform B) { return A.Name != B.Name; }
		public override bool Equals(object Other) { return Other is UnrealTargetPlatform && ((UnrealTargetPlatform)Other).Name == Name; }
		public override int GetHashCode() { return Name == null ? 0 : Name.GetHashCode(); }
		public override string ToString() { return Name; }
	}

	/// <summary>UE 5.2+: a CPU architecture (before 5.2, Target.Architecture was a string).</summary>
	public struct UnrealArch
	{
		private readonly string ID;
		private UnrealArch(string InID) { ID = InID; }
		public static readonly UnrealArch X64 = new UnrealArch("x64");
		public static readonly UnrealArch Arm64 = new UnrealArch("arm64");
		public static readonly UnrealArch Arm64ec = new UnrealArch("arm64ec");
		public static bool operator ==(UnrealArch A, UnrealArch B) { return A.ID == B.ID; }
		public static bool operator !=(UnrealArch A, UnrealArch B) { return A.ID != B.ID; }
		public override bool Equals(object Other) { return Other is UnrealArch && ((UnrealArch)Other).ID == ID; }
		public override int GetHashCode() { return ID == null ? 0 : ID.GetHashCode(); }
		public override string ToString() { return ID; }
	}

	public enum ConfigHierarchyType { Game, Engine, Input, Editor, EditorPerProjectUserSettings }

	public class ConfigHierarchy
	{
		public bool GetString(string SectionName, string KeyName, out string Value) { Value = null; return false; }
		public bool GetBool(string SectionName, string KeyName, out bool Value) { Value = false; return false; }
		public bool GetArray(string SectionName, string KeyName, out List<string> Values) { Values = null; return false; }
	}

	public static class ConfigCache
	{
		public static ConfigHierarchy ReadHierarchy(ConfigHierarchyType Type, DirectoryReference ProjectDir, UnrealTargetPlatform Platform) { return new ConfigHierarchy(); }
	}

	public enum UnrealTargetConfiguration { Unknown, Debug, DebugGame, Development, Test, Shipping }
	public enum TargetType { Game, Editor, Client, Server, Program }
	public enum ModuleType { CPlusPlus, External }
	public enum PCHUsageMode { Default, NoPCHs, NoSharedPCHs, UseSharedPCHs, UseExplicitOrSharedPCHs }
	public enum BuildSettingsVersion { V1, V2, V3, V4, V5, Latest }
	public enum EngineIncludeOrderVersion { Unreal5_0, Unreal5_1, Unreal5_2, Unreal5_3, Unreal5_4, Latest }
	public enum StagedFileType { UFS, NonUFS, DebugNonUFS, SystemNonUFS }

	public class BuildException : Exception
	{
		public BuildException(string Message) : base(Message) { }
		public BuildException(string Format, params object[] Args) : base(string.Format(Format, Args)) { }
	}

	public class RuntimeDependencyList
	{
		public void Add(string InPath) { }
		public void Add(string InPath, StagedFileType InType) { }
		public void Add(string InPath, string InSourcePath) { }
		public void Add(string InPath, string InSourcePath, StagedFileType InType) { }
	}

	public class TargetInfo
	{
		public UnrealTargetPlatform Platform;
		public UnrealTargetConfiguration Configuration;
		public string Name;
	}

	public class ReadOnlyTargetRules
	{
		public UnrealTargetPlatform Platform;
		public UnrealArch Architecture;
		public FileReference ProjectFile;
		public UnrealTargetConfiguration Configuration;
		public TargetType Type;
		public bool bBuildEditor;
		public string Name;
	}

	public class TargetRules
	{
		public TargetRules(TargetInfo Target) { }
		public TargetType Type;
		public BuildSettingsVersion DefaultBuildSettings;
		public EngineIncludeOrderVersion IncludeOrderVersion;
		public List<string> ExtraModuleNames = new List<string>();
		public UnrealTargetPlatform Platform;
		public bool bOverrideBuildEnvironment;
	}

	public class ModuleRules
	{
		public ModuleRules(ReadOnlyTargetRules Target) { this.Target = Target; }
		public readonly ReadOnlyTargetRules Target;
		public ModuleType Type;
		public PCHUsageMode PCHUsage;
		public bool bEnableExceptions;
		public bool bUseRTTI;
		public string ModuleDirectory { get { return ""; } }
		public string PluginDirectory { get { return ""; } }
		public List<string> PublicIncludePaths = new List<string>();
		public List<string> PublicSystemIncludePaths = new List<string>();
		public List<string> PrivateIncludePaths = new List<string>();
		public List<string> PublicDependencyModuleNames = new List<string>();
		public List<string> PrivateDependencyModuleNames = new List<string>();
		public List<string> DynamicallyLoadedModuleNames = new List<string>();
		public List<string> PublicAdditionalLibraries = new List<string>();
		public List<string> PublicSystemLibraries = new List<string>();
		public List<string> PublicSystemLibraryPaths = new List<string>();
		public List<string> PublicFrameworks = new List<string>();
		public List<string> PublicWeakFrameworks = new List<string>();
		public List<string> PublicDelayLoadDLLs = new List<string>();
		public List<string> PublicRuntimeLibraryPaths = new List<string>();
		public List<string> PrivateRuntimeLibraryPaths = new List<string>();
		public List<string> PublicDefinitions = new List<string>();
		public List<string> PrivateDefinitions = new List<string>();
		public RuntimeDependencyList RuntimeDependencies = new RuntimeDependencyList();
	}
}
