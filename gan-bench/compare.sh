#!/usr/bin/env bash
# Side-by-side timing of ganeval against the Python peers, in one run on this machine.
#   gan-bench/compare.sh gemm        GEMM (JMH) vs numpy/OpenBLAS matmul on the same shapes
#   gan-bench/compare.sh parzen      Parzen 10-σ grid (JMH) vs numpy's single σ on MNIST
#   gan-bench/compare.sh fid         FID distance and statistics (JMH) vs scipy sqrtm / numpy on the same kind of features
#   gan-bench/compare.sh gan         one GAN training epoch (JMH) vs PyTorch CPU on the same architecture
#   gan-bench/compare.sh metrics     IS, KID, PRDC, exact and sliced Wasserstein (JMH) vs numpy / sklearn / POT
#   gan-bench/compare.sh features    pytorch-fid's Inception-v3 from its checkpoint, preprocessing included, vs PyTorch CPU,
#                                    with GFLOP/s against this machine's FMA peak (FmaPeak)
#   gan-bench/compare.sh vit         DINOv2 (ARCH=vitl14, N=8 inputs) built from a checkpoint vs PyTorch CPU, network alone,
#                                    with GFLOP/s against the FMA peak; NET=clip (N=4) for CLIP ViT-L/14@336
#   gan-bench/compare.sh decode      reading 40 RGB 1024x1024 PNGs on 1 and THREADS threads vs PIL's open + convert on one
#   gan-bench/compare.sh cmmd        CMMD on N=30000 x D=768 embeddings a side vs numpy's same computation
#   gan-bench/compare.sh wgan        WGAN-GP critic, WIDTH=512 x DEPTH=2, STEPS=2000 of BATCH=256 on N=10000 x D=2048 a side
#                                    vs PyTorch CPU (torch.autograd's double backward), one run each
# Prints a table of medians (with min-max spread) and the ratio ours/peer; lower time is better.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
what="${1:-gemm}"
jar="$root/gan-bench/target/benchmarks.jar"
out="$root/gan-bench/target/compare"
mkdir -p "$out"

if [ ! -f "$jar" ] || [ -n "$(find "$root" -name '*.java' -path '*/src/main/*' -newer "$jar" -print -quit)" ]; then
  (cd "$root" && mvn -B -q -DskipTests -Dganeval.fetch.skip=true -pl gan-bench -am package)
fi

# A python3 with numpy: the one on PATH, else Debian's (installed when missing and we are root).
py=python3
if ! "$py" -c 'import numpy' 2>/dev/null; then
  py=/usr/bin/python3
  if ! "$py" -c 'import numpy' 2>/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "compare: needs numpy (apt-get install python3-numpy)" >&2; exit 1; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-numpy >/dev/null
  fi
fi
threads="${THREADS:-2}"
export OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads"

case "$what" in
  gemm)
    shapes="${SHAPES:-1024x1024x1024,2048x2048x2048,10000x10000x784t}"
    echo "# peer: $("$py" -c 'import numpy, sys; c=numpy.show_config(mode="dicts") if hasattr(numpy,"show_config") else {}; b=c.get("Build Dependencies",{}).get("blas",{}); print("numpy", numpy.__version__, b.get("name","?"), b.get("version",""))' 2>/dev/null || echo numpy)"
    echo "# ours: $(java -version 2>&1 | sed -n 1p), $threads threads"
    java --add-modules jdk.incubator.vector -jar "$jar" GemmBenchmark -p shape="$shapes" -p threads="$threads" \
      -rf json -rff "$out/gemm-jmh.json" > "$out/gemm-jmh.log" 2>&1
    "$py" "$root/gan-bench/peers/gemm_numpy.py" "$shapes" > "$out/gemm-numpy.jsonl"
    "$py" - "$out/gemm-jmh.json" "$out/gemm-numpy.jsonl" <<'PY'
