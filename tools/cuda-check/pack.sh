#!/usr/bin/env bash
# Packs what ganeval's CUDA path needs for a Linux x86-64 GPU machine that has an NVIDIA driver but no JDK, no
# CUDA 12 and no network (as the GPU machines lent to this project's sessions are): a jlink'd Java runtime, a
# ganeval.jar without ONNX Runtime's CPU libraries, ONNX Runtime's GPU libraries (the onnxruntime_gpu jar of the
# version the build uses), CUDA 12.6's cudart/cuBLAS/cuBLASLt/cuRAND (Bytedeco's redistribution on Maven Central, the
# newest CUDA 12 these registries hold), the cudart128 shim (see cudart128.c) and MNIST, as numbered parts of at most
# PART_BYTES bytes with their checksums. Everything comes from Maven Central and npm. Usage:
#   tools/cuda-check/pack.sh [OUT_DIR]        then copy OUT_DIR/parts/* to the GPU machine and run check.sh there.
# Takes about 10 minutes on 2 cores (2.7 GB of downloads, 1.2 GB to compress); steps already done are skipped.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$(mkdir -p "${1:-/tmp/ganeval-cuda-pack}" && cd "${1:-/tmp/ganeval-cuda-pack}" && pwd)"
part_bytes="${PART_BYTES:-53000000}"
ort="$(sed -n 's|.*<onnxruntime.version>\(.*\)</onnxruntime.version>.*|\1|p' "$repo/pom.xml")"
cuda=12.6-9.5-1.5.11
central=https://repo1.maven.org/maven2
w="$out/work"; mkdir -p "$w/libs" "$w/run"
cd "$w"

if [ ! -s libs/libonnxruntime_providers_cuda.so ]; then
  curl -fsS -o ort-gpu.jar "$central/com/microsoft/onnxruntime/onnxruntime_gpu/$ort/onnxruntime_gpu-$ort.jar"
  unzip -q -o -j ort-gpu.jar 'ai/onnxruntime/native/linux-x64/*' -x '*tensorrt*' -d libs
fi
if [ ! -s libs/libcublasLt.so.12 ]; then
  curl -fsS -o cuda-redist.jar "$central/org/bytedeco/cuda/$cuda/cuda-$cuda-linux-x86_64-redist.jar"
  for l in libcudart.so.12 libcublas.so.12 libcublasLt.so.12 libcurand.so.10; do
    unzip -q -o -j cuda-redist.jar "org/bytedeco/cuda/linux-x86_64/$l" -d libs
  done
  rm cuda-redist.jar
fi
gcc -O2 -shared -fPIC -Wl,--version-script="$repo/tools/cuda-check/cudart128.map" -Wl,-soname,libcudart128shim.so \
  -o run/libcudart128shim.so "$repo/tools/cuda-check/cudart128.c"

# ganeval.jar with ONNX Runtime's Java classes from the GPU jar and no native libraries: they come from libs/
# through -Donnxruntime.native.path.
(cd "$repo" && mvn -B -q package -DskipTests -Dganeval.fetch.skip=true -pl gan-cli -am)
cp "$repo/gan-cli/target/ganeval.jar" run/ganeval.jar
zip -q -d run/ganeval.jar 'ai/onnxruntime/native/*'
[ -s ort-gpu.jar ] || curl -fsS -o ort-gpu.jar "$central/com/microsoft/onnxruntime/onnxruntime_gpu/$ort/onnxruntime_gpu-$ort.jar"
rm -rf ortcls && unzip -q -o ort-gpu.jar 'ai/onnxruntime/*.class' 'ai/onnxruntime/providers/*' -d ortcls
(cd ortcls && zip -q -r ../run/ganeval.jar ai) && rm -rf ortcls
rm -rf run/jre
jlink --add-modules java.base,java.desktop,java.sql,java.logging,jdk.incubator.vector,jdk.management,jdk.unsupported,jdk.zipfs \
  --strip-debug --no-header-files --no-man-pages --compress=0 --output run/jre
cp "$repo/tools/cuda-check/check.sh" run/

bash "$repo/testdata/fetch-mnist.sh" >/dev/null
mnist="${GANEVAL_DATA:-$repo/testdata/data}"
[ -s libs.tar.xz ] || tar cf - -C libs . | xz -T0 -6 > libs.tar.xz
tar cf - -C run . | xz -T0 -9 > run.tar.xz
tar cf - -C "$mnist" mnist | xz -T0 -6 > mnist.tar.xz

rm -rf "$out/parts" && mkdir -p "$out/parts"
tar cf - libs.tar.xz run.tar.xz mnist.tar.xz | split -b "$part_bytes" -d - "$out/parts/part."
(cd "$out/parts" && sha256sum part.* > SHA256SUMS)
ls -l "$out/parts"
echo "On the GPU machine, from a checkout of this repository: bash tools/cuda-check/check.sh DIR (DIR holds these files)"
