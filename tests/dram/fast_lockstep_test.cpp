// Lockstep in the fast engine is a speed-up only: timing channel 0 for every channel while all
// channels have received the same runs must give the same results and counters, to the cycle, as
// timing every channel — also after a request breaks the symmetry and the mirrored state is
// copied out.
#include <gtest/gtest.h>

#include <vector>

#include "models/dram/fast_engine.h"
#include "sim/stats/time_series.h"
#include "tests/dram/dram_test_util.h"
#include "tests/dram/dram_traces.h"

namespace tiersim::models::dram::test {
namespace {

struct Served {
  std::vector<DramResult> results;
  DramCounters counters;
  std::vector<std::vector<double>> series;  // per channel: bytes per window
  bool still_lockstep = false;
};

Served serve_all(const DramSpec& spec, const AddressMapping& map,
                 const std::vector<DramRequest>& trace, bool lockstep) {
  FastEngine e(spec, map);
  e.set_lockstep(lockstep);
  std::vector<stats::TimeSeries> series;
  series.reserve(spec.count(Level::kChannel));
  std::vector<stats::TimeSeries*> ptrs;
  for (std::size_t c = 0; c < spec.count(Level::kChannel); ++c) {
    series.emplace_back("B", Time::ns(100));
    ptrs.push_back(&series.back());
  }
  e.set_channel_series(ptrs);
  Served out;
  for (const DramRequest& r : trace) out.results.push_back(e.serve(r));
  out.counters = e.counters();
  for (const auto& s : series) out.series.push_back(s.values());
  out.still_lockstep = e.lockstep();
  return out;
}

void expect_same(const Served& a, const Served& b) {
  ASSERT_EQ(a.results.size(), b.results.size());
  for (std::size_t i = 0; i < a.results.size(); ++i) {
    ASSERT_EQ(a.results[i].first, b.results[i].first) << "request " << i;
    ASSERT_EQ(a.results[i].last, b.results[i].last) << "request " << i;
  }
  EXPECT_EQ(a.counters.commands, b.counters.commands);
  EXPECT_EQ(a.counters.row_hits, b.counters.row_hits);
  EXPECT_EQ(a.counters.row_misses, b.counters.row_misses);
  EXPECT_EQ(a.counters.row_conflicts, b.counters.row_conflicts);
  EXPECT_EQ(a.counters.refresh_cycles, b.counters.refresh_cycles);
  EXPECT_EQ(a.counters.bytes_read, b.counters.bytes_read);
  EXPECT_EQ(a.counters.bytes_written, b.counters.bytes_written);
  EXPECT_EQ(a.series, b.series);
}

class FastLockstep : public ::testing::TestWithParam<Pattern> {};

TEST_P(FastLockstep, SameResultsAsTimingEveryChannel) {
  const DramSpec spec = load_preset("hbm3_6400.yaml");  // refresh on
  const AddressMapping map(spec);
  auto trace = make_trace(spec, map, GetParam(), 1500, Bytes::KiB(4), Time::ns(5));
  const Served on = serve_all(spec, map, trace, true);
  EXPECT_TRUE(on.still_lockstep);  // 4 KiB-aligned requests stripe every channel alike
  expect_same(on, serve_all(spec, map, trace, false));
  // A 64 B request (one channel) halfway breaks the symmetry: the rest runs per channel.
  trace[750].bytes = Bytes(64);
  const Served broken = serve_all(spec, map, trace, true);
  EXPECT_FALSE(broken.still_lockstep);
  expect_same(broken, serve_all(spec, map, trace, false));
}

INSTANTIATE_TEST_SUITE_P(Hbm3, FastLockstep,
                         ::testing::Values(Pattern::kSequential, Pattern::kRandom, Pattern::kMixed,
                                           Pattern::kRowConflict, Pattern::kRowPingPong),
                         [](const ::testing::TestParamInfo<Pattern>& i) {
                           return std::string(pattern_name(i.param));
                         });

TEST(FastLockstep, EveryPresetLargeRequestsAndAMix) {
  for (const char* preset :
       {"hbm3_6400.yaml", "hbm2_2000.yaml", "hbm2e_3200.yaml", "hbm3e_9600.yaml", "ddr4_3200.yaml",
        "ddr5_4800.yaml", "ddr5_5600.yaml", "lpddr5_6400.yaml"}) {
    SCOPED_TRACE(preset);
    const DramSpec spec = load_preset(preset);
    const AddressMapping map(spec);
    const auto trace = make_trace(spec, map, Pattern::kRandom, 200, Bytes::KiB(64), Time::ns(50));
    expect_same(serve_all(spec, map, trace, true), serve_all(spec, map, trace, false));
    // Requests spanning many mapping blocks: admitted once per block and channel.
    const auto big = make_trace(spec, map, Pattern::kSequential, 32, Bytes::MiB(2), Time::us(10));
    expect_same(serve_all(spec, map, big, true), serve_all(spec, map, big, false));
    const auto mix = make_trace(spec, map, Pattern::kMixed, 400, Bytes::KiB(16), Time::ns(20));
    expect_same(serve_all(spec, map, mix, true), serve_all(spec, map, mix, false));
  }
}

}  // namespace
}  // namespace tiersim::models::dram::test