import json, sys
jmh = json.load(open(sys.argv[1]))
peer = {r["shape"]: r for r in map(json.loads, open(sys.argv[2]))}
print("| shape (m×n×k) | ours ms (min–max) | ours GFLOP/s | numpy ms (min–max) | numpy GFLOP/s | ours/numpy throughput | goal ≥ 0.6 |")
print("|---|---|---|---|---|---|---|")
for r in jmh:
    shape = r["params"]["shape"]
    raw = sorted(x for it in r["primaryMetric"]["rawData"] for x in it)
    med = raw[len(raw) // 2]
    m, n, k = (int(x) for x in shape.rstrip("t").split("x"))
    flop = 2.0 * m * n * k
    p = peer[shape]
    ratio = p["median_ms"] / med
    print(f"| {shape} | {med:.1f} ({raw[0]:.1f}–{raw[-1]:.1f}) | {flop / med / 1e6:.0f} | "
          f"{p['median_ms']:.1f} ({p['min_ms']:.1f}–{p['max_ms']:.1f}) | {flop / p['median_ms'] / 1e6:.0f} | "
          f"{ratio:.2f} | {'met' if ratio >= 0.6 else 'not met'} |")
PY
    ;;
  parzen)
    "$root/testdata/fetch-mnist.sh" >/dev/null
    echo "# peer: numpy $("$py" -c 'import numpy; print(numpy.__version__)'), one σ, expanded-form matmul + max-shifted log-sum-exp"
    java --add-modules jdk.incubator.vector -jar "$jar" ParzenBenchmark -p threads="$threads" \
      -rf json -rff "$out/parzen-jmh.json" > "$out/parzen-jmh.log" 2>&1
    "$py" "$root/gan-bench/peers/parzen_numpy.py" "$root/testdata/data/mnist" > "$out/parzen-numpy.json"
    "$py" - "$out/parzen-jmh.json" "$out/parzen-numpy.json" <<'PY'
import json, sys
jmh = {int(r["params"]["sigmas"]): r for r in json.load(open(sys.argv[1]))}
p = json.load(open(sys.argv[2]))
def stats(r):
    raw = sorted(x for it in r["primaryMetric"]["rawData"] for x in it)
    return raw[len(raw) // 2], raw[0], raw[-1]
print("| work (10,000 test × 10,000 samples × 784) | ms (min–max) | ratio to numpy, one σ | goal |")
print("|---|---|---|---|")
print(f"| numpy, one σ | {p['median_ms']:.0f} ({p['min_ms']:.0f}–{p['max_ms']:.0f}) | 1.00 | |")
for s in sorted(jmh):
    med, lo, hi = stats(jmh[s])
    ratio = med / p["median_ms"]
    goal = f"≤ 1.5: {'met' if ratio <= 1.5 else 'not met'}" if s == 10 else ""
    print(f"| ganeval, {s} σ | {med:.0f} ({lo:.0f}–{hi:.0f}) | {ratio:.2f} | {goal} |")
PY
    ;;
  fid)
    dims="${DIMS:-64,768,2048}"
    rows="${ROWS:-10000}"   # ROWS ≤ d makes both covariances singular
    echo "# peer: scipy $("$py" -c 'import scipy; print(scipy.__version__)') sqrtm (pytorch-fid's route) and numpy Cholesky+eigvalsh; $rows feature rows"
    java --add-modules jdk.incubator.vector -jar "$jar" FidBenchmark -p dim="$dims" -p rows="$rows" \
      -rf json -rff "$out/fid-jmh.json" > "$out/fid-jmh.log" 2>&1
    "$py" "$root/gan-bench/peers/fid_scipy.py" "$dims" "$rows" > "$out/fid-scipy.jsonl"
    "$py" - "$out/fid-jmh.json" "$out/fid-scipy.jsonl" <<'PY'
