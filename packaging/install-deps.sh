#!/usr/bin/env bash
# Installs the Debian 12 packages hearth needs to build, test and run.
# Idempotent: does nothing (and prints nothing) when everything is present.
# Uses sudo only when not already root.
#   packaging/install-deps.sh            build, test and run dependencies
#   packaging/install-deps.sh --training also the Python packages for model training
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  qt6-base-dev
  portaudio19-dev libasound2-plugins alsa-utils
  libsentencepiece-dev
  libopenblas-dev
  libmosquitto-dev mosquitto
  libsqlite3-dev sqlite3
  libspdlog-dev libfmt-dev
  nlohmann-json3-dev libcli11-dev libyaml-cpp-dev libcpp-httplib-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  pocketsphinx pocketsphinx-en-us libpocketsphinx-dev
  libespeak-ng-dev espeak-ng flite1-dev
  xvfb xauth
  openssl
  clang libclang-rt-14-dev
  python3 python3-numpy
  dpkg-dev file
)
if [[ "${1:-}" == "--training" ]]; then
  packages+=(python3-torch python3-sentencepiece)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then sudo_cmd=(sudo); fi

echo "hearth: installing ${#missing[@]} Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
