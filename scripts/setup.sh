#!/usr/bin/env bash
# Installs the Debian packages tiersim needs, and only those that are missing.
# Does nothing (and needs no network) when everything is present.
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  libsystemc-dev          # SystemC 2.3 + TLM-2.0 (event kernel)
  libyaml-cpp-dev         # configs
  libfmt-dev              # formatting
  libhdf5-dev             # results and traces (C++ API)
  libboost-dev            # Boost.Histogram
  libcli11-dev            # command line
  libgtest-dev            # tests
  libbenchmark-dev        # bench/
  python3 python3-h5py python3-pandas python3-matplotlib   # analysis/
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
