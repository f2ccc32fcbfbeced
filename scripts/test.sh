#!/usr/bin/env bash
# The README's test command: every stage, stopping at the first step that fails, then how long each stage took
# (so that a slow stage shows up in every run, on every machine).
set -uo pipefail
cd "$(dirname "$0")/.."

# Stages in order; the parts of one step (`|`) run side by side, each part's stages (`;`) one after another. The
# unit tests need no build, and the build (one TypeScript compiler) and the contract tests leave one of two cores
# idle: alone, the build took 18 s for 27 CPU-s, the contracts 5 s for 6, the unit tests 34 s for 63 (2026-12-05).
# A part's output is printed whole when its step ends, not interleaved.
steps=(
  "tools:bash scripts/test-tools.sh"
  "build:npm run --silent build;contracts:npm run --silent test:contracts|unit:npm run --silent test:unit"
  "e2e:npm run --silent test:e2e"
)

# Node's on-disk cache of compiled code (Node ≥ 22.1): the e2e run starts the built service, the CLI and the demo
# as processes dozens of times, each of which would otherwise compile the same modules again (a service start took
# 4.3 s of CPU with the cache against 4.9 s without, 2026-12-05).
export NODE_COMPILE_CACHE="${NODE_COMPILE_CACHE:-$PWD/node_modules/.cache/node-compile}"

# js-ipfs, the Kubo RPC daemon of two e2e suites, is installed outside package.json on first use
# (test/support/jsipfs-install.ts): started now, it installs while the build and the unit tests run (niced, so
# that they keep the CPU first).
jsipfs_log=$(mktemp)
nice -n 10 node test/support/jsipfs-install.ts >"$jsipfs_log" 2>&1 &
jsipfs_pid=$!
work=$(mktemp -d)

# Runs one part's stages in order, stopping at the first that fails; appends "name outcome seconds" to $2.
run_part() {
  local part=$1 results=$2 stage name command begin outcome stages
  IFS=';' read -ra stages <<<"$part"
  for stage in "${stages[@]}"; do
    name=${stage%%:*}
    command=${stage#*:}
    echo "== npm test: ${name} (${command})"
    begin=$SECONDS
    if bash -c "$command"; then outcome=passed; else outcome=FAILED; fi
    echo "$name $outcome $((SECONDS - begin))" >>"$results"
    [ "$outcome" = passed ] || return 1
  done
}

report=()
status=0
started=$SECONDS
for step in "${steps[@]}"; do
  if [ "${step%%:*}" = e2e ]; then
    # A failed install is not fatal here: the suites that need it try again and say why it failed.
    wait "$jsipfs_pid" || echo "== npm test: the js-ipfs install failed; the Kubo suites will try again"
    cat "$jsipfs_log"
  fi
  IFS='|' read -ra parts <<<"$step"
  rm -f "$work"/results-* "$work"/part-*.log
  if [ "${#parts[@]}" -eq 1 ]; then
    run_part "${parts[0]}" "$work/results-0"
  else
    names=$(for part in "${parts[@]}"; do IFS=';' read -ra stages <<<"$part"; printf '%s ' "${stages[@]%%:*}"; done)
    echo "== npm test: side by side (each one's output when all have ended): ${names% }"
    pids=()
    for i in "${!parts[@]}"; do
      run_part "${parts[$i]}" "$work/results-$i" >"$work/part-$i.log" 2>&1 &
      pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid"; done
    for i in "${!parts[@]}"; do cat "$work/part-$i.log"; done
  fi
  for i in "${!parts[@]}"; do
    while read -r name outcome seconds; do
      report+=("$(printf '%-10s %-7s %4d s' "$name" "$outcome" "$seconds")")
      [ "$outcome" = passed ] || status=1
    done <"$work/results-$i"
  done
  [ "$status" -eq 0 ] || break
done

echo "== npm test: stage times"
printf '  %s\n' "${report[@]}"
printf '  %-10s %-7s %4d s\n' total "$([ "$status" -eq 0 ] && echo passed || echo FAILED)" $((SECONDS - started))
kill "$jsipfs_pid" 2>/dev/null || true
rm -rf "$jsipfs_log" "$work"
exit "$status"
