#!/usr/bin/env bash
# Builds a Tiergate base image from Debian packages with mmdebstrap (apt's own sources, no registry, no Docker daemon)
# and writes it as a `docker save` archive, the local base-image format Jib reads.
#   images/build-base.sh KIND OUT.tar
# KIND: jre    OpenJDK 17 JRE (usage tracker, classification pod)
#       media  the JRE plus ffmpeg, PocketSphinx and its en-us model (router, transcription and diarization pods)
# The user 185 (home /home/jboss, the chart's working directory) is created so the images run as non-root.
# Environment: TIERGATE_DEBIAN_SUITE (default: the host's, bookworm), TIERGATE_APT_SOURCES (default: the host's
# /etc/apt/sources.list.d/debian.sources), TIERGATE_DEB_CACHE (downloaded .debs kept between runs, default
# ~/.cache/tiergate/debs), TIERGATE_BASE_EXTRA_PACKAGES (comma-separated packages added to KIND's, e.g. the CUDA
# runtime libraries of Debian's non-free component for a GPU pods' base; see the README's "Container images").
set -euo pipefail

kind=${1:?usage: build-base.sh jre|media OUT.tar}
out=$(realpath -m "${2:?usage: build-base.sh jre|media OUT.tar}")
suite=${TIERGATE_DEBIAN_SUITE:-$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")}
sources=${TIERGATE_APT_SOURCES:-/etc/apt/sources.list.d/debian.sources}
deb_cache=${TIERGATE_DEB_CACHE:-$HOME/.cache/tiergate/debs}

# libstdc++6: the ONNX Runtime and whisper.cpp natives the jars unpack need it.
packages=openjdk-17-jre-headless,libstdc++6
case "$kind" in
  jre) ;;
  media) packages+=,ffmpeg,libpocketsphinx3,libsphinxbase3,pocketsphinx-en-us ;;
  *) echo "unknown base kind: $kind (jre or media)" >&2; exit 2 ;;
esac
[ -z "${TIERGATE_BASE_EXTRA_PACKAGES:-}" ] || packages+=",$TIERGATE_BASE_EXTRA_PACKAGES"

command -v mmdebstrap >/dev/null 2>&1 || { echo "mmdebstrap is missing: apt-get install mmdebstrap" >&2; exit 1; }
mkdir -p "$deb_cache" "$(dirname "$out")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Earlier downloads seed apt's cache inside the build; new ones are copied back out for the next run.
seed=$work/seed
mkdir -p "$seed"
cp -l "$deb_cache"/*.deb "$seed"/ 2>/dev/null || cp "$deb_cache"/*.deb "$seed"/ 2>/dev/null || true

# Documentation, man pages and translations are not needed in a container and are a fifth of the size. The man1
# directory stays: update-alternatives links the JRE's man pages there and fails without it.
mmdebstrap --variant=essential --include="$packages" \
  --aptopt='APT::Install-Recommends "false"' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --setup-hook='mkdir -p "$1"/var/cache/apt/archives' \
  --essential-hook='mkdir -p "$1"/usr/share/man/man1' \
  --setup-hook="sync-in '$seed' /var/cache/apt/archives/" \
  --customize-hook="sync-out /var/cache/apt/archives '$deb_cache'" \
  --customize-hook='echo "jboss:x:185:185:Tiergate:/home/jboss:/usr/sbin/nologin" >> "$1"/etc/passwd' \
  --customize-hook='echo "jboss:x:185:" >> "$1"/etc/group' \
  --customize-hook='mkdir -p "$1"/home/jboss && chown 185:185 "$1"/home/jboss' \
  --customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*' \
  "$suite" "$work/rootfs.tar" "$sources"

# Wrap the root filesystem as a one-layer `docker save` archive: manifest.json, the config blob and the layer.
layer_digest=$(sha256sum "$work/rootfs.tar" | cut -d' ' -f1)
mkdir -p "$work/image/$layer_digest"
mv "$work/rootfs.tar" "$work/image/$layer_digest/layer.tar"
arch=$(dpkg --print-architecture)
cat > "$work/config.json" <<JSON
{"architecture":"$arch","os":"linux",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","LANG=C.UTF-8",
   "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-$arch"],
   "User":"185","WorkingDir":"/home/jboss",
   "Labels":{"io.tiergate.base":"$kind","io.tiergate.base.packages":"$packages","io.tiergate.base.suite":"$suite"}},
 "rootfs":{"type":"layers","diff_ids":["sha256:$layer_digest"]},
 "history":[{"created_by":"images/build-base.sh $kind (mmdebstrap $suite: $packages)"}]}
JSON
config_digest=$(sha256sum "$work/config.json" | cut -d' ' -f1)
mv "$work/config.json" "$work/image/$config_digest.json"
printf '[{"Config":"%s.json","RepoTags":["tiergate/base-%s:%s"],"Layers":["%s/layer.tar"]}]\n' \
  "$config_digest" "$kind" "$suite" "$layer_digest" > "$work/image/manifest.json"
(cd "$work/image" && tar -cf "$out.partial" manifest.json "$config_digest.json" "$layer_digest")
mv "$out.partial" "$out"
echo "base image $kind: $out ($(du -h "$out" | cut -f1))"
