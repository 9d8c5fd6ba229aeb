#!/usr/bin/env bash
# Builds the services' container images as OCI archives, target/images/<service>.tar, with no Docker daemon and no
# registry: each service's Quarkus fast-jar goes onto a base built from Debian packages (images/build-base.sh, kept in
# target/images/base-<kind>.tar between runs) by Jib's library (io.tiergate.images.ServiceImageBuilder).
#   images/build.sh [service...]    default: all five; a service is its module name, e.g. router-service
# Environment:
#   TIERGATE_IMAGE_TAG       the images' tag (default: the chart's appVersion, which the chart pulls by default)
#   TIERGATE_GPU_BASE        a `docker save` archive of a CUDA-capable base holding what the `media` base holds (Java
#                            17, ffmpeg, PocketSphinx); when set, the GPU pods (classification, transcription,
#                            diarization) are also built on it as <service>-gpu.tar, tagged <tag>-cuda (the chart's
#                            <pod>.image.gpuTag)
#   TIERGATE_SKIP_BUILD=1    use the services' target/quarkus-app and the images module as they are
#   TIERGATE_IMAGE_SOURCE    the org.opencontainers.image.source label (default: the git remote's URL, when there is one)
#   TIERGATE_IMAGE_LICENSES  the org.opencontainers.image.licenses label (default NOASSERTION: no licence is declared)
#   TIERGATE_IMAGES_DIR      where the archives go (default target/images)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out_dir=${TIERGATE_IMAGES_DIR:-$root/target/images}
tag=${TIERGATE_IMAGE_TAG:-$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$root/helm/tiergate/Chart.yaml")}
licenses=${TIERGATE_IMAGE_LICENSES:-NOASSERTION}
source_url=${TIERGATE_IMAGE_SOURCE:-$(git -C "$root" remote get-url origin 2>/dev/null || true)}
revision=$(git -C "$root" rev-parse HEAD 2>/dev/null || true)

# module port base gpu: the port is the service's quarkus.http.port; `media` is the base with ffmpeg and PocketSphinx
# (the router reads recordings with ffprobe; the speech pods decode with ffmpeg).
services=(
  "usage-tracker 8081 jre -"
  "classification-service 8082 jre gpu"
  "transcription-service 8083 media gpu"
  "diarization-service 8084 media gpu"
  "router-service 8080 media -"
)

log() { printf '\033[1m[images]\033[0m %s\n' "$*"; }
die() { printf '[images] error: %s\n' "$*" >&2; exit 1; }

selected=()
if [ $# -eq 0 ]; then
  selected=("${services[@]}")
else
  for wanted in "$@"; do
    entry=$(printf '%s\n' "${services[@]}" | grep "^$wanted " || true)
    [ -n "$entry" ] || die "unknown service: $wanted (one of: $(printf '%s\n' "${services[@]}" | cut -d' ' -f1 | xargs))"
    selected+=("$entry")
  done
fi

if [ "${TIERGATE_SKIP_BUILD:-}" != 1 ]; then
  modules=$(printf '%s\n' "${selected[@]}" | cut -d' ' -f1 | paste -sd, -)
  log "packaging $modules (./mvnw package -DskipTests)"
  "$root/mvnw" -B -q -DskipTests package -f "$root/pom.xml" -pl "$modules,images" -am || die "the build failed (see above)"
fi
classpath_file=$root/images/target/classpath.txt
[ -f "$classpath_file" ] || die "$classpath_file is missing: package the images module first"
classpath="$root/images/target/classes:$(cat "$classpath_file")"

mkdir -p "$out_dir"
for entry in "${selected[@]}"; do
  read -r module port kind gpu <<<"$entry"
  base=$out_dir/base-$kind.tar
  if [ ! -f "$base" ]; then
    log "building the $kind base from Debian packages (once; kept as $base)"
    "$root/images/build-base.sh" "$kind" "$base"
  fi
  variants=("$base $tag $out_dir/$module.tar")
  if [ "$gpu" = gpu ] && [ -n "${TIERGATE_GPU_BASE:-}" ]; then
    variants+=("$TIERGATE_GPU_BASE $tag-cuda $out_dir/$module-gpu.tar")
  fi
  for variant in "${variants[@]}"; do
    read -r variant_base variant_tag output <<<"$variant"
    labels=(
      "label.org.opencontainers.image.title=$module"
      "label.org.opencontainers.image.version=$variant_tag"
      "label.org.opencontainers.image.licenses=$licenses"
    )
    [ -z "$source_url" ] || labels+=("label.org.opencontainers.image.source=$source_url")
    [ -z "$revision" ] || labels+=("label.org.opencontainers.image.revision=$revision")
    log "tiergate/$module:$variant_tag on $(basename "$variant_base")"
    java -cp "$classpath" io.tiergate.images.ServiceImageBuilder \
      "reference=tiergate/$module:$variant_tag" "fast-jar=$root/$module/target/quarkus-app" "base=$variant_base" \
      "port=$port" "output=$output" "cache=$out_dir/.jib-cache" "${labels[@]}"
  done
done
