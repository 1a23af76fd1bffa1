#!/usr/bin/env bash
# tests/unreal-stub/check.sh - compile-checks the Unreal plugin and sample without Unreal Engine.
#
#   tests/unreal-stub/check.sh
#
# No engine exists here, so every C++ file under unreal-sample/ is type-checked with
# `clang++ -fsyntax-only -std=c++20` (g++ when clang++ is missing, said loudly) against a
# test-only stub of the Unreal types and macros it uses (tests/unreal-stub/include/), after
# tests/unreal-stub/uht_stub.py has written the .generated.h files and linted what Unreal Header
# Tool would reject (generated.h include order, GENERATED_BODY count, Blueprint-incompatible types,
# AddDynamic targets that are not UFUNCTIONs). Each file is compiled for Linux without exceptions
# (Unreal's default) and for Windows with exceptions; files with PLATFORM_ branches also for Mac,
# Android and iOS. The .uplugin/.uproject files are validated as JSON (python3 -m json.tool), and
# the .Build.cs/.Target.cs files are compiled with mcs against a stub of UnrealBuildTool
# (tests/unreal-stub/UnrealBuildTool.cs) when mcs is installed.
#
# Prints one line per file and, last, "N passed, N failed". Exit status 0 only if all passed.
# UNREAL_CHECK_CXX=g++ forces a compiler.
# What this cannot check (UHT itself, UBT, linking, the editor) is listed in unreal-sample/README.md.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 2
STUB=tests/unreal-stub
PLUGIN=unreal-sample/Plugins/Xerial
SAMPLE=unreal-sample/Source/XerialSample

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1"; }

if [ -n "${UNREAL_CHECK_CXX:-}" ]; then
    CXX=$UNREAL_CHECK_CXX
    WARN=(-Wall -Wextra -Werror)
    echo "NOTE: checking with $CXX (UNREAL_CHECK_CXX)"
elif command -v clang++ >/dev/null 2>&1; then
    CXX=clang++
    WARN=(-Wall -Wextra -Werror -Wshadow -Wno-unused-private-field)
elif command -v g++ >/dev/null 2>&1; then
    CXX=g++
    WARN=(-Wall -Wextra -Werror)
    echo "NOTE: clang++ not installed, checking with g++ (apt-get install clang)"
else
    echo "FAIL - no C++ compiler (clang++ or g++)"
    echo "0 passed, 1 failed"
    exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "FAIL - python3 is needed for the UHT stub and the JSON checks"
    echo "0 passed, 1 failed"
    exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/xerial-unreal-check.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# The plugin's and the sample's C++ (not ThirdParty/: a staged copy of xerial.h is C, checked by
# the SDK's own tests).
mapfile -t HEADERS < <(find "$PLUGIN/Source/Xerial" "$SAMPLE" -name '*.h' | sort)
mapfile -t SOURCES < <(find "$PLUGIN/Source/Xerial" "$SAMPLE" -name '*.cpp' | sort)
mapfile -t JSONS < <(find unreal-sample -name '*.uplugin' -o -name '*.uproject' | sort)
mapfile -t CSHARP < <(find unreal-sample -name '*.cs' | sort)

python3 "$STUB/uht_stub.py" generate "$TMP/generated" "${HEADERS[@]}" || {
    echo "FAIL - uht_stub.py generate"
    echo "0 passed, 1 failed"
    exit 1
}

# The stub and the generated headers play engine headers: -isystem, so only the plugin's own
# code has to be warning-free (a static_assert in the stub is still an error).
INCLUDES=(-isystem "$STUB/include" -isystem "$TMP/generated" -I include -I "$PLUGIN/Source/Xerial/Public"
    -I "$PLUGIN/Source/Xerial/Private" -I "$SAMPLE")
DEFINES=(-DXERIAL_API= -DXERIALSAMPLE_API=)

# compile FILE CONFIG -> 0/1, errors in $TMP/err
compile() {
    local file=$1 config=$2 unit=$1 flags=()
    case "$config" in
    linux) flags=(-fno-exceptions) ;;
    windows) flags=(-fexceptions -DXERIAL_STUB_PLATFORM_WINDOWS=1) ;;
    mac) flags=(-fno-exceptions -DXERIAL_STUB_PLATFORM_MAC=1) ;;
    android) flags=(-fno-exceptions -DXERIAL_STUB_PLATFORM_ANDROID=1) ;;
    ios) flags=(-fno-exceptions -DXERIAL_STUB_PLATFORM_IOS=1) ;;
    windows-arm64) flags=(-fexceptions -DXERIAL_STUB_PLATFORM_WINDOWS=1 -DXERIAL_STUB_CPU_ARM=1) ;;
    esac
    if [[ "$file" == *.h ]]; then
        # A header must compile on its own (Unreal's IWYU rule): a unit that includes only it.
        unit="$TMP/unit_$(basename "$file").cpp"
        printf '#include "%s"\n' "$ROOT/$file" >"$unit"
    fi
    "$CXX" -fsyntax-only -std=c++20 "${WARN[@]}" "${flags[@]}" "${DEFINES[@]}" "${INCLUDES[@]}" "$unit" \
        >"$TMP/err" 2>&1
}

