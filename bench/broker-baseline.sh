#!/bin/sh
# Builds the copy that `BENCH_BASELINE=DIR npx tsx bench/broker-cpu.bench.ts` runs side by side
# (and whose `npm run bench:ingest` runs the same ingest against the old broker)
# with the working tree: this checkout's HEAD with the broker (packages/broker/src), the codec
# (packages/kafka-protocol/src) and the CLI entry (packages/cli/src/main.ts, which decides what
# a `warmcast broker` process imports) taken from an older COMMIT, and its own node_modules
# (hard links; the @warmcast links are relative, so they point into the copy).
#   sh bench/broker-baseline.sh 43aeb73 /tmp/broker-old
#   BENCH_BASELINE=/tmp/broker-old npx tsx bench/broker-cpu.bench.ts
set -eu
COMMIT=${1:?usage: broker-baseline.sh COMMIT DIR}
DIR=${2:?usage: broker-baseline.sh COMMIT DIR}
ROOT=$(git rev-parse --show-toplevel)
rm -rf "$DIR"
mkdir -p "$DIR"
git -C "$ROOT" archive HEAD | tar -x -C "$DIR"
rm -rf "$DIR/packages/broker/src" "$DIR/packages/kafka-protocol/src" "$DIR/packages/cli/src/main.ts"
git -C "$ROOT" archive "$COMMIT" packages/broker/src packages/kafka-protocol/src packages/cli/src/main.ts | tar -x -C "$DIR"
cp -al "$ROOT/node_modules" "$DIR/node_modules"
for nm in "$ROOT"/packages/*/node_modules "$ROOT"/services/*/node_modules; do
  [ -d "$nm" ] && cp -al "$nm" "$DIR/${nm#"$ROOT"/}"
done
echo "baseline in $DIR: HEAD $(git -C "$ROOT" rev-parse --short HEAD) with broker and codec from $COMMIT"
