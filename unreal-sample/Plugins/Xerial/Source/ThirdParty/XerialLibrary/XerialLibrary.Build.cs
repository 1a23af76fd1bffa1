// XerialLibrary.Build.cs - the SDK as an external (prebuilt) module: xerial.h and libxerial.
//
// Where the files go (the release zip XerialUnrealPlugin-<version>.zip has them in place; see
// unreal-sample/README.md for building them yourself):
//
//   Source/ThirdParty/XerialLibrary/include/xerial.h                  the SDK's include/xerial.h
//   Source/ThirdParty/XerialLibrary/lib/Win64/xerial.dll.lib          import library (x64)
//   Binaries/ThirdParty/XerialLibrary/Win64/xerial.dll                the DLL, staged with the game
//   Source/ThirdParty/XerialLibrary/lib/WinArm64/xerial.dll.lib       Windows on Arm (not in the zip)
//   Binaries/ThirdParty/XerialLibrary/WinArm64/xerial.dll
//   Source/ThirdParty/XerialLibrary/lib/Mac/libxerial.dylib           universal (x86_64 + arm64)
//   Source/ThirdParty/XerialLibrary/lib/Linux/libxerial.so            x86_64-unknown-linux-gnu
//   Source/ThirdParty/XerialLibrary/lib/Android/arm64-v8a/libxerial.a aarch64-linux-android staticlib
//   Source/ThirdParty/XerialLibrary/lib/Android/x86_64/libxerial.a    x86_64-linux-android (not in the zip)
//   Source/ThirdParty/XerialLibrary/lib/IOS/libxerial.a               aarch64-apple-ios staticlib
//
// Windows delay-loads the DLL and FXerialModule loads it by full path from Binaries/ThirdParty (as
// Epic's ThirdPartyLibrary template does); Mac links the dylib weakly (delay-load) and loads it the
// same way. Linux links the .so (-lxerial: UBT has no delay-load there), so the loader resolves it
// through the rpath before the module's code runs. Mobile platforms link the static library.
//
// A platform or CPU with no library fails here, at build time, with what to build; never at link
// or load time. The extra root CA file of the settings (ExtraRootCaPemFile) is staged into the
// packaged game.
using System.IO;
using EpicGames.Core;
using UnrealBuildTool;

public class XerialLibrary : ModuleRules
{
	public XerialLibrary(ReadOnlyTargetRules Target) : base(Target)
	{
		Type = ModuleType.External;

		string IncludeDir = Path.Combine(ModuleDirectory, "include");
		if (!File.Exists(Path.Combine(IncludeDir, "xerial.h")))
		{
			// Inside the SDK's own repository: use its committed header.
			string RepoInclude = Path.GetFullPath(Path.Combine(ModuleDirectory, "..", "..", "..", "..", "..", "..", "include"));
			if (!File.Exists(Path.Combine(RepoInclude, "xerial.h")))
			{
				throw new BuildException("xerial.h not found: copy the SDK's include/xerial.h to " + IncludeDir);
			}
			IncludeDir = RepoInclude;
		}
		// A C header of another project: a system include, so the engine's warning levels do not apply to it.
		PublicSystemIncludePaths.Add(IncludeDir);

		string LibDir = Path.Combine(ModuleDirectory, "lib");
		string BinariesDir = Path.GetFullPath(Path.Combine(PluginDirectory, "Binaries", "ThirdParty", "XerialLibrary"));

		if (Target.Platform == UnrealTargetPlatform.Win64)
		{
			// Target.Architecture: "x64" or "arm64" (a string before UE 5.2, UnrealArch since).
			string Folder = Target.Architecture.ToString().ToLowerInvariant().StartsWith("arm64") ? "WinArm64" : "Win64";
			PublicAdditionalLibraries.Add(Require(Path.Combine(LibDir, Folder, "xerial.dll.lib"), Folder));
			Require(Path.Combine(BinariesDir, Folder, "xerial.dll"), Folder);
			PublicDelayLoadDLLs.Add("xerial.dll");
			RuntimeDependencies.Add("$(PluginDir)/Binaries/ThirdParty/XerialLibrary/" + Folder + "/xerial.dll");
		}
		else if (Target.Platform == UnrealTargetPlatform.Mac)
		{
			PublicDelayLoadDLLs.Add(Require(Path.Combine(LibDir, "Mac", "libxerial.dylib"), "Mac"));
			RuntimeDependencies.Add("$(PluginDir)/Source/ThirdParty/XerialLibrary/lib/Mac/libxerial.dylib");
		}
		else if (Target.Platform == UnrealTargetPlatform.Linux)
		{
			PublicAdditionalLibraries.Add(Require(Path.Combine(LibDir, "Linux", "libxerial.so"), "Linux"));
			PublicRuntimeLibraryPaths.Add(Path.Combine(LibDir, "Linux"));
			RuntimeDependencies.Add("$(PluginDir)/Source/ThirdParty/XerialLibrary/lib/Linux/libxerial.so");
		}
		else if (Target.Platform == UnrealTargetPlatform.Android)
		{
			// UBT links each library only into the ABI its folder names (arm64-v8a, x86_64).
			PublicAdditionalLibraries.Add(Require(Path.Combine(LibDir, "Android", "arm64-v8a", "libxerial.a"), "Android arm64-v8a"));
			string X64 = Path.Combine(LibDir, "Android", "x86_64", "libxerial.a");
			if (File.Exists(X64))
			{
				PublicAdditionalLibraries.Add(X64);
			}
			else if (GameConfigBool("/Script/AndroidRuntimeSettings.AndroidRuntimeSettings", "bBuildForX8664"))
			{
				Require(X64, "Android x86_64 (Project Settings > Android > Support x86_64 is on)");
			}
			// What Rust's std needs on Android (check with --print native-static-libs, see the README).
			PublicSystemLibraries.AddRange(new string[] { "log", "dl", "m" });
		}
		else if (Target.Platform == UnrealTargetPlatform.IOS)
		{
			PublicAdditionalLibraries.Add(Require(Path.Combine(LibDir, "IOS", "libxerial.a"), "IOS"));
		}
		else
		{
			throw new BuildException("The Xerial SDK has no library for " + Target.Platform.ToString() +
				" (the plugin supports Win64, Mac, Linux, Android and IOS; Xerial.uplugin's PlatformAllowList)");
		}

		StageExtraRootCa();
	}