for file in "${HEADERS[@]}" "${SOURCES[@]}"; do
    reasons=()
    if ! python3 "$STUB/uht_stub.py" lint "$file" "${HEADERS[@]}" >"$TMP/lint" 2>&1; then
        while IFS= read -r line; do reasons+=("uht: $line"); done <"$TMP/lint"
    fi
    configs=(linux windows)
    if grep -q 'PLATFORM_' "$file"; then configs+=(mac android ios); fi
    if grep -q 'PLATFORM_CPU_' "$file"; then configs+=(windows-arm64); fi
    for config in "${configs[@]}"; do
        if ! compile "$file" "$config"; then
            reasons+=("$CXX ($config): $(grep -m1 -E 'error|warning' "$TMP/err" || head -n1 "$TMP/err")")
            sed "s/^/    /" "$TMP/err" | head -n 20
        fi
    done
    if [ ${#reasons[@]} -eq 0 ]; then
        pass "$file (${configs[*]})"
    else
        fail "$file: ${reasons[0]}"
        for r in "${reasons[@]:1}"; do echo "    $r"; done
    fi
done

# Behaviour: the async node's real code (XerialAsyncAction.cpp, XerialCall.cpp) run against a fake
# engine and a fake SDK poll (tests/unreal-stub/behaviour/): cancel, no game instance, ...
BEHAVIOUR=(behaviour/engine.cpp behaviour/fake_xerial.cpp behaviour/behaviour_test.cpp)
if "$CXX" -std=c++20 "${WARN[@]}" -fno-exceptions "${DEFINES[@]}" "${INCLUDES[@]}" -I "$STUB/behaviour" \
    "${BEHAVIOUR[@]/#/$STUB/}" "$PLUGIN/Source/Xerial/Private/XerialAsyncAction.cpp" \
    "$PLUGIN/Source/Xerial/Private/XerialCall.cpp" -o "$TMP/behaviour" >"$TMP/err" 2>&1; then
    timeout 60 "$TMP/behaviour" >"$TMP/behaviour.out" 2>&1
    grep -E '^(ok|FAIL) - ' "$TMP/behaviour.out"
    passed=$((passed + $(grep -c '^ok - ' "$TMP/behaviour.out")))
    failed=$((failed + $(grep -c '^FAIL - ' "$TMP/behaviour.out")))
    grep -qE '^[0-9]+ passed, 0 failed$' "$TMP/behaviour.out" || fail "behaviour harness: did not finish cleanly ($(tail -n 1 "$TMP/behaviour.out"))"
else
    sed "s/^/    /" "$TMP/err" | head -n 20
    fail "behaviour harness: does not build ($(grep -m1 -E 'error' "$TMP/err"))"
fi

# The platforms: Xerial.uplugin's PlatformAllowList, the platforms XerialLibrary.Build.cs has a
# library branch for, and the sample's list must be the same five (else a build breaks late).
if python3 - "$PLUGIN" "$SAMPLE" >"$TMP/platforms" 2>&1 <<'PYEOF'
import json, re, sys
plugin, sample = sys.argv[1], sys.argv[2]
allow = set()
for module in json.load(open(plugin + "/Xerial.uplugin"))["Modules"]:
    allow |= set(module.get("PlatformAllowList", []))
library = set(re.findall(r"Target\.Platform == UnrealTargetPlatform\.(\w+)",
                         open(plugin + "/Source/ThirdParty/XerialLibrary/XerialLibrary.Build.cs").read()))
text = open(sample + "/XerialSample.Build.cs").read()
listed = set(re.findall(r"UnrealTargetPlatform\.(\w+)", text[text.index("XerialPlatforms"):]))
if allow == library == listed:
    print(", ".join(sorted(allow)))
else:
    print("uplugin %s, XerialLibrary.Build.cs %s, XerialSample.Build.cs %s" % (sorted(allow), sorted(library), sorted(listed)))
    sys.exit(1)
PYEOF
then
    pass "platforms agree: Xerial.uplugin, XerialLibrary.Build.cs, XerialSample.Build.cs ($(cat "$TMP/platforms"))"
else
    fail "platforms disagree: $(tail -n 1 "$TMP/platforms")"
fi

for file in "${JSONS[@]}"; do
    if python3 -m json.tool "$file" >/dev/null 2>"$TMP/err"; then
        pass "$file (JSON)"
    else
        fail "$file: not valid JSON: $(head -n1 "$TMP/err")"
    fi
done

if command -v mcs >/dev/null 2>&1; then
    for file in "${CSHARP[@]}"; do
        if mcs -target:library -nologo -warnaserror+ -out:"$TMP/rules.dll" "$STUB/UnrealBuildTool.cs" "$file" \
            >"$TMP/err" 2>&1; then
            pass "$file (C# against the UnrealBuildTool stub)"
        else
            fail "$file: $(grep -m1 'error' "$TMP/err" || head -n1 "$TMP/err")"
        fi
    done
else
    echo "SKIPPED: mcs not installed: ${#CSHARP[@]} .Build.cs/.Target.cs files not compiled (apt-get install mono-devel)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
