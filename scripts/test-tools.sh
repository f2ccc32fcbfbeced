#!/usr/bin/env bash
# The tools the tests use from outside npm, installed when missing (Debian packages, as root or with sudo), so
# that `npm test` passes on a fresh machine as it stands. One line says what is being done; if it cannot be done,
# one line says what is missing and how to install it, and the tests do not start.
#   ipfs-cid       an independent CID calculator the IPFS tests compare against (binary ipfs_cid)
#   openssl        a self-signed certificate for the HTTPS test
#   zbar-tools     zbarimg reads label QR codes back
#   chromium-headless-shell  the journey page's and the console's browser tests (driven by playwright-core)
#   fonts-noto-cjk Chinese on labels and pictures as most servers have it, and in the browser tests' screenshots
#                  (without it, labels use the Noto Sans SC shipped in npm; a label test covers that case)
set -euo pipefail

missing=()
command -v ipfs_cid >/dev/null 2>&1 || missing+=(ipfs-cid)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
command -v chromium-headless-shell >/dev/null 2>&1 || missing+=(chromium-headless-shell)
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || missing+=(fonts-noto-cjk)
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then as_root=(); elif sudo -n true 2>/dev/null; then as_root=(sudo -n); else as_root=(none); fi
if [ "${as_root[*]-}" = "none" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "npm test needs ${missing[*]}: install them (Debian: sudo apt-get install ${missing[*]}) and run it again" >&2
  exit 1
fi
echo "npm test: installing what the tests use from outside npm: ${missing[*]} (apt-get)"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq >/dev/null
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
