#!/usr/bin/env bash
# Runs ganeval's CUDA path on a GPU machine from the parts pack.sh made (in the folder given), from the repository
# root, and compares it with the CPU and with the Java forward pass. Needs the NVIDIA driver, python3 with numpy
# (and onnx for the wide-generator step). Results and samples go to $OUT (default /tmp/ganeval-cuda-out).
set -uo pipefail
parts="$(cd "$1" && pwd)"; out="${OUT:-/tmp/ganeval-cuda-out}"; w="${WORK:-/tmp/ganeval-cuda}"
rm -rf "$w" && mkdir -p "$w/libs" "$w/cuda12" "$w/data" "$out"
t0=$(date +%s)
(cd "$parts" && sha256sum -c --quiet SHA256SUMS) || exit 1
cat "$parts"/part.* | tar xf - -C "$w" || exit 1
xz -d -T0 < "$w/libs.tar.xz" | tar xf - -C "$w/libs" && tar xJf "$w/run.tar.xz" -C "$w" && tar xJf "$w/mnist.tar.xz" -C "$w/data" || exit 1
mv "$w"/libs/libcu* "$w/cuda12/"   # kept off the library path until step 2
echo "unpacked in $(( $(date +%s) - t0 )) s"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
export GANEVAL_DATA="$w/data"
J="$w/jre/bin/java --add-modules jdk.incubator.vector -Donnxruntime.native.path=$w/libs -jar $w/ganeval.jar"
q() { grep -v "^WARNING" | cut -c1-700; }
G=testdata/reference-gan/generator.onnx
echo "== 1. CUDA 12 libraries not on LD_LIBRARY_PATH: --device cuda, then cuda-or-cpu"
$J sample --generator $G --n 10 --device cuda --out "$w/x.npy" 2>&1 | q
$J sample --generator $G --n 10 --device cuda-or-cpu --out "$w/x.npy" 2>&1 | q
export LD_LIBRARY_PATH="$w/cuda12"
echo "== 2. CUDA 12.6 libraries, no shim"
$J sample --generator $G --n 10 --device cuda --out "$w/x.npy" 2>&1 | q
export LD_PRELOAD="$w/libcudart128shim.so"
echo "== 3. with the shim (it prints a line if ONNX Runtime calls it): shipped generator, 10000 samples"
$J sample --generator $G --n 10 --device cuda-or-cpu --out "$w/x.npy" 2>&1 | q
for d in cuda cpu; do TIMEFORMAT="$d wall %R s"; time $J sample --generator $G --n 10000 --seed 1 --device $d --quiet --out "$out/ship-$d.npy" 2>&1 | q; done
echo "== 4. paper-size GAN after one epoch: Java forward pass vs ONNX Runtime"
$J train --out "$w/ck" --epochs 1 --quiet --seed 5 2>&1 | q | tail -1
$J sample --checkpoint "$w/ck/checkpoint.ckpt" --n 10000 --seed 2 --out "$out/java.npy" --onnx "$w/p" 2>&1 | q
for d in cuda cpu; do $J sample --generator "$w/p-generator.onnx" --n 10000 --seed 2 --device $d --quiet --out "$out/paper-$d.npy" 2>&1 | q; done
echo "== 5. a convolutional generator (testdata/onnx/dcgan-tiny.onnx: ConvTranspose, Relu, Tanh), 1000 samples"
for d in cuda cpu; do $J sample --generator testdata/onnx/dcgan-tiny.onnx --n 1000 --seed 1 --device $d --quiet --out "$out/dcgan-$d.npy" 2>&1 | q; done
echo "== 6. a wide generator (100-4096-4096-4096-784, 37M random weights), 50000 samples"
if python3 - "$w/wide.onnx" <<'PY'
import sys, numpy as np, onnx
from onnx import helper, numpy_helper, TensorProto
src = onnx.load('testdata/reference-gan/generator.onnx')
rng = np.random.default_rng(0); sizes = [100, 4096, 4096, 4096, 784]; nodes, inits, x = [], [], 'z'
for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
    inits += [numpy_helper.from_array((rng.standard_normal((a, b)) * np.sqrt(2 / a)).astype(np.float32), f'W{i}'),
              numpy_helper.from_array(np.zeros(b, np.float32), f'B{i}')]
    nodes.append(helper.make_node('Gemm', [x, f'W{i}', f'B{i}'], [f'h{i}']))
    last = i == len(sizes) - 2; y = src.graph.output[0].name if last else f'a{i}'
    nodes.append(helper.make_node('Sigmoid' if last else 'Relu', [f'h{i}'], [y])); x = y
