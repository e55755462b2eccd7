// DRAM model figures: bandwidth tables, random-access latency, fast vs detailed on six traces,
// and detailed-mode speed. Usage: tiersim_dram_bench [scale]   (scale multiplies trace lengths;
// default 1). Prints tables; asserts nothing (tests/dram checks the bounds).
#include <fmt/format.h>

#include <cstdlib>
#include <string>
#include <systemc>

#include "sim/kernel/sc_entry.h"
#include "tests/dram/dram_test_util.h"
#include "tests/dram/dram_traces.h"

using namespace tiersim;
using namespace tiersim::models::dram;
using namespace tiersim::models::dram::test;

namespace {

void bandwidth_row(const std::string& label, const DramSpec& spec, Pattern p, std::size_t n,
                   Bytes size) {
  const AddressMapping map(spec);
  const auto trace = make_trace(spec, map, p, n, size, Time::zero());
  const double peak = spec.peak_bandwidth().as_GBps();
  for (bool detailed : {false, true}) {
    const TraceRun r = run_trace(spec, map, trace, detailed);
    fmt::print("{:<34} {:<9} {:>9.1f} GB/s {:>6.1f}% of {:.1f} GB/s\n", label,
               detailed ? "detailed" : "fast", r.gbps(), 100.0 * r.gbps() / peak, peak);
  }
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  const std::size_t scale = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1;
  const DramSpec hbm = load_preset("hbm3_6400.yaml", "refresh: {mode: none}");
  const DramSpec hbm_ref = load_preset("hbm3_6400.yaml");
  const DramSpec ddr = load_preset("ddr5_4800.yaml", "refresh: {mode: none}");
  const DramSpec ddr_ref = load_preset("ddr5_4800.yaml");

  fmt::print("== Bandwidth: sequential reads, 4 KiB requests, all queued at t=0 ==\n");
  bandwidth_row("HBM3-6400 stack, refresh off", hbm, Pattern::kSequential, 16384 * scale,
                Bytes::KiB(4));
  bandwidth_row("HBM3-6400 stack, refresh on", hbm_ref, Pattern::kSequential, 16384 * scale,
                Bytes::KiB(4));
  fmt::print("  expected refresh loss tRFC/tREFI = {}/{} = {:.1f}%\n", hbm_ref.refresh.duration,
             hbm_ref.refresh.interval,
             100.0 * static_cast<double>(hbm_ref.refresh.duration) /
                 static_cast<double>(hbm_ref.refresh.interval));
  bandwidth_row("DDR5-4800 channel, refresh off", ddr, Pattern::kSequential, 4096 * scale,
                Bytes::KiB(4));
  bandwidth_row("DDR5-4800 channel, refresh on", ddr_ref, Pattern::kSequential, 4096 * scale,
                Bytes::KiB(4));
  fmt::print("  expected refresh loss tRFC/tREFI = {}/{} = {:.1f}%\n", ddr_ref.refresh.duration,
             ddr_ref.refresh.interval,
             100.0 * static_cast<double>(ddr_ref.refresh.duration) /
                 static_cast<double>(ddr_ref.refresh.interval));

  fmt::print("\n== Random 64 B reads over 4 GiB (refresh on), all queued at t=0 ==\n");
  for (const auto* s : {&hbm_ref, &ddr_ref}) {
    const AddressMapping map(*s);
    const auto trace =
        make_trace(*s, map, Pattern::kRandom, 200000 * scale, Bytes(64), Time::zero());
    for (bool detailed : {false, true}) {
      const TraceRun r = run_trace(*s, map, trace, detailed);
      fmt::print("{:<6} {:<9} {:>8.1f} GB/s  mean {:>10.1f} ns  p99 {:>10.1f} ns\n", s->standard,
                 detailed ? "detailed" : "fast", r.gbps(), r.mean_latency_ns, r.p99_latency_ns);
    }
  }
  fmt::print(
      "\n== Random 64 B reads over 4 GiB (refresh on), one every 2 ns (HBM3) / 8 ns "
      "(DDR5) ==\n");
  for (const auto* s : {&hbm_ref, &ddr_ref}) {
    const AddressMapping map(*s);
    const Time gap = s == &hbm_ref ? Time::ns(2) : Time::ns(8);
    const auto trace = make_trace(*s, map, Pattern::kRandom, 200000 * scale, Bytes(64), gap);
    for (bool detailed : {false, true}) {
      const TraceRun r = run_trace(*s, map, trace, detailed);
      fmt::print("{:<6} {:<9} {:>8.1f} GB/s  mean {:>10.1f} ns  p99 {:>10.1f} ns\n", s->standard,
                 detailed ? "detailed" : "fast", r.gbps(), r.mean_latency_ns, r.p99_latency_ns);
    }
  }

  fmt::print("\n== Fast vs detailed, HBM3-6400 (refresh on), 4 KiB requests every 5 ns ==\n");
  fmt::print("{:<13} {:>12} {:>12} {:>8} {:>10} {:>10} {:>8} {:>12}\n", "trace", "detailed us",
             "fast us", "time err", "det GB/s", "fast GB/s", "bw err", "speed ratio");
  const AddressMapping hmap(hbm_ref);
  for (Pattern p : {Pattern::kSequential, Pattern::kStrided, Pattern::kRandom, Pattern::kMixed,
                    Pattern::kRowConflict, Pattern::kBursty, Pattern::kRowPingPong}) {
    const auto trace = make_trace(hbm_ref, hmap, p, 20000 * scale, Bytes::KiB(4), Time::ns(5));
    const TraceRun d = run_trace(hbm_ref, hmap, trace, true);
    const TraceRun f = run_trace(hbm_ref, hmap, trace, false);
    const double terr = (f.end.as_us() - d.end.as_us()) / d.end.as_us() * 100.0;
    const double berr = (f.gbps() - d.gbps()) / d.gbps() * 100.0;
    fmt::print("{:<13} {:>12.2f} {:>12.2f} {:>7.2f}% {:>10.1f} {:>10.1f} {:>7.2f}% {:>11.0f}x\n",
               pattern_name(p), d.end.as_us(), f.end.as_us(), terr, d.gbps(), f.gbps(), berr,
               d.seconds / f.seconds);
  }

  fmt::print(
      "\n== Detailed-mode speed and fast/detailed speed ratio (HBM3, refresh on, all queued at "
      "t=0) ==\n");
  for (Pattern p : {Pattern::kSequential, Pattern::kRandom}) {
    for (Bytes size : {Bytes(64), Bytes::KiB(4), Bytes::KiB(64), Bytes::MiB(1)}) {
      // 20000 requests up to 4 KiB, 16 MiB of requests above.
      const std::size_t n = (size.count() <= 4096 ? 20000 : (16ULL << 20) / size.count()) * scale;
      const auto trace = make_trace(hbm_ref, hmap, p, n, size, Time::zero());
      const TraceRun d = run_trace(hbm_ref, hmap, trace, true);
      const TraceRun f = run_trace(hbm_ref, hmap, trace, false);
      fmt::print(
          "{:<11} {:>8} B: detailed {:>9.0f} req/s ({:>5.0f} k bursts/s), fast {:>9.0f} req/s, "
          "ratio {:>5.1f}x, time error {:+.2f}%\n",
          pattern_name(p), size.count(), static_cast<double>(n) / d.seconds,
          static_cast<double>(n *
                              std::max<std::uint64_t>(1, size.count() / hbm.burst_bytes.count())) /
              d.seconds * 1e-3,
          static_cast<double>(n) / f.seconds, d.seconds / f.seconds,
          (f.end.as_us() / d.end.as_us() - 1.0) * 100.0);
    }
  }
  return 0;
}

int main(int argc, char* argv[]) {
  return tiersim::kernel::systemc_main(argc, argv);
}