import json, sys
jmh = {}
for r in json.load(open(sys.argv[1])):
    raw = sorted(x for it in r["primaryMetric"]["rawData"] for x in it)
    jmh[(r["benchmark"].rsplit(".", 1)[1], int(r["params"]["dim"]))] = (raw[len(raw) // 2], raw[0], raw[-1])
peer = {r["dim"]: r for r in map(json.loads, open(sys.argv[2]))}
fmt = lambda t: f"{t[0]:.1f} ({t[1]:.1f}–{t[2]:.1f})" if t else "— (Σ1 singular)"
print("| d | ganeval distance ms | scipy sqrtm ms | speed-up vs sqrtm | goal ≥ 10× | numpy eigvalsh route ms | ganeval stats ms | numpy stats ms |")
print("|---|---|---|---|---|---|---|---|")
for d in sorted(peer):
    ours = jmh[("distance", d)]
    p = peer[d]
    speed = p["sqrtm"][0] / ours[0]
    goal = ("met" if speed >= 10 else "not met") if d == 2048 else ""
    print(f"| {d} | {fmt(ours)} | {fmt(p['sqrtm'])} | {speed:.1f}× | {goal} | {fmt(p['eigh'])} | {fmt(jmh[('statistics', d)])} | {fmt(p['stats'])} |")
PY
    ;;
  gan)
    "$root/testdata/fetch-mnist.sh" >/dev/null
    /usr/bin/python3 -c 'import torch' 2>/dev/null || { [ "$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >/dev/null; }
    echo "# peer: PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') CPU, $threads threads, same architecture and batch"
    java --add-modules jdk.incubator.vector -jar "$jar" GanEpochBenchmark -rf json -rff "$out/gan-jmh.json" > "$out/gan-jmh.log" 2>&1
    THREADS="$threads" /usr/bin/python3 "$root/gan-bench/peers/gan_torch.py" "$root/testdata/data/mnist" 4 > "$out/gan-torch.json"
    "$py" - "$out/gan-jmh.json" "$out/gan-torch.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))[0]
ours = sorted(x for it in r["primaryMetric"]["rawData"] for x in it)
peer = sorted(json.load(open(sys.argv[2]))["epoch_seconds"][1:])
med = lambda v: v[len(v) // 2]
ratio = med(ours) / med(peer)
print("| one epoch, MNIST 50k, batch 100+100 | s (min–max) | ratio ours/PyTorch | goal ≤ 1 |")
print("|---|---|---|---|")
print(f"| PyTorch | {med(peer):.1f} ({peer[0]:.1f}–{peer[-1]:.1f}) | 1.00 | |")
print(f"| ganeval | {med(ours):.1f} ({ours[0]:.1f}–{ours[-1]:.1f}) | {ratio:.2f} | {'met' if ratio <= 1 else 'not met'} |")
PY
    ;;
  metrics)
    for pkg in python3-numpy python3-scipy python3-pot python3-sklearn; do
      dpkg -s "$pkg" >/dev/null 2>&1 || { [ "$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null; }
    done
    echo "# peers: Debian's numpy $(/usr/bin/python3 -c 'import numpy; print(numpy.__version__)'), POT $(/usr/bin/python3 -c 'import ot; print(ot.__version__)'), scikit-learn $(/usr/bin/python3 -c 'import sklearn; print(sklearn.__version__)')"
    java --add-modules jdk.incubator.vector -jar "$jar" MetricsBenchmark -rf json -rff "$out/metrics-jmh.json" > "$out/metrics-jmh.log" 2>&1
    OPENBLAS_NUM_THREADS="$threads" /usr/bin/python3 "$root/gan-bench/peers/metrics_python.py" > "$out/metrics-python.jsonl"
    "$py" - "$out/metrics-jmh.json" "$out/metrics-python.jsonl" <<'PY'
import json, sys
ours = {}
for r in json.load(open(sys.argv[1])):
    raw = sorted(x for it in r["primaryMetric"]["rawData"] for x in it)
    ours[r["benchmark"].rsplit(".", 1)[1]] = (raw[len(raw) // 2], raw[0], raw[-1])
peer = {r["benchmark"]: r for r in map(json.loads, open(sys.argv[2]))}
names = {"inceptionScore": "IS, 50k x 1008 logits (numpy)", "kid": "KID, 10 subsets of 1000, d=2048 (numpy)",
         "prdc": "PRDC, 5k x 5k, d=2048 (sklearn/numpy)", "exactW1": "exact W1, 500 x 500, d=64 (POT emd2)",
         "slicedW2": "sliced W2, 10k x 10k, d=2048, 50 dirs (POT)"}
print("| work (peer) | ganeval ms (min–max) | peer ms (min–max) | ratio ours/peer |")
print("|---|---|---|---|")
for k, label in names.items():
    o, p = ours[k], peer[k]
    print(f"| {label} | {o[0]:.1f} ({o[1]:.1f}–{o[2]:.1f}) | {p['median_ms']:.1f} ({p['min_ms']:.1f}–{p['max_ms']:.1f}) | {o[0] / p['median_ms']:.2f} |")
PY
    ;;
  features)
    # pytorch-fid's FID Inception-v3 at the published widths with random weights, as ganeval builds it from the
    # checkpoint, end to end on 50 RGB 32x32 images in each protocol; the mnist-mlp row from JMH.
    dpkg -s python3-torch >/dev/null 2>&1 || { [ "$(id -u)" = 0 ] && apt-get update -qq \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >/dev/null; }
    ckpt="$out/inception-fid"
    # torch.onnx's export talks on stdout too: the timing is its last line.
    THREADS="$threads" /usr/bin/python3 "$root/gan-bench/peers/inception_fid_torch.py" "$ckpt" > "$out/features-torch.out" \
      2> "$out/features-torch.log" || { cat "$out/features-torch.log" >&2; exit 1; }
    tail -n 1 "$out/features-torch.out" > "$out/features-torch.json"
    java --add-modules jdk.incubator.vector -cp "$jar" dev.ganeval.bench.InceptionThroughput "$ckpt/full_legacy.pth" "$threads" \
      > "$out/features-ours.json" 2> "$out/features-ours.log"
    java --add-modules jdk.incubator.vector -cp "$jar" dev.ganeval.bench.FmaPeak "$threads" > "$out/peak.json"
    java --add-modules jdk.incubator.vector -jar "$jar" FeatureBenchmark -p threads="$threads" \
      -rf json -rff "$out/features-jmh.json" > "$out/features-jmh.log" 2>&1
    echo "# peer: PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') CPU, $threads threads; the same network and preprocessing"
    "$py" - "$out/features-ours.json" "$out/features-torch.json" "$out/peak.json" "$out/features-jmh.json" "$root/gan-bench/peers" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[5])
from roofline import Roofline
o = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
p = json.load(open(sys.argv[2]))
roof = Roofline(o["images"], p["gflop_per_image"], sys.argv[3])
rate = roof.rate
print(roof.header())
print("| work, 50 RGB 32×32 → 299 | ganeval ms (min–max) | images/s | GFLOP/s (of peak) | ratio ours/PyTorch |")
print("|---|---|---|---|---|")
print(f"| PyTorch, pytorch-fid protocol | {p['median_ms']:.0f} ({p['min_ms']:.0f}–{p['max_ms']:.0f}) | {rate(p['median_ms'])} | 1.00 |")
for proto in ("pytorch-fid", "tf", "clean"):
    r = o[proto]
    print(f"| ganeval, {proto} protocol | {r['median_ms']:.0f} ({r['min_ms']:.0f}–{r['max_ms']:.0f}) | {rate(r['median_ms'])} | "
          f"{r['median_ms'] / p['median_ms']:.2f} |")
for k, label in (("graph_alone_ms", "ganeval's graph alone, preprocessed inputs"), ("torch_export_alone_ms", "torch.onnx's export alone")):
    if k in o:
        print(f"| {label} | {o[k]:.0f} | {rate(o[k])} | {o[k] / p['median_ms']:.2f} |")
print(roof.best(p["median_ms"]))
print(f"# ganeval: read {o['read_s_1']} s + built {o['build_s_1']} s in a fresh JVM ({o['read_s_2']} + {o['build_s_2']} s again)")
for r in json.load(open(sys.argv[4])):
    raw = sorted(x for it in r["primaryMetric"]["rawData"] for x in it)
    print(f"# embedded mnist-mlp features, 10,000 images: {raw[len(raw) // 2]:.1f} ms ({raw[0]:.1f}–{raw[-1]:.1f})")
PY
    ;;
  vit)
    # DINOv2 at a published size (ARCH=vitl14 by default), or NET=clip CLIP ViT-L/14@336's image tower, with random
    # weights, the network alone on N=8 inputs.
    net="${NET:-dinov2}"; arch="${ARCH:-vitl14}"; n="${N:-8}"
    if [ "$net" = clip ]; then
      weights="$out/clip-vitl14-336-random.pth"
      THREADS="$threads" /usr/bin/python3 "$root/gan-bench/peers/clip_torch.py" "$weights" "$n" > "$out/vit-torch.json"
    else
      weights="$out/dinov2-$arch-random.pth"
      THREADS="$threads" /usr/bin/python3 "$root/gan-bench/peers/vit_torch.py" "$weights" "$arch" "$n" > "$out/vit-torch.json"
    fi
    java --add-modules jdk.incubator.vector -Xmx12g -cp "$jar" dev.ganeval.bench.VitThroughput "$weights" "$n" "$net" \
      > "$out/vit-ours.json" 2> "$out/vit-ours.log"
    java --add-modules jdk.incubator.vector -cp "$jar" dev.ganeval.bench.FmaPeak "$threads" > "$out/peak.json"
    echo "# peer: PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') CPU, $threads threads; $net, random weights"
    "$py" - "$out/vit-ours.json" "$out/vit-torch.json" "$out/peak.json" "$root/gan-bench/peers" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[4])
from roofline import Roofline
o = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1]); p = json.load(open(sys.argv[2]))
n = o["images"]
roof = Roofline(n, p["gflop_per_image"], sys.argv[3])
def rate(ms):
    return roof.rate(ms, 2)
print(roof.header())
print("| work | ganeval ms (min–max) | images/s | GFLOP/s (of peak) | PyTorch ms (min–max) | images/s | GFLOP/s (of peak) | ratio ours/PyTorch |")
print("|---|---|---|---|---|---|---|---|")
print(f"| {p['arch']}, {n} preprocessed inputs | {o['median_ms']:.0f} ({o['min_ms']:.0f}–{o['max_ms']:.0f}) | {rate(o['median_ms'])} | "
      f"{p['median_ms']:.0f} ({p['min_ms']:.0f}–{p['max_ms']:.0f}) | {rate(p['median_ms'])} | {o['median_ms'] / p['median_ms']:.2f} |")
print(roof.best(p["median_ms"]))
print(f"# ganeval: read {o['read_s']} s, graph built {o['build_s']} s ({o['model_mb']} MB), loaded {o['load_s']} s")
PY
    ;;
  decode)
    # Reading a folder of 40 RGB PNGs of 1024 x 1024 (written by FolderDecoding on first use): ganeval on 1 and THREADS
    # threads against PIL's open + convert('RGB') on one, what each of pytorch-fid's loader workers does.
    if ! /usr/bin/python3 -c 'import numpy, PIL' 2>/dev/null; then
      [ "$(id -u)" = 0 ] || { echo "compare: decode needs Debian's python3-pil and python3-numpy (apt-get install python3-pil python3-numpy)" >&2; exit 1; }
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pil python3-numpy >/dev/null
    fi
    dir="$out/decode-1024"
    java -cp "$jar" dev.ganeval.bench.FolderDecoding "$dir" "$threads" > "$out/decode-ours.json"
    /usr/bin/python3 "$root/gan-bench/peers/decode_pil.py" "$dir" > "$out/decode-pil.json"
    "$py" - "$out/decode-ours.json" "$out/decode-pil.json" "$threads" <<'PY'
