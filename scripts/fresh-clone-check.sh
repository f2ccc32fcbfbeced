#!/usr/bin/env bash
# What a newcomer gets: clones the repository into a temporary folder (with no ../shared beside it), runs the
# README's two commands with a timer, waits for /health, and prints the install's package count and size, the
# times and each part's health, then one JSON line. Exits 0 only if /health says ok.
#   scripts/fresh-clone-check.sh [repository]   (default: this checkout)
set -euo pipefail

repository="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
work="$(mktemp -d /tmp/carbontrace-fresh-XXXXXX)"
chmod 755 "$work"
service_pid=""
cleanup() {
  if [ -n "$service_pid" ]; then kill -TERM "$service_pid" 2>/dev/null || true; wait "$service_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false HARDHAT_DISABLE_TELEMETRY=true
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

echo "fresh-clone-check: cloning $repository into $work/carbontrace" >&2
git clone -q "$repository" "$work/carbontrace"
cd "$work/carbontrace"

started="$(now)"
npm install --no-progress >"$work/install.log" 2>&1 || { tail -20 "$work/install.log" >&2; exit 1; }
install_s="$(seconds "$started" "$(now)")"
packages="$(grep -oE 'added [0-9]+ packages' "$work/install.log" | grep -oE '[0-9]+' || echo 0)"
size_mb="$(du -sm node_modules | cut -f1)"
echo "fresh-clone-check: npm install ${install_s} s, ${packages} packages, ${size_mb} MB" >&2

port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
started="$(now)"
PORT="$port" DATA_DIR="$work/data" LOG_FORMAT=json npm start >"$work/start.log" 2>&1 &
service_pid=$!
health=""
status="none"
for _ in $(seq 1 300); do # the build, then the first start: 2.5 min at most
  health="$(curl -s -m 5 "http://127.0.0.1:$port/health" || true)"
  status="$(printf '%s' "$health" | node -e 'let t="";process.stdin.on("data",d=>t+=d).on("end",()=>{try{console.log(JSON.parse(t).status)}catch{console.log("none")}})')"
  [ "$status" = "ok" ] && break
  kill -0 "$service_pid" 2>/dev/null || break
  sleep 0.5
done
start_s="$(seconds "$started" "$(now)")"
parts="$(printf '%s' "$health" | node -e 'let t="";process.stdin.on("data",d=>t+=d).on("end",()=>{try{const h=JSON.parse(t);console.log(["database","chain","ipfs","epcis","anchoring","labels"].map(p=>`${p} ${h[p]?.status}${h[p]?.status==="ok"?"":": "+h[p]?.detail}`).join("\n"))}catch{console.log("no answer")}})')"
echo "fresh-clone-check: npm start to /health ${status} in ${start_s} s" >&2
echo "$parts" | sed 's/^/  /' >&2
[ "$status" = "ok" ] || tail -5 "$work/start.log" >&2
printf '{"ok":%s,"installSeconds":%s,"packages":%s,"installMB":%s,"startSeconds":%s,"health":"%s"}\n' \
  "$([ "$status" = "ok" ] && echo true || echo false)" "$install_s" "$packages" "$size_mb" "$start_s" "$status"
[ "$status" = "ok" ]
