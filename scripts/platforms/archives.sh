# shellcheck shell=bash
# scripts/platforms/archives.sh - the packages a studio installs as they are, made from release.sh's
# output folder (sourced by release.sh after lib.sh; checked by package-check.sh).
#
#   com.xerial.sdk-<version>.tgz        the UPM package (npm-pack layout: package/…), for Unity's
#                                       Package Manager > + > Add package from tarball
#   XerialUnrealPlugin-<version>.zip    the Unreal plugin folder Xerial/, libraries in place
#
# Which library goes where is data, the two tables below. The Unity side needs no table: the
# output folder's names are the package's Runtime/Plugins/<os>-<arch>/ names, so every library
# whose .meta the package carries is taken when release.sh built it (linux-x86_64/libxerial.so,
# windows-x86_64/xerial.dll, WebGL/libxerial.a …); a .meta without its library is left out with its
# folder, since Unity refuses an orphan .meta in an immutable package.

# shellcheck disable=SC2034  # read by package-check.sh
ARCHIVE_UNITY_PACKAGE=unity-sample/Packages/com.xerial.sdk
ARCHIVE_UNREAL_PLUGIN=unreal-sample/Plugins/Xerial

# The Unreal plugin: "file in release.sh's output <TAB> path in the plugin folder". The first
# three are what every studio needs (Win64, Linux, the header); Android is there when built.
ARCHIVE_UNREAL_FILES=(
    "include/xerial.h	Source/ThirdParty/XerialLibrary/include/xerial.h"
    "linux-x86_64/libxerial.so	Source/ThirdParty/XerialLibrary/lib/Linux/libxerial.so"
    "windows-x86_64/xerial.dll.lib	Source/ThirdParty/XerialLibrary/lib/Win64/xerial.dll.lib"
    "windows-x86_64/xerial.dll	Binaries/ThirdParty/XerialLibrary/Win64/xerial.dll"
    "android-arm64/libxerial.a	Source/ThirdParty/XerialLibrary/lib/Android/arm64-v8a/libxerial.a"
)
ARCHIVE_UNREAL_REQUIRED=3

# archive_version FILE KEY : a top-level string of a JSON file (package.json "version", the
# .uplugin's "VersionName").
archive_version() {
    python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

# archive_unity_libraries OUT : "<folder>/<file>" of every library OUT has a Runtime/Plugins .meta for.
archive_unity_libraries() {
    local meta rel
    while IFS= read -r meta; do
        rel=${meta#"$ARCHIVE_UNITY_PACKAGE/Runtime/Plugins/"}
        rel=${rel%.meta}
        [ -f "$1/$rel" ] && echo "$rel"
    done < <(find "$ARCHIVE_UNITY_PACKAGE/Runtime/Plugins" -mindepth 2 -name '*.meta' | sort)
}

# archive_unity OUT : OUT/com.xerial.sdk-<version>.tgz from the package and OUT's libraries.
archive_unity() {
    local out=$1 work version rel plugins taken=()
    version=$(archive_version "$ARCHIVE_UNITY_PACKAGE/package.json" version) || {
        plat_fail "UPM tarball" "cannot read the version of $ARCHIVE_UNITY_PACKAGE/package.json"
        return
    }
    work=$(mktemp -d)
    mkdir -p "$work/package"
    # Everything but dotfiles and libraries someone copied into the sample (--into-samples).
    (cd "$ARCHIVE_UNITY_PACKAGE" && find . -type f ! -path '*/.*' ! -path './Runtime/Plugins/*/*' ! -path './Runtime/Plugins/*.meta' -print0 |
        xargs -0 cp --parents -t "$work/package") || { plat_fail "UPM tarball" "copying the package failed"; rm -rf "$work"; return; }
    while IFS= read -r rel; do
        plugins="$work/package/Runtime/Plugins"
        mkdir -p "$plugins/$(dirname "$rel")"
        cp "$out/$rel" "$ARCHIVE_UNITY_PACKAGE/Runtime/Plugins/$rel.meta" "$plugins/$(dirname "$rel")/"
        cp "$ARCHIVE_UNITY_PACKAGE/Runtime/Plugins/$(dirname "$rel").meta" "$plugins/"
        taken+=("$rel")
    done < <(archive_unity_libraries "$out")
    local tgz="$out/com.xerial.sdk-$version.tgz"
    if [ ${#taken[@]} -eq 0 ]; then
        plat_fail "UPM tarball" "no library in $out for any Runtime/Plugins folder"
    elif (cd "$work" && tar --sort=name --owner=0 --group=0 --numeric-owner --mode=u+rw,go+r,go-w \
        --mtime="@${SOURCE_DATE_EPOCH:-$(git -C "$PLAT_ROOT" log -1 --format=%ct 2>/dev/null || echo 0)}" -czf "$tgz" package); then
        plat_ok "UPM tarball $(basename "$tgz") ($(($(stat -c %s "$tgz") / 1048576)) MB): ${taken[*]}"
    else
        plat_fail "UPM tarball" "tar failed"
    fi
    rm -rf "$work"
}

# archive_unreal OUT : OUT/XerialUnrealPlugin-<version>.zip, the plugin folder Xerial/ with the
# libraries in ARCHIVE_UNREAL_FILES.
archive_unreal() {
    local out=$1 work version row from to i=0 placed=() missing=()
    version=$(archive_version "$ARCHIVE_UNREAL_PLUGIN/Xerial.uplugin" VersionName) || {
        plat_fail "Unreal plugin zip" "cannot read VersionName of $ARCHIVE_UNREAL_PLUGIN/Xerial.uplugin"
        return
    }
    work=$(mktemp -d)
    mkdir -p "$work/Xerial"
    # The plugin's sources, without dotfiles or what stage-library.sh put there.
    (cd "$ARCHIVE_UNREAL_PLUGIN" && find . -type f ! -path '*/.*' ! -path './Binaries/*' \
        ! -path './Source/ThirdParty/XerialLibrary/include/*' ! -path './Source/ThirdParty/XerialLibrary/lib/*/*' -print0 |
        xargs -0 cp --parents -t "$work/Xerial") || { plat_fail "Unreal plugin zip" "copying the plugin failed"; rm -rf "$work"; return; }
    for row in "${ARCHIVE_UNREAL_FILES[@]}"; do
        i=$((i + 1))
        IFS=$'\t' read -r from to <<<"$row"
        if [ -f "$out/$from" ]; then
            mkdir -p "$work/Xerial/$(dirname "$to")"
            cp "$out/$from" "$work/Xerial/$to"
            placed+=("$to")
        elif [ "$i" -le "$ARCHIVE_UNREAL_REQUIRED" ]; then
            missing+=("$from")
        fi
    done
    local zip="$out/XerialUnrealPlugin-$version.zip"
    rm -f "$zip"
    if [ ${#missing[@]} -gt 0 ]; then
        plat_fail "Unreal plugin zip" "not built: ${missing[*]}"
    elif (cd "$work" && python3 -m zipfile -c "$zip" Xerial); then
        plat_ok "Unreal plugin zip $(basename "$zip") ($(($(stat -c %s "$zip") / 1048576)) MB): ${#placed[@]} SDK files in place"
    else
        plat_fail "Unreal plugin zip" "python3 -m zipfile failed"
    fi
    rm -rf "$work"
}
