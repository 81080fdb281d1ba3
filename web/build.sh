#!/usr/bin/env bash
# Builds the browser version into web/dist/: the engine compiled to WebAssembly
# (crates/patronal-web), its wasm-bindgen glue, and the static page. Installs what it needs
# by name: the wasm32 target, and the wasm-bindgen-cli of the crate's wasm-bindgen version.
# Serve the folder with any static host: python3 -m http.server -d web/dist
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v rustup >/dev/null; then
    rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown
fi

# The command-line tool must be the very version of the wasm-bindgen crate in Cargo.lock.
version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$version" ]; then
    echo "build.sh: installing wasm-bindgen-cli $version" >&2
    cargo install wasm-bindgen-cli --version "$version"
fi

cargo build --locked --release -p patronal-web --target wasm32-unknown-unknown
out=web/dist
rm -rf "$out"
mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" \
    "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/patronal_web.wasm"
cp web/index.html web/style.css web/app.js web/worker.js "$out/"
# The offline cache is named after what it holds: a new build replaces it.
stamp=$(cat "$out"/*.wasm "$out"/*.js "$out"/*.html "$out"/*.css | sha256sum | cut -c1-12)
sed "s/@VERSION@/$stamp/" web/sw.js >"$out/sw.js"
wasm=$(stat -c %s "$out/patronal_web_bg.wasm")
gz=$(gzip -9 -c "$out/patronal_web_bg.wasm" | wc -c)
echo "build.sh: $out ready (patronal_web_bg.wasm $((wasm / 1024)) KiB, $((gz / 1024)) KiB gzipped)" >&2
