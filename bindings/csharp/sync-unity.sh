#!/usr/bin/env bash
# bindings/csharp/sync-unity.sh - copies the binding (bindings/csharp/src) into the Unity package
# (unity-sample/Packages/com.xerial.sdk/Runtime/Binding) and gives every file and folder of the
# package and of the sample's Assets a .meta with a stable GUID when it has none.
#
# bindings/csharp/src is the one source; the package holds a copy because a UPM package must
# contain its scripts. The C# tests fail while the copy differs: run this script, then commit both.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SRC="$ROOT/bindings/csharp/src"
SAMPLE="$ROOT/unity-sample"
PKG="$SAMPLE/Packages/com.xerial.sdk"
DEST="$PKG/Runtime/Binding"

mkdir -p "$DEST"
# Copy every .cs, then drop copies whose source is gone (with their .meta).
(cd "$SRC" && find . -name '*.cs' -print) | while read -r f; do
    mkdir -p "$DEST/$(dirname "$f")"
    cmp -s "$SRC/$f" "$DEST/$f" || cp "$SRC/$f" "$DEST/$f"
done
(cd "$DEST" && find . -name '*.cs' -print) | while read -r f; do
    [ -f "$SRC/$f" ] || rm -f "$DEST/$f" "$DEST/$f.meta"
done
find "$DEST" -mindepth 1 -type d -empty -delete

guid() { printf 'xerial:%s' "$1" | md5sum | cut -c1-32; }

# A .meta for every asset Unity imports: not under "~" folders, not dot files, not the metas.
write_meta() {
    local path=$1 rel=$2 importer
    [ -e "$path.meta" ] && return 0
    if [ -d "$path" ]; then
        printf 'fileFormatVersion: 2\nguid: %s\nfolderAsset: yes\nDefaultImporter:\n  externalObjects: {}\n  userData: \n  assetBundleName: \n  assetBundleVariant: \n' "$(guid "$rel")" >"$path.meta"
        return 0
    fi
    case "$path" in
    *.cs) importer='MonoImporter:\n  externalObjects: {}\n  serializedVersion: 2\n  defaultReferences: []\n  executionOrder: 0\n  icon: {instanceID: 0}\n  userData: \n  assetBundleName: \n  assetBundleVariant: \n' ;;
    *.asmdef) importer='AssemblyDefinitionImporter:\n  externalObjects: {}\n  userData: \n  assetBundleName: \n  assetBundleVariant: \n' ;;
    *.json | *.md | *.xml | *.txt) importer='TextScriptImporter:\n  externalObjects: {}\n  userData: \n  assetBundleName: \n  assetBundleVariant: \n' ;;
    *.unity) importer='DefaultImporter:\n  externalObjects: {}\n  userData: \n  assetBundleName: \n  assetBundleVariant: \n' ;;
    *) return 0 ;; # native plugins have hand-written PluginImporter metas
    esac
    printf "fileFormatVersion: 2\nguid: %s\n$importer" "$(guid "$rel")" >"$path.meta"
}

for top in "$PKG" "$SAMPLE/Assets"; do
    (cd "$SAMPLE" && find "${top#"$SAMPLE"/}" -mindepth 1 \( -name '*~' -o -name '.*' \) -prune -o -print) | while read -r rel; do
        case "$rel" in *.meta) continue ;; esac
        [ "$rel" = "Packages/com.xerial.sdk" ] && continue
        write_meta "$SAMPLE/$rel" "$rel"
    done
done
# Orphan metas (their asset deleted) other than the native plugins', which wait for the binaries.
find "$PKG" "$SAMPLE/Assets" -name '*.meta' -not -path '*/Plugins/*' | while read -r m; do
    [ -e "${m%.meta}" ] || rm -f "$m"
done
echo "sync-unity: $DEST is up to date with $SRC"
