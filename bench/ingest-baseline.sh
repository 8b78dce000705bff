#!/bin/sh
# Builds the copy that `BENCH_BASELINE=DIR npm run bench:ingest` runs side by side with the
# working tree: this checkout's HEAD, with the ingest service (services/ingest/src) and the kit's
# batch loop taken from an older COMMIT, and its own node_modules (hard links; the @warmcast
# links are relative, so they point into the copy, not back here).
#   sh bench/ingest-baseline.sh 48a53e4 /tmp/ingest-old
#   BENCH_BASELINE=/tmp/ingest-old BENCH_ROUNDS=3 BENCH_STAGES=0 BENCH_E2E=lean/lean BENCH_PROFILER=0 npm run bench:ingest
set -eu
COMMIT=${1:?usage: ingest-baseline.sh COMMIT DIR}
DIR=${2:?usage: ingest-baseline.sh COMMIT DIR}
ROOT=$(git rev-parse --show-toplevel)
rm -rf "$DIR"
mkdir -p "$DIR"
git -C "$ROOT" archive HEAD | tar -x -C "$DIR"
rm -rf "$DIR/services/ingest/src"
git -C "$ROOT" archive "$COMMIT" services/ingest/src packages/kit/src/consumer/batch-loop.ts | tar -x -C "$DIR"
cp -al "$ROOT/node_modules" "$DIR/node_modules"
for nm in "$ROOT"/packages/*/node_modules "$ROOT"/services/*/node_modules; do
  [ -d "$nm" ] && cp -al "$nm" "$DIR/${nm#"$ROOT"/}"
done
echo "baseline in $DIR: HEAD $(git -C "$ROOT" rev-parse --short HEAD) with ingest from $COMMIT"
