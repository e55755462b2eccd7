// Streaming bandwidth against the peak, and fast vs detailed on shared device traces (the
// figures themselves: bench/dram_bench.cpp). Short traces so the suite stays fast.
#include <gtest/gtest.h>

#include <cstdio>

#include "tests/dram/dram_test_util.h"
#include "tests/dram/dram_traces.h"

namespace tiersim::models::dram::test {
namespace {

double sequential_fraction(const DramSpec& spec, bool detailed, std::size_t n) {
  const AddressMapping map(spec);
  const auto trace = make_trace(spec, map, Pattern::kSequential, n, Bytes::KiB(4), Time::zero());
  return run_trace(spec, map, trace, detailed).gbps() / spec.peak_bandwidth().as_GBps();
}

TEST(DramBandwidth, Hbm3StackSequentialAtLeast90PercentOfPeak) {
  const DramSpec spec = load_preset("hbm3_6400.yaml", "refresh: {mode: none}");
  EXPECT_NEAR(spec.peak_bandwidth().as_GBps(), 819.2, 1e-6);
  EXPECT_GE(sequential_fraction(spec, false, 2048), 0.90);
  EXPECT_GE(sequential_fraction(spec, true, 2048), 0.90);
}

TEST(DramBandwidth, Ddr5ChannelSequentialAtLeast85PercentOfPeak) {
  const DramSpec spec = load_preset("ddr5_4800.yaml", "refresh: {mode: none}");
  EXPECT_GE(sequential_fraction(spec, false, 1024), 0.85);
  EXPECT_GE(sequential_fraction(spec, true, 1024), 0.85);
}

// Every other preset streams at >= 85% of its peak in both fidelities (refresh off), and the
// peak is the nominal one (data buses x width x data rate).
struct PresetPeak {
  std::string file;
  double peak_gbps;
};
class PresetBandwidth : public ::testing::TestWithParam<PresetPeak> {};

TEST_P(PresetBandwidth, SequentialAtLeast85PercentOfPeak) {
  const DramSpec spec = load_preset(GetParam().file, "refresh: {mode: none}");
  EXPECT_NEAR(spec.peak_bandwidth().as_GBps(), GetParam().peak_gbps, GetParam().peak_gbps * 0.002);
  EXPECT_GE(sequential_fraction(spec, false, 1024), 0.85);
  EXPECT_GE(sequential_fraction(spec, true, 1024), 0.85);
}

INSTANTIATE_TEST_SUITE_P(
    Presets, PresetBandwidth,
    ::testing::Values(PresetPeak{"hbm2_2000.yaml", 256.0}, PresetPeak{"hbm2e_3200.yaml", 409.6},
                      PresetPeak{"hbm3e_9600.yaml", 1228.8}, PresetPeak{"ddr4_3200.yaml", 25.6},
                      PresetPeak{"ddr5_5600.yaml", 44.8}, PresetPeak{"lpddr5_6400.yaml", 51.2}),
    [](const ::testing::TestParamInfo<PresetPeak>& i) {
      return i.param.file.substr(0, i.param.file.find('.'));
    });

TEST(DramBandwidth, Hbm3RefreshLossCloseToRfcOverRefi) {
  const DramSpec off = load_preset("hbm3_6400.yaml", "refresh: {mode: none}");
  const DramSpec on = load_preset("hbm3_6400.yaml");
  const double expected =
      static_cast<double>(on.refresh.duration) / static_cast<double>(on.refresh.interval);
  for (bool detailed : {false, true}) {
    const double loss =
        1.0 - sequential_fraction(on, detailed, 8192) / sequential_fraction(off, detailed, 8192);
    EXPECT_NEAR(loss, expected, 0.03) << (detailed ? "detailed" : "fast");
  }
}

// Fast within 5% of detailed (total time and average bandwidth) on HBM3 device traces, 3000
// requests of 4 KiB every 5 ns (refresh on). The 2:1 read/write mix is checked over 10000
// requests in fidelity_long_test.cpp (label slow): the detailed controller's write-drain
// dynamics make its own time per request vary by about +-10% below that length. Known gap
// (docs/models/dram.md): the two-row ping-pong trace, where FR-FCFS serves every queued hit
// before switching rows, so all banks of the stream switch together and the bus idles; fast's
// per-bank reordering window lets the banks' switches overlap other columns (fast ~7-9% faster).
// It runs as KnownGap below, disabled. The row-conflict trace (a different row every request:
// nothing to reorder) is in the main set.
// The row-conflict trace is what its name says under FR-FCFS: the detailed controller finds no
// row hit to reorder (the ping-pong trace, by contrast, becomes ~90% hits).
TEST(DramTraces, RowConflictTraceConflictsOnEveryBurstEvenUnderFrFcfs) {
  const DramSpec spec = load_preset("hbm3_6400.yaml");
  const AddressMapping map(spec);
  for (const Pattern p : {Pattern::kRowConflict, Pattern::kRowPingPong}) {
    DetailedEngine e(spec, map);
    for (const DramRequest& r : make_trace(spec, map, p, 1000, Bytes::KiB(4), Time::ns(5))) {
      (void)e.submit(r);
    }
    e.run_all();
    const DramCounters& c = e.counters();
    const double conflicts = static_cast<double>(c.row_conflicts) /
                             static_cast<double>(c.row_hits + c.row_misses + c.row_conflicts);
    if (p == Pattern::kRowConflict) {
      EXPECT_GT(conflicts, 0.95);
    } else {
      EXPECT_LT(conflicts, 0.2);
    }
  }
}

class FastVsDetailed : public ::testing::TestWithParam<Pattern> {};

TEST_P(FastVsDetailed, TotalTimeWithin5Percent) {
  const DramSpec spec = load_preset("hbm3_6400.yaml");
  const AddressMapping map(spec);
  const auto trace = make_trace(spec, map, GetParam(), 3000, Bytes::KiB(4), Time::ns(5));
  const TraceRun d = run_trace(spec, map, trace, true);
  const TraceRun f = run_trace(spec, map, trace, false);
  std::printf("%s: time error %+.2f%%, bandwidth error %+.2f%%\n", pattern_name(GetParam()),
              (f.end.as_us() / d.end.as_us() - 1.0) * 100.0, (f.gbps() / d.gbps() - 1.0) * 100.0);
  EXPECT_NEAR(f.end.as_us() / d.end.as_us(), 1.0, 0.05);
  EXPECT_NEAR(f.gbps() / d.gbps(), 1.0, 0.05);
}

std::string trace_name(const ::testing::TestParamInfo<Pattern>& i) {
  return pattern_name(i.param);
}

INSTANTIATE_TEST_SUITE_P(Hbm3, FastVsDetailed,
                         ::testing::Values(Pattern::kSequential, Pattern::kStrided,
                                           Pattern::kRandom, Pattern::kRowConflict,
                                           Pattern::kBursty),
                         trace_name);
INSTANTIATE_TEST_SUITE_P(DISABLED_KnownGap, FastVsDetailed,
                         ::testing::Values(Pattern::kRowPingPong), trace_name);

}  // namespace
}  // namespace tiersim::models::dram::test