import json, sys
o = json.load(open(sys.argv[1]))
p = json.load(open(sys.argv[2]))
t = sys.argv[3]
print(f"# {o['images']} RGB PNGs of {o['side']} x {o['side']}; PIL {p['pil']}")
print("| reader | ms (40 images) | ms an image | ratio to PIL on one thread |")
print("|---|---|---|---|")
print(f"| PIL, one thread | {p['median_ms']:.0f} ({p['min_ms']:.0f}–{p['max_ms']:.0f}) | {p['median_ms'] / p['images']:.1f} | 1.00 |")
for k, label in (("threads_1_ms", "ganeval, one thread"), (f"threads_{t}_ms", f"ganeval, {t} threads")):
    print(f"| {label} | {o[k]:.0f} | {o[k] / o['images']:.1f} | {o[k] / p['median_ms']:.2f} |")
PY
    ;;
  cmmd)
    # CMMD on N=30000 x D=768 L2-normalised embeddings a side (the paper's CLIP embedding width).
    n="${N:-30000}"; d="${D:-768}"
    THREADS="$threads" "$py" "$root/gan-bench/peers/cmmd_numpy.py" "$n" "$d" > "$out/cmmd-numpy.json"
    java --add-modules jdk.incubator.vector -cp "$jar" dev.ganeval.bench.CmmdThroughput "$n" "$d" > "$out/cmmd-ours.json" \
      2> "$out/cmmd-ours.log"
    echo "# peer: numpy $("$py" -c 'import numpy; print(numpy.__version__)'), $threads threads, float32 Gram matrices in 4,096-row blocks"
    "$py" - "$out/cmmd-ours.json" "$out/cmmd-numpy.json" "$n" "$d" <<'PY'
