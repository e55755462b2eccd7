// PIM command schedules on the HBM3 presets: the closed form (FastSchedule) against the
// command-by-command engine; the command spacing the PIM rules impose; the internal bandwidth of
// each PIM kind derived from the organization and timing parameters (not typed in); and Duplex's
// ordering of energy-delay product over Op/B (shared/targets/duplex.yaml D2).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "models/pim/command_engine.h"
#include "models/pim/fast_schedule.h"
#include "models/pim/pim_model.h"
#include "tests/pim/pim_test_util.h"

namespace tiersim::models::pim::test {
namespace {

using dram::Command;
using dram::Cycle;

const std::vector<std::string> kPresets = {"hbm3_bank_pim.yaml", "hbm3_bank_group_pim.yaml",
                                           "hbm3_logic_pim.yaml"};

class EveryKind : public ::testing::TestWithParam<std::string> {};

// Small cases, command by command vs closed form: same commands, same last column, same finish.
TEST_P(EveryKind, ClosedFormMatchesCommandByCommand) {
  const PimPreset p = preset(GetParam());
  const CommandEngine detailed(p.dram, p.pim);
  const FastSchedule fast(p.dram, p.pim);
  for (const std::uint64_t steps : {1, 7, 32, 33, 64, 100, 129, 257, 600}) {
    for (const std::uint64_t batch : {1, 3, 8}) {
      const std::uint64_t per = p.pim.kind == PimKind::kBank ? batch
                                : p.pim.kind == PimKind::kBankGroup
                                    ? (batch + p.pim.vectors_per_read - 1) / p.pim.vectors_per_read
                                    : 1;
      const PcWork w{steps, per, batch, 16};
      const PcSchedule d = detailed.run(w);
      const PcSchedule f = fast.run(w);
      SCOPED_TRACE("steps " + std::to_string(steps) + " batch " + std::to_string(batch));
      EXPECT_EQ(f.commands, d.commands);
      EXPECT_EQ(f.first_column, d.first_column);
      EXPECT_EQ(f.last_column, d.last_column);
      EXPECT_NEAR(static_cast<double>(f.done.ps()), static_cast<double>(d.done.ps()), 2.0);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Hbm3, EveryKind, ::testing::ValuesIn(kPresets),
                         [](const auto& param_info) {
                           const std::string& f = param_info.param;
                           return f.substr(5, f.size() - 10);
                         });

// Bank-PIM: MACab every tCCD_L within a row, the first tRCD after ACTab, ACTabs spaced by the
// larger of the row's command time and the power limit nRRDAB.
TEST(BankPim, AllBankCommandsFollowThePimRules) {
  const PimPreset p = preset("hbm3_bank_pim.yaml");
  const auto& prm = p.dram.params;
  const CommandEngine engine(p.dram, p.pim);
  std::vector<Cycle> at;
  (void)engine.run({96, 1, 1, 16}, [&](const ColumnCommand& c) { at.push_back(c.at); });
  ASSERT_EQ(at.size(), 96u);
  EXPECT_EQ(at[0], prm.at("nRCDRD"));
  for (std::size_t i = 1; i < 32; ++i) EXPECT_EQ(at[i] - at[i - 1], prm.at("nCCDL"));
  // Row period: ACTab -> first MAC tRCD, 31 x tCCD_L, MAC -> PREA tRTP, PREA -> ACTab tRP, but at
  // least the all-bank ACT spacing.
  const Cycle row = std::max(
      prm.at("nRRDAB"), prm.at("nRCDRD") + 31 * prm.at("nCCDL") + prm.at("nRTPL") + prm.at("nRP"));
  EXPECT_EQ(at[32] - at[0], row);
  EXPECT_EQ(at[64] - at[32], row);
}

// Bundle reads: every tCCD_L, and the next bank set's ACTs hide behind the reads (no gap at set
// boundaries once the first set is open).
TEST(LogicPim, BundleReadsStreamAcrossBankSets) {
  const PimPreset p = preset("hbm3_logic_pim.yaml");
  const CommandEngine engine(p.dram, p.pim);
  std::vector<Cycle> at;
  const PcSchedule s =
      engine.run({32 * 9, 1, 1, 16}, [&](const ColumnCommand& c) { at.push_back(c.at); });
  for (std::size_t i = 1; i < at.size(); ++i) {
    ASSERT_EQ(at[i] - at[i - 1], p.dram.params.at("nCCDL")) << "read " << i;
  }
  EXPECT_EQ(s.commands[dram::index(Command::kACT)], 9u * 8u);
  EXPECT_EQ(s.commands[dram::index(Command::kPRE)], 9u * 8u);
}

// GEMV 16384 x 4096 FP16 on one stack (acceptance 2): the internal bandwidth of each kind, over
// the external interface's peak, equals what the organization and timing parameters give.
TEST(PimBandwidth, EmergesFromOrganizationAndTiming) {
  const GemvShape gemv{16384, 4096, 1, 2, 1};
  const PimPreset bank = preset("hbm3_bank_pim.yaml");
  const auto& prm = bank.dram.params;
  const PimGeometry g = geometry_of(bank.dram);
  const double burst = static_cast<double>(bank.dram.burst_bytes.count());
  // External: one burst per nBL per pseudo channel.
  const double ext = burst / static_cast<double>(prm.at("nBL"));
  // Bank-PIM: every bank's row (columns bursts) per row period.
  const double row_period = static_cast<double>(std::max(
      prm.at("nRRDAB"), prm.at("nRCDRD") + (static_cast<Cycle>(g.columns) - 1) * prm.at("nCCDL") +
                            prm.at("nRTPL") + prm.at("nRP")));
  const double bank_ratio =
      static_cast<double>(g.banks_per_pc() * g.columns) * burst / row_period / ext;
  // Bank-group / logic: one burst per bank group per tCCD_L.
  const double group_ratio =
      static_cast<double>(g.groups_per_pc) * burst / static_cast<double>(prm.at("nCCDL")) / ext;
  // HBM3-6400: 32 banks x 32 bursts x 32 B per 192 cycles over 16 B per cycle = 10.67.
  EXPECT_NEAR(bank_ratio, 32.0 * 32.0 * 32.0 / 192.0 / 16.0, 1e-9);
  EXPECT_DOUBLE_EQ(group_ratio, 4.0);
  const auto ratio = [&](const std::string& file) {
    const PimPreset p = preset(file);
    const PimModel m(p.dram, p.pim);
    const PimResult r = m.gemv(gemv);
    return r.internal_bandwidth().bytes_per_second() / m.external_bandwidth().bytes_per_second();
  };
  EXPECT_NEAR(ratio("hbm3_bank_pim.yaml"), bank_ratio, 0.01 * bank_ratio);
  EXPECT_NEAR(ratio("hbm3_bank_group_pim.yaml"), group_ratio, 0.01 * group_ratio);
  EXPECT_NEAR(ratio("hbm3_logic_pim.yaml"), group_ratio, 0.01 * group_ratio);
}

// Duplex Fig. 8 ordering (shared/targets/duplex.yaml D2): energy-delay product of the 16384 x 4096
// GEMV with batch = Op/B vectors: bank-PIM lowest at Op/B <= 2, logic-PIM lowest at Op/B >= 8.
TEST(PimEdp, DuplexOrderingOverOpPerByte) {
  std::vector<std::unique_ptr<PimModel>> models;
  for (const auto& f : kPresets) {
    const PimPreset p = preset(f);
    models.push_back(std::make_unique<PimModel>(p.dram, p.pim));
  }
  for (const std::uint64_t opb : {1, 2, 4, 8, 16, 32}) {
    std::vector<double> edp;
    for (const auto& m : models) {
      const PimResult r = m->gemv({16384, 4096, opb, 2, 1});
      edp.push_back(r.energy.total_pj() * r.total().as_seconds());
    }
    const auto best = std::min_element(edp.begin(), edp.end()) - edp.begin();
    SCOPED_TRACE("Op/B " + std::to_string(opb));
    if (opb <= 2) {
      EXPECT_EQ(best, 0) << "bank-PIM should have the lowest EDP";
    }
    if (opb >= 8) {
      EXPECT_EQ(best, 2) << "logic-PIM should have the lowest EDP";
    }
    if (opb >= 16) {
      EXPECT_GT(edp[0], edp[1]);  // bank-PIM worst at high Op/B
    }
  }
}

// Energy from the per-command table: bank-PIM GEMV 16384 x 4096, 2 vectors. Per pseudo channel
// (32): 16 rows x 256 bursts = 4096 steps per bank = 128 bank rows -> 128 ACTab, 128 PREA,
// 8192 MACab; ACTab counts 32 bank activations, MACab 32 column accesses.
TEST(PimEnergy, BankPimFromTheCommandTable) {
  const PimPreset p = preset("hbm3_bank_pim.yaml");
  const PimModel m(p.dram, p.pim);
  const PimResult r = m.gemv({16384, 4096, 2, 2, 1});
  EXPECT_EQ(r.commands[dram::index(Command::kACTab)], 32u * 128);
  EXPECT_EQ(r.commands[dram::index(Command::kMACab)], 32u * 8192);
  const double act = 32.0 * 128 * 32 * p.dram.energy.act.as_pJ();
  EXPECT_NEAR(r.energy.act_pj, act, 1e-6 * act);
  const double col = 32.0 * 8192 * 32 * p.dram.energy.column_access.as_pJ();
  EXPECT_NEAR(r.energy.column_pj, col, 1e-6 * col);
  const double mac = 16384.0 * 4096 * 2 * p.pim.mac_energy.as_pJ();  // no padding: k = 256 x 16
  EXPECT_NEAR(r.energy.mac_pj, mac, 1e-6 * mac);
  // Input: 2 vectors x 4096 x 2 B = 512 bursts written per pseudo channel; output 512 rows x 2
  // vectors x 2 B = 64 bursts read.
  const double io = 32.0 * (512 * p.dram.energy.wr.as_pJ() + 64 * p.dram.energy.rd.as_pJ());
  EXPECT_NEAR(r.energy.io_pj, io, 1e-6 * io);
}

}  // namespace
}  // namespace tiersim::models::pim::test
