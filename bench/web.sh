#!/usr/bin/env bash
# The browser version's speed, memory and size in headless Chromium, beside the CLI (see
# bench/web.py). Builds what it needs; installs Chromium by name when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
fi
cargo build --release --locked -p patronal
web/build.sh
python3 bench/web.py "$@"