import json, sys
o = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1]); p = json.load(open(sys.argv[2]))
print("| work | ganeval ms (min–max) | numpy ms (min–max) | ratio ours/numpy |")
print("|---|---|---|---|")
print(f"| CMMD, {sys.argv[3]} x {sys.argv[4]} a side | {o['median_ms']:.0f} ({o['min_ms']:.0f}–{o['max_ms']:.0f}) | "
      f"{p['median_ms']:.0f} ({p['min_ms']:.0f}–{p['max_ms']:.0f}) | {o['median_ms'] / p['median_ms']:.2f} |")
PY
    ;;
  wgan)
    n="${N:-10000}"; d="${D:-2048}"; steps="${STEPS:-2000}"; width="${WIDTH:-512}"; depth="${DEPTH:-2}"; batch="${BATCH:-256}"
    /usr/bin/python3 -c 'import torch' 2>/dev/null || { [ "$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >/dev/null; }
    THREADS="$threads" /usr/bin/python3 "$root/gan-bench/peers/wgan_torch.py" "$n" "$d" "$steps" "$width" "$depth" "$batch" \
      > "$out/wgan-torch.json"
    java --add-modules jdk.incubator.vector -cp "$jar" dev.ganeval.bench.WganThroughput "$n" "$d" "$steps" "$width" \
      "$depth" "$batch" > "$out/wgan-ours.json" 2> "$out/wgan-ours.log"
    echo "# peer: PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') CPU, $threads threads"
    "$py" - "$out/wgan-ours.json" "$out/wgan-torch.json" "$n" "$d" "$steps" "$width" "$depth" "$batch" <<'PY'
import json, sys
o = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1]); p = json.load(open(sys.argv[2]))
n, d, steps, width, depth, batch = sys.argv[3:9]
print("| work | ganeval s | PyTorch s | ratio ours/torch | estimates (ours, torch) |")
print("|---|---|---|---|---|")
print(f"| critic {depth} x {width}, {steps} steps of {batch}, {n} x {d} a side | {o['ms'] / 1000:.1f} | {p['ms'] / 1000:.1f} | "
      f"{o['ms'] / p['ms']:.2f} | {o['estimate']:.4f} ± {o['standard_error']:.4f}, {p['estimate']:.4f} ± {p['standard_error']:.4f} |")
PY
    ;;
  *)
    echo "usage: compare.sh gemm|parzen|fid|gan|metrics|features|vit|cmmd|wgan" >&2; exit 2 ;;
esac
