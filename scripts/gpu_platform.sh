#!/usr/bin/env bash
# Read-only facts about the GPU's host link, printed to stdout (scripts/gpu_measure.sh keeps them
# as platform.txt beside the measurements): the PCI section of `nvidia-smi -q`, and for every
# NVIDIA PCI function in sysfs its link speed/width and, from the PCI Express capability in its
# configuration space, the max payload size (MPS) and max read request size (MRRS) in use.
# Never writes to a device.
set -uo pipefail
echo "# nvidia-smi -q (PCI section)"
nvidia-smi -q -i 0 2>&1 | sed -n '/^    PCI$/,/^    [A-Z][a-z]* *[A-Za-z]*$/p' | head -40
for d in /sys/bus/pci/devices/*; do
  [ "$(cat "$d/vendor" 2>/dev/null)" = 0x10de ] || continue
  echo "# $d (sysfs)"
  for f in max_link_speed max_link_width current_link_speed current_link_width; do
    echo "$f: $(cat "$d/$f" 2>/dev/null || echo n/a)"
  done
  python3 - "$d/config" <<'PY' || echo "config space: unreadable"
import sys
cfg = open(sys.argv[1], "rb").read()
if len(cfg) < 64 or not (cfg[6] & 0x10):
    print("config space: no capability list"); sys.exit(0)
ptr, seen = cfg[0x34] & 0xFC, set()
while ptr and ptr not in seen and ptr + 12 <= len(cfg):
    seen.add(ptr)
    if cfg[ptr] == 0x10:  # PCI Express capability
        devcap = int.from_bytes(cfg[ptr + 4:ptr + 8], "little")
        devctl = int.from_bytes(cfg[ptr + 8:ptr + 10], "little")
        print(f"DevCap MPS supported: {128 << (devcap & 7)} B")
        print(f"DevCtl MPS: {128 << ((devctl >> 5) & 7)} B, MRRS: {128 << ((devctl >> 12) & 7)} B")
        break
    ptr = cfg[ptr + 1] & 0xFC
else:
    print("config space: no PCI Express capability")
PY
done
