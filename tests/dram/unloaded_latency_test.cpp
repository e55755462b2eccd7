// Unloaded latency of one burst, exactly, in both fidelities (refresh off, idle device):
//   row hit      = tCL + tBURST
//   row miss     = tRCD + tCL + tBURST
//   row conflict = tRP + tRCD + tCL + tBURST
// plus the controller's front-end latency when configured. Latency is arrival to the last data
// beat; every value is a whole number of tCK.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "models/dram/detailed_engine.h"
#include "models/dram/fast_engine.h"
#include "tests/dram/dram_test_util.h"

namespace tiersim::models::dram::test {
namespace {

struct Case {
  std::string preset;
  std::string rcd;  // parameter name of tRCD for reads
  std::string fidelity;
  std::string controller;  // controller latency
};

class UnloadedLatency : public ::testing::TestWithParam<Case> {};

TEST_P(UnloadedLatency, HitMissConflictFormulas) {
  const Case& k = GetParam();
  const DramSpec spec =
      load_preset(k.preset, "{refresh: {mode: none}, controller: {latency: " + k.controller + "}}");
  const AddressMapping map(spec);
  std::unique_ptr<Engine> e;
  if (k.fidelity == "fast") {
    e = std::make_unique<FastEngine>(spec, map);
  } else {
    e = std::make_unique<DetailedEngine>(spec, map);
  }
  const Bytes burst = spec.burst_bytes;
  const std::uint64_t column_place = map.digit_of(Field::kColumn).place * burst.count();
  const std::uint64_t row_place = map.digit_of(Field::kRow).place * burst.count();
  const Cycle ctl = spec.controller.front_latency;
  const Cycle cl = spec.read_latency;
  const Cycle bl = spec.burst_cycles;
  const Cycle rcd = spec.params.at(k.rcd);
  const Cycle rp = spec.params.at("nRP");
  const auto latency = [&](std::uint64_t address, Time at) {
    const DramResult r = e->serve({address, burst, false, at});
    return r.last - at;
  };
  // Miss: bank closed.
  EXPECT_EQ(latency(0, Time::zero()), spec.cycles(ctl + rcd + cl + bl));
  // Hit: same bank and row, next column, long after (arrivals on a tCK edge).
  EXPECT_EQ(latency(column_place, spec.cycles(10000)), spec.cycles(ctl + cl + bl));
  // Conflict: same bank, next row.
  EXPECT_EQ(latency(row_place, spec.cycles(20000)), spec.cycles(ctl + rp + rcd + cl + bl));
  EXPECT_EQ(e->counters().row_hits, 1U);
  EXPECT_EQ(e->counters().row_misses, 1U);
  EXPECT_EQ(e->counters().row_conflicts, 1U);
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string p = info.param.preset.substr(0, info.param.preset.find('.'));
  return p + "_" + info.param.fidelity + (info.param.controller == "0 ns" ? "" : "_ctl");
}

INSTANTIATE_TEST_SUITE_P(Presets, UnloadedLatency,
                         ::testing::Values(Case{"hbm3_6400.yaml", "nRCDRD", "fast", "0 ns"},
                                           Case{"hbm3_6400.yaml", "nRCDRD", "detailed", "0 ns"},
                                           Case{"hbm3_6400.yaml", "nRCDRD", "fast", "5 ns"},
                                           Case{"hbm3_6400.yaml", "nRCDRD", "detailed", "5 ns"},
                                           Case{"ddr5_4800.yaml", "nRCD", "fast", "0 ns"},
                                           Case{"ddr5_4800.yaml", "nRCD", "detailed", "0 ns"},
                                           Case{"ddr5_4800.yaml", "nRCD", "fast", "5 ns"},
                                           Case{"ddr5_4800.yaml", "nRCD", "detailed", "5 ns"},
                                           Case{"hbm2_2000.yaml", "nRCDRD", "fast", "0 ns"},
                                           Case{"hbm2_2000.yaml", "nRCDRD", "detailed", "0 ns"},
                                           Case{"hbm2e_3200.yaml", "nRCDRD", "fast", "0 ns"},
                                           Case{"hbm2e_3200.yaml", "nRCDRD", "detailed", "0 ns"},
                                           Case{"hbm3e_9600.yaml", "nRCDRD", "fast", "0 ns"},
                                           Case{"hbm3e_9600.yaml", "nRCDRD", "detailed", "0 ns"},
                                           Case{"ddr4_3200.yaml", "nRCD", "fast", "0 ns"},
                                           Case{"ddr4_3200.yaml", "nRCD", "detailed", "0 ns"},
                                           Case{"ddr5_5600.yaml", "nRCD", "fast", "0 ns"},
                                           Case{"ddr5_5600.yaml", "nRCD", "detailed", "0 ns"},
                                           Case{"lpddr5_6400.yaml", "nRCD", "fast", "5 ns"},
                                           Case{"lpddr5_6400.yaml", "nRCD", "detailed", "5 ns"}),
                         case_name);

}  // namespace
}  // namespace tiersim::models::dram::test
