#!/usr/bin/env bash
# Installs Debian's chromium, which tests/report_browser.rs renders the HTML reports with.
# Already there: nothing to do. Not root, or no apt-get: says so and leaves it (the browser
# test then skips itself, saying why). As root with apt-get: installs it, and fails if that
# fails, so CI never skips the browser test without saying so.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
    echo "install-chromium: $(command -v chromium) is installed"
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-chromium: not root or no apt-get: chromium not installed; the browser test of the HTML reports will be skipped"
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "install-chromium: installed $(command -v chromium)"