g = helper.make_graph(nodes, 'wide', [helper.make_tensor_value_info('z', TensorProto.FLOAT, ['batch', 100])],
                      [helper.make_tensor_value_info(x, TensorProto.FLOAT, ['batch', 784])], inits)
m = helper.make_model(g, opset_imports=[helper.make_opsetid('', 13)]); m.ir_version = 8
for p in src.metadata_props: m.metadata_props.add(key=p.key, value=p.value)
onnx.save(m, sys.argv[1])
PY
then
  for d in cpu cuda cuda; do TIMEFORMAT="wide $d wall %R s"; time $J sample --generator "$w/wide.onnx" --n 50000 --seed 4 --device $d --quiet --out "$w/wide-$d.npy" 2>&1 | q; done
else
  echo "(skipped: python3 with numpy and onnx is needed to write the model)"
fi
python3 - "$out" "$w" <<'PY'
import os, sys, numpy as np
out, w = sys.argv[1], sys.argv[2]
for a, b in [('ship-cuda', 'ship-cpu'), ('paper-cuda', 'java'), ('paper-cpu', 'java'), ('dcgan-cuda', 'dcgan-cpu'), ('wide-cuda', 'wide-cpu')]:
    pa, pb = [next((os.path.join(d, n + '.npy') for d in (out, w) if os.path.exists(os.path.join(d, n + '.npy'))), None) for n in (a, b)]
    if pa and pb:
        d = np.abs(np.load(pa).astype(np.float64) - np.load(pb))
        print(f"{a} vs {b}: {d.shape}, max |diff| {d.max():.3g}, mean |diff| {d.mean():.3g}")
PY
echo "== 7. demo (shipped generator), cuda then cpu"
for d in cuda cpu; do TIMEFORMAT="demo $d wall %R s"; time $J demo --device $d --quiet --out "$w/demo-$d" 2>&1 | q | grep -vE "^(generator|sample grid|scoring)"; done
echo "== 8. score --json, FID on cuda and cpu"
for d in cuda cpu; do $J score mnist:test --generator $G --json --device $d --quiet 2>&1 | grep -E '"(device|value|seconds)"'; done
echo "== 9. Inception-v3 with random weights (tools/export_inception_onnx.py --source random): against PyTorch, and FID"
echo "   of 2,000 MNIST test against 2,000 train images through it (d = 2048 from fewer rows: the pivoted route)"
if python3 -c "import torch, torchvision, onnx" 2>/dev/null; then
  echo "cuDNN on the loader's path: $(ldconfig -p | grep -m1 'libcudnn.so.9 ' || echo none)"
  python3 tools/export_inception_onnx.py --source random --out "$w/inception.onnx" --check 32 2>&1 | grep "^wrote"
  for d in cuda cpu; do
    $J check-network "$w/inception.onnx" "$w/inception-check.npz" --device $d 2>&1 | q
    TIMEFORMAT="score $d wall %R s"; time $J score mnist:test mnist:train --limit 2000 --network "$w/inception.onnx" \
      --metrics fid --json --device $d --quiet 2>&1 | q | grep -E '"(device|value|route|read|features|fid)"|rror|ganeval:'
  done
else
  echo "(skipped: python3 with torch, torchvision and onnx is needed)"
fi
