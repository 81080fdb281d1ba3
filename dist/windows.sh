#!/usr/bin/env bash
# The Windows build, cross-compiled on Debian: target/dist/patronal-windows-x86_64.zip with
# patronal.exe (x86_64-pc-windows-gnu, the C runtime linked statically: no DLL beside it;
# its version and description in its resources, build.rs), README.md, README.es.md and
# samples/. Installs what it needs when missing: the Rust target (rustup) and MinGW-w64
# (apt-get, as root). CARGO_TARGET_DIR is honoured.
set -euo pipefail
cd "$(dirname "$0")/.."

target=x86_64-pc-windows-gnu
if ! rustup target list --installed | grep -qx "$target"; then
    rustup target add "$target"
fi
if ! command -v x86_64-w64-mingw32-gcc >/dev/null || ! command -v x86_64-w64-mingw32-windres >/dev/null; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 >/dev/null
fi
for tool in zip; do
    command -v "$tool" >/dev/null || {
        [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zip >/dev/null
    }
done

export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
# The C runtime (libgcc, winpthreads) inside the exe: a user's Windows has no MinGW DLLs.
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS="-C target-feature=+crt-static"
cargo build --locked --release --target "$target" --bin patronal

target_dir=${CARGO_TARGET_DIR:-target}
exe="$target_dir/$target/release/patronal.exe"
# Only Windows' own DLLs may be imported.
dlls=$(x86_64-w64-mingw32-objdump -p "$exe" | sed -n 's/^\s*DLL Name: //p' | tr 'A-Z' 'a-z' | sort -u)
for dll in $dlls; do
    case "$dll" in
        kernel32.dll | advapi32.dll | ntdll.dll | ws2_32.dll | userenv.dll | bcrypt.dll | bcryptprimitives.dll | \
            msvcrt.dll | shell32.dll | ole32.dll | oleaut32.dll | user32.dll | synchronization.dll | \
            api-ms-win-*) ;;
        *) echo "error: $exe imports $dll, which Windows does not ship" >&2; exit 1 ;;
    esac
done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/patronal"
cp "$exe" "$stage/patronal/patronal.exe"
cp README.md README.es.md "$stage/patronal/"
cp -r samples "$stage/patronal/samples"
mkdir -p target/dist
zip_path="$PWD/target/dist/patronal-windows-x86_64.zip"
rm -f "$zip_path"
(cd "$stage/patronal" && zip -q -r -X "$zip_path" patronal.exe README.md README.es.md samples)
echo "$zip_path"
