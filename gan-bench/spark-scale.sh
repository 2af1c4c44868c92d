#!/usr/bin/env bash
# gan-spark against ganeval stats on the same images and network (docs/scale.md): one machine, Spark local[2], and a
# standalone cluster on 127.0.0.1 with one executor of 2 cores and with two executors of 1 core; then, in one warm JVM,
# ganeval stats's pipeline against the Spark job without the start-up (gan-bench/spark/SparkWarmOverhead.java).
# usage: gan-bench/spark-scale.sh WEIGHTS.pth [IMAGES=400] [all|one-executor]
#   one-executor: only one machine and the standalone cluster's one executor of 2 cores (for large IMAGES)
#   WEIGHTS.pth: pytorch-fid's Inception-v3 weights, or the published widths with random weights
#   (/usr/bin/python3 gan-bench/peers/inception_fid_torch.py /tmp/inception writes /tmp/inception/full_legacy.pth).
# Needs Debian's python3-numpy and python3-pil to write the images.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
weights="$(realpath "$1")"
n="${2:-400}"
mode="${3:-all}"
case "$mode" in all|one-executor) ;; *) echo "usage: $0 WEIGHTS.pth [IMAGES] [all|one-executor]" >&2; exit 2 ;; esac
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do pkill -9 -P "$p" 2>/dev/null || true; kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

/usr/bin/python3 - "$work/images" "$n" <<'PY'
import sys, os, numpy as np
from PIL import Image
out, n = sys.argv[1], int(sys.argv[2]); os.makedirs(out)
r = np.random.default_rng(0)
for i in range(n):
    Image.fromarray(r.integers(0, 256, (32, 32, 3), dtype=np.uint8)).save(f"{out}/{i:05d}.png")
PY
"$root/ganeval" --version >/dev/null   # builds ganeval.jar first, outside the timings
"$root/ganeval" stats "$work/images" "$work/warm.npz" --quiet --spark 'local[1]' --network inception \
  --inception-weights "$weights" >/dev/null  # builds gan-spark and caches the Inception graph

timed() {  # label, command...: wall seconds and the command's own line
  local label="$1"; shift
  local t0 t1 line
  t0=$(date +%s.%N); line="$("$@" 2>"$work/err")" || { cat "$work/err" >&2; exit 1; }; t1=$(date +%s.%N)
  printf '%-44s wall %6.1f s  %s\n' "$label" "$(echo "$t1 - $t0" | bc)" "$line"
}
opts=(--quiet --network inception --inception-weights "$weights")
timed "one machine (ganeval stats)" "$root/ganeval" stats "$work/images" "$work/one.npz" "${opts[@]}"
[ "$mode" = all ] && timed "spark local[2]" "$root/ganeval" stats "$work/images" "$work/local.npz" "${opts[@]}" --spark 'local[2]'

# A standalone cluster from the launcher's class path: SPARK_HOME/jars links it (no Spark distribution needed).
home="$work/spark-home"; mkdir -p "$home/jars"
i=0
for j in "$root"/gan-cli/target/ganeval.jar "$root"/gan-spark/target/gan-spark-*.jar \
    $(tr ':' ' ' < "$root/gan-spark/target/launcher/runtime-classpath"); do
  ln -s "$j" "$home/jars/$(printf %03d $i)-$(basename "$j")"; i=$((i + 1))
done
flags=$(cat "$root/gan-spark/target/launcher/java-options")
log4j="-Dlog4j2.configurationFile=$root/gan-spark/src/main/resources/dev/ganeval/spark/log4j2.properties"
port=7199
cluster() {  # workers, cores each
  for p in "${pids[@]}"; do pkill -9 -P "$p" 2>/dev/null || true; kill -9 "$p" 2>/dev/null || true; done; pids=()
  # shellcheck disable=SC2086
  java $flags "$log4j" -Xmx256m -cp "$home/jars/*" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
    --port $port --webui-port 0 >"$work/master.log" 2>&1 & pids+=($!)
  for w in $(seq 1 "$1"); do
    mkdir -p "$work/w$w"
    # shellcheck disable=SC2086
    SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13 ORT_DISABLE_TELEMETRY=1 SPARK_LOCAL_DIRS="$work/w$w" \
      java $flags "$log4j" -Xmx256m -cp "$home/jars/*" org.apache.spark.deploy.worker.Worker spark://127.0.0.1:$port \
      --cores "$2" --memory 2g --host 127.0.0.1 --webui-port 0 --work-dir "$work/w$w" >"$work/worker$w.log" 2>&1 & pids+=($!)
  done
  sleep 8
}
conf="-Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1 -Dspark.cores.max=2 -Dspark.executor.memory=1500m"
cluster 1 2
GANEVAL_JAVA_OPTS="$conf -Dspark.executor.cores=2 -Dspark.task.cpus=2" \
  timed "standalone, 1 executor x 2 cores" "$root/ganeval" stats "$work/images" "$work/c1.npz" "${opts[@]}" --spark spark://127.0.0.1:$port
if [ "$mode" = all ]; then
  cluster 2 1
  GANEVAL_JAVA_OPTS="$conf -Dspark.executor.cores=1" \
    timed "standalone, 2 executors x 1 core" "$root/ganeval" stats "$work/images" "$work/c2.npz" "${opts[@]}" --spark spark://127.0.0.1:$port
  # The job's own cost per image, start-up left out: one warm JVM, the two pipelines in turn (the first round warms up).
  # shellcheck disable=SC2086
  ORT_DISABLE_TELEMETRY=1 java $flags "$log4j" -cp "$(cat "$root/gan-spark/target/launcher/runtime-classpath"):$root/gan-spark/target/classes" \
    "$root/gan-bench/spark/SparkWarmOverhead.java" "$weights" "$work/images" 2 3
fi
/usr/bin/python3 - "$work" <<'PY'
import sys, numpy as np
w = sys.argv[1]; one = np.load(f"{w}/one.npz")
import os
for k in ("local", "c1", "c2"):
    if not os.path.exists(f"{w}/{k}.npz"): continue
    s = np.load(f"{w}/{k}.npz")
    print(f"{k}: n={int(s['n'])}, sigma max rel diff vs one machine {abs(s['sigma'] - one['sigma']).max() / abs(one['sigma']).max():.1e}")
PY
