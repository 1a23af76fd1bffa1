// XerialLibrary.Build.cs - the SDK as an external (prebuilt) module: xerial.h and libxerial.
//
// Where the files go (see unreal-sample/README.md for how to build them):
//
//   Source/ThirdParty/XerialLibrary/include/xerial.h            the SDK's include/xerial.h
//   Source/ThirdParty/XerialLibrary/lib/Win64/xerial.dll        x86_64-pc-windows-msvc cdylib
//   Source/ThirdParty/XerialLibrary/lib/Win64/xerial.dll.lib    its import library
//   Source/ThirdParty/XerialLibrary/lib/Mac/libxerial.dylib     universal (x86_64 + arm64) cdylib
//   Source/ThirdParty/XerialLibrary/lib/Linux/libxerial.so      x86_64-unknown-linux-gnu cdylib
//   Source/ThirdParty/XerialLibrary/lib/Android/arm64-v8a/libxerial.a   aarch64-linux-android staticlib
//   Source/ThirdParty/XerialLibrary/lib/IOS/libxerial.a         aarch64-apple-ios staticlib
//
// Desktop platforms link the shared library, delay-loaded on Windows, and stage it next to the
// plugin (RuntimeDependencies); FXerialModule loads it by full path at startup. Mobile platforms
// link the static library into the game.
using System.IO;
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
		PublicIncludePaths.Add(IncludeDir);

		string LibDir = Path.Combine(ModuleDirectory, "lib");
		string StagedLibDir = "$(PluginDir)/Source/ThirdParty/XerialLibrary/lib";

		if (Target.Platform == UnrealTargetPlatform.Win64)
		{
			PublicAdditionalLibraries.Add(Path.Combine(LibDir, "Win64", "xerial.dll.lib"));
			PublicDelayLoadDLLs.Add("xerial.dll");
			RuntimeDependencies.Add(StagedLibDir + "/Win64/xerial.dll");
		}
		else if (Target.Platform == UnrealTargetPlatform.Mac)
		{
			PublicDelayLoadDLLs.Add(Path.Combine(LibDir, "Mac", "libxerial.dylib"));
			RuntimeDependencies.Add(StagedLibDir + "/Mac/libxerial.dylib");
		}
		else if (Target.Platform == UnrealTargetPlatform.Linux)
		{
			string SharedLibrary = Path.Combine(LibDir, "Linux", "libxerial.so");
			PublicAdditionalLibraries.Add(SharedLibrary);
			PublicDelayLoadDLLs.Add(SharedLibrary);
			PublicRuntimeLibraryPaths.Add(Path.Combine(LibDir, "Linux"));
			RuntimeDependencies.Add(StagedLibDir + "/Linux/libxerial.so");
		}
		else if (Target.Platform == UnrealTargetPlatform.Android)
		{
			PublicAdditionalLibraries.Add(Path.Combine(LibDir, "Android", "arm64-v8a", "libxerial.a"));
			// What Rust's std needs on Android (check with --print native-static-libs, see the README).
			PublicSystemLibraries.AddRange(new string[] { "log", "dl", "m" });
		}
		else if (Target.Platform == UnrealTargetPlatform.IOS)
		{
			PublicAdditionalLibraries.Add(Path.Combine(LibDir, "IOS", "libxerial.a"));
		}
		else
		{
			throw new BuildException("The Xerial SDK has no build for " + Target.Platform.ToString() + " yet");
		}
	}
}
