// The five flash traces of issue 5 acceptance 5 (fast vs detailed fidelity), replayed closed-loop
// on an SsdModel: sequential read, random read, random write after preconditioning (FTL + GC),
// mixed read/write, many small reads. Shared by tests/flash/fidelity_test.cpp (short forms) and
// bench/flash_bench.cpp (long forms, with wall time).
#pragma once

#include <array>
#include <random>
#include <string>

#include "tests/flash/flash_test_util.h"

namespace tiersim::models::flash::test {

enum class Trace { kSeqRead, kRandRead, kRandWrite, kMixed, kSmallReads };
inline constexpr std::array<Trace, 5> kTraces = {
    Trace::kSeqRead, Trace::kRandRead, Trace::kRandWrite, Trace::kMixed, Trace::kSmallReads};

inline const char* trace_name(Trace t) {
  switch (t) {
    case Trace::kSeqRead:
      return "sequential read 128 KiB QD32";
    case Trace::kRandRead:
      return "random read 4 KiB QD256";
    case Trace::kRandWrite:
      return "random write 16 KiB QD16, 90% full";
    case Trace::kMixed:
      return "mixed 70/30 4 KiB read/16 KiB write QD64";
    case Trace::kSmallReads:
      return "small reads 512 B QD128";
  }
  return "?";
}

// The drive of each trace: the 980 PRO preset; the random-write trace on a small drive with the
// same timing (2 ch x 2 dies x 1 plane x 64 blocks x 32 pages; GC soon).
inline SsdModel trace_drive(Trace t, const std::string& fidelity) {
  const std::string preset = "configs/flash/samsung_980pro_2tb.yaml";
  const std::string fid = "fidelity: " + fidelity + "\n";
  if (t == Trace::kRandWrite) {
    SsdModel m = load_ssd(
        preset, fid +
                    "nand: {channels: 2, ways: 2, planes: 1, blocks_per_plane: 64, "
                    "pages_per_block: 32}\ncontroller: {capacity: 117440512 B, ftl: true}");
    m.ftl()->precondition(0.9, 4 * 117440512 / 16384, 1);  // fill, then 4x overwrites: steady
    return m;
  }
  return load_ssd(preset, fid);
}

struct TraceResult {
  Time end;
  std::uint64_t ios = 0;
  Bytes bytes;
};

// Replays `n` requests of trace t closed-loop on m (same seeds for every fidelity).
inline TraceResult replay(Trace t, SsdModel& m, std::uint64_t n) {
  std::mt19937_64 rng(42);
  const std::uint64_t cap = m.controller().capacity.count();
  std::uint32_t qd = 32;
  switch (t) {
    case Trace::kSeqRead:
      qd = 32;
      break;
    case Trace::kRandRead:
      qd = 256;
      break;
    case Trace::kRandWrite:
      qd = 16;
      break;
    case Trace::kMixed:
      qd = 64;
      break;
    case Trace::kSmallReads:
      qd = 128;
      break;
  }
  TraceResult r;
  const LoopResult l = closed_loop(qd, n, [&](std::uint64_t i, Time at) {
    std::uint64_t size = 4096;
    bool write = false;
    std::uint64_t addr = 0;
    switch (t) {
      case Trace::kSeqRead:
        size = 128 << 10;
        addr = (i * size) % cap;
        break;
      case Trace::kRandRead:
        addr = (rng() % (cap / size)) * size;
        break;
      case Trace::kRandWrite:
        size = 16384;
        write = true;
        addr = (rng() % (cap / size)) * size;
        break;
      case Trace::kMixed:
        write = rng() % 10 < 3;
        size = write ? 16384 : 4096;
        addr = (rng() % (cap / size)) * size;
        break;
      case Trace::kSmallReads:
        size = 512;
        addr = (rng() % (cap / size)) * size;
        break;
    }
    r.bytes += Bytes(size);
    if (write) {
      m.write(addr, Bytes(size), at, at, at);
    } else {
      m.read(addr, Bytes(size), at, at);
    }
    return m.last().ack;
  });
  r.end = l.end;
  r.ios = l.ios;
  return r;
}

}  // namespace tiersim::models::flash::test
