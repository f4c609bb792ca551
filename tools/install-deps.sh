#!/usr/bin/env bash
# Installs the Debian 12 packages saccade needs to build, run and test (only those missing).
set -euo pipefail
pkgs=(
  gcc pkg-config meson ninja-build
  libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libfftw3-dev libcjson-dev zlib1g-dev
  libopenblas-dev  # eval rivals: dense and locally connected products (one thread)
  libgl-dev libegl-dev libgl1-mesa-dri libegl-mesa0
  fontconfig fonts-dejavu-core fonts-dejavu-extra fonts-urw-base35 fonts-liberation2
  fonts-open-sans fonts-cantarell fonts-lato fonts-linuxlibertine  # eval reading: more held-out families
  fonts-inconsolata  # eval reading --text --split val: a monospace validation family
  fonts-roboto-unhinted fonts-paratype fonts-cabin fonts-go fonts-sil-charis fonts-ebgaramond
  fonts-vollkorn fonts-sil-andika fonts-crosextra-caladea  # train --dataset textK: more training faces
  xvfb xauth xdotool jq
  clang libclang-rt-14-dev  # libFuzzer harnesses (ninja -C BUILD fuzz; tests/fuzz/run.sh)
  clang-format  # tools/check-format.sh (CI)
  libavcodec-dev libavformat-dev libswscale-dev libavutil-dev libavdevice-dev ffmpeg  # video export, video scenes, V4L2 cameras
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
