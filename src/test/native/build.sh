#!/bin/sh
# Builds the stand-in for MT5APIManager64.dll (and a library lacking its exports) for the native gateway's
# tests. Maven runs it at generate-test-resources: build.sh <source dir> <output dir>
set -eu
src="$1"
out="$2"
if ! command -v gcc >/dev/null 2>&1; then
  echo "[ERROR] gcc not found: the native gateway's tests need it to build $out/libmt5stub.so" \
       "(apt-get install -y --no-install-recommends gcc; .ci/run installs it)" >&2
  exit 1
fi
mkdir -p "$out"
gcc -std=c11 -O1 -g -Wall -Wextra -Werror -fPIC -shared -pthread -fvisibility=hidden \
    -o "$out/libmt5stub.so" "$src/mt5stub.c" -lm
gcc -std=c11 -Wall -Werror -fPIC -shared -fvisibility=hidden -o "$out/libnoexports.so" "$src/noexports.c"
