#!/usr/bin/env bash
# Puts the Silero VAD v6 model (silero_vad.onnx, MIT, by the Silero team) where the transcription pod loads it from.
# The model is never committed: it comes from the npm package @ricky0123/vad-web, whose dist/silero_vad_v6.onnx is
# byte-identical to silero-vad's own src/silero_vad/data/silero_vad.onnx (v6.2). npm is the only tool it needs.
#
# Usage: audio/fetch-vad-model.sh [target]
#   target defaults to ${XDG_CACHE_HOME:-$HOME/.cache}/tiergate/models/silero_vad.onnx
# A target already holding the right model is left alone, so the script can run before every start.
set -euo pipefail

package='@ricky0123/vad-web@0.0.31'
member='package/dist/silero_vad_v6.onnx'
sha256='1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3'
target=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/tiergate/models/silero_vad.onnx}

holds_model() {
  [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d ' ' -f 1)" = "$sha256" ]
}

if holds_model "$target"; then
  echo "VAD model already at $target"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "fetch-vad-model: npm is needed to fetch the VAD model ($package); install Node.js with npm" >&2
  exit 1
fi

work=$(mktemp -d)
partial="$target.partial.$$"
trap 'rm -rf "$work" "$partial"' EXIT
# npm pack only downloads the package tarball: no dependency is installed and no package script runs.
tarball=$(cd "$work" && npm pack --silent --ignore-scripts "$package" | tail -n 1)
tar -xzf "$work/$tarball" -C "$work" "$member"
if ! holds_model "$work/$member"; then
  echo "fetch-vad-model: $member in $package does not have the expected sha256 $sha256; not installed" >&2
  exit 1
fi

mkdir -p "$(dirname "$target")"
# Copied next to the target, then renamed: a reader never sees a half-written model.
cp "$work/$member" "$partial"
mv -f "$partial" "$target"
echo "VAD model installed at $target"