	/// <summary>The path, or a BuildException naming what is missing and how to get it.</summary>
	private static string Require(string LibraryPath, string What)
	{
		if (!File.Exists(LibraryPath))
		{
			throw new BuildException("Xerial: no SDK library for " + What + ": " + LibraryPath + " is missing. " +
				"Use the plugin from the release zip (XerialUnrealPlugin-<version>.zip), or build the SDK for this " +
				"platform and CPU and copy it there (unreal-sample/README.md, \"Building the libraries yourself\").");
		}
		return LibraryPath;
	}

	private bool GameConfigBool(string Section, string Key)
	{
		bool Value;
		return Target.ProjectFile != null &&
			ConfigCache.ReadHierarchy(ConfigHierarchyType.Game, DirectoryReference.FromFile(Target.ProjectFile), Target.Platform).GetBool(Section, Key, out Value) &&
			Value;
	}

	/// <summary>
	/// Stages UXerialSettings.ExtraRootCaPemFile (a path relative to the project directory) into the
	/// packaged game, where UXerialSubsystem reads it through the engine's file system (pak or
	/// loose). A configured file that is missing, or absolute in a game build, fails the build:
	/// a game must never start without the CA its settings name.
	/// </summary>
	private void StageExtraRootCa()
	{
		if (Target.ProjectFile == null)
		{
			return;
		}
		ConfigHierarchy Game = ConfigCache.ReadHierarchy(ConfigHierarchyType.Game, DirectoryReference.FromFile(Target.ProjectFile), Target.Platform);
		string CaFile;
		if (!Game.GetString("/Script/Xerial.XerialSettings", "ExtraRootCaPemFile", out CaFile) || string.IsNullOrEmpty(CaFile))
		{
			return;
		}
		string ProjectDir = DirectoryReference.FromFile(Target.ProjectFile).FullName;
		if (Path.IsPathRooted(CaFile))
		{
			if (Target.Type != TargetType.Editor)
			{
				throw new BuildException("Xerial: ExtraRootCaPemFile " + CaFile + " is absolute; make it relative to the project directory (" +
					ProjectDir + ") so that it can be staged with the game.");
			}
			return; // the editor reads it where it is
		}
		if (!File.Exists(Path.Combine(ProjectDir, CaFile)))
		{
			throw new BuildException("Xerial: ExtraRootCaPemFile " + CaFile + " (relative to " + ProjectDir + ") does not exist.");
		}
		RuntimeDependencies.Add("$(ProjectDir)/" + CaFile.Replace('\\', '/'), StagedFileType.UFS);
	}
}
