// Synthetic device traces shared by the DRAM tests and bench/dram_bench.cpp, and a runner that
// times one trace with either fidelity.
//
// Traces (seeded, deterministic): sequential, strided, random, 2:1 read/write mix, row-conflict
// heavy (alternating rows of one bank per channel), bursty on/off. `interval` spaces arrivals
// (0: all arrive at time 0, a saturating load).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "models/dram/detailed_engine.h"
#include "models/dram/fast_engine.h"

namespace tiersim::models::dram::test {

enum class Pattern { kSequential, kStrided, kRandom, kMixed, kRowConflict, kBursty, kRowPingPong };

inline const char* pattern_name(Pattern p) {
  switch (p) {
    case Pattern::kSequential:
      return "sequential";
    case Pattern::kStrided:
      return "strided";
    case Pattern::kRandom:
      return "random";
    case Pattern::kMixed:
      return "mix_2r1w";
    case Pattern::kRowConflict:
      return "row_conflict";
    case Pattern::kRowPingPong:
      return "row_pingpong";
    default:
      return "bursty";
  }
}

inline std::vector<DramRequest> make_trace(const DramSpec& spec, const AddressMapping& map,
                                           Pattern p, std::size_t n, Bytes size, Time interval,
                                           std::uint64_t footprint = 4ULL << 30) {
  std::vector<DramRequest> t;
  t.reserve(n);
  std::mt19937_64 rng(42);
  footprint = std::min<std::uint64_t>(footprint, spec.capacity().count());
  const std::uint64_t row_place = map.digit_of(Field::kRow).place * spec.burst_bytes.count();
  for (std::size_t i = 0; i < n; ++i) {
    DramRequest r;
    r.bytes = size;
    r.arrival = interval * static_cast<std::int64_t>(i);
    switch (p) {
      case Pattern::kSequential:
        r.address = (i * size.count()) % footprint;
        break;
      case Pattern::kStrided:
        r.address = (i * size.count() * 5) % footprint;
        break;
      case Pattern::kRandom:
      case Pattern::kMixed:
        r.address = (rng() % (footprint / size.count())) * size.count();
        r.write = p == Pattern::kMixed && i % 3 == 2;
        break;
      case Pattern::kRowConflict:
        // The same banks, a different row each request (64 rows in turn): every access conflicts
        // with the previous one, and no queued request shares its row (no FR-FCFS batching).
        r.address = ((i % 64) * row_place + (i / 64) * size.count() % (row_place / 4)) % footprint;
        break;
      case Pattern::kRowPingPong:
        // Two rows of the same banks, alternating: every access conflicts with the previous, but
        // the queue holds hits to both rows, which FR-FCFS serves in batches.
        r.address = ((i % 2) * row_place + (i / 2) * size.count() % (row_place / 4)) % footprint;
        break;
      case Pattern::kBursty:
        // 64 back-to-back requests, then a gap as long as the burst took at 2x interval.
        r.address = (i * size.count()) % footprint;
        r.arrival = interval * static_cast<std::int64_t>((i / 64) * 192 + i % 64);
        break;
    }
    t.push_back(r);
  }
  return t;
}

struct TraceRun {
  Time end;  // last completion
  double mean_latency_ns = 0;
  double p99_latency_ns = 0;
  double seconds = 0;  // wall time
  Bytes bytes;
  [[nodiscard]] double gbps() const { return bytes.as_double() / end.as_seconds() * 1e-9; }
};

inline TraceRun run_trace(const DramSpec& spec, const AddressMapping& map,
                          const std::vector<DramRequest>& trace, bool detailed) {
  std::vector<DramResult> res(trace.size());
  const auto t0 = std::chrono::steady_clock::now();
  if (detailed) {
    DetailedEngine e(spec, map);
    for (const DramRequest& r : trace) (void)e.submit(r);
    e.run_all();
    for (std::size_t i = 0; i < trace.size(); ++i) res[i] = e.result(i);
  } else {
    FastEngine e(spec, map);
    for (std::size_t i = 0; i < trace.size(); ++i) res[i] = e.serve(trace[i]);
  }
  TraceRun out;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::vector<double> lat(trace.size());
  double sum = 0;
  for (std::size_t i = 0; i < trace.size(); ++i) {
    out.end = max(out.end, res[i].last);
    out.bytes += trace[i].bytes;
    lat[i] = (res[i].last - trace[i].arrival).as_ns();
    sum += lat[i];
  }
  std::sort(lat.begin(), lat.end());
  out.mean_latency_ns = sum / static_cast<double>(lat.size());
  out.p99_latency_ns = lat[std::min(lat.size() - 1, lat.size() * 99 / 100)];
  return out;
}

}  // namespace tiersim::models::dram::test
