// Every constraint of every preset (HBM2, HBM2E, HBM3, HBM3E, DDR4, DDR5-4800/5600, LPDDR5): after
// the rule's `from` command, its `to` command is legal at exactly the bound and illegal one cycle
// earlier (TimingState, the engine both fidelities use). Test names are the rule names, e.g.
// Hbm3/TimingRule.LegalAtBoundIllegalOneEarlier/ActToRd_SameBank_tRCDRD.
//
// The second command's target is chosen where the rule is the binding one: a sibling rule aims at
// another node of its level; any other rule at the node under the rule's level where the table
// gives the smallest distance (so a rule dominated everywhere by another fails here). Window
// rules (tFAW) first issue `window` commands to different bank groups (then banks) of one rank at
// the shortest legal spacing.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/dram/timing_state.h"
#include "tests/dram/dram_test_util.h"

namespace tiersim::models::dram::test {
namespace {

struct RuleCase {
  std::string preset;
  std::size_t rule;
  std::string name;
};

std::vector<RuleCase> rules_of(const std::string& preset) {
  const DramSpec spec = load_preset(preset);
  std::vector<RuleCase> out;
  for (std::size_t i = 0; i < spec.constraints.size(); ++i) {
    out.push_back({preset, i, spec.constraints[i].name});
  }
  return out;
}

DramAddress moved(const DramSpec& spec, DramAddress a, std::size_t level) {
  a.at[level] = (a.at[level] + 1) % spec.org.count[level];
  return a;
}

class TimingRule : public ::testing::TestWithParam<RuleCase> {};

TEST_P(TimingRule, LegalAtBoundIllegalOneEarlier) {
  const DramSpec spec = load_preset(GetParam().preset);
  const Constraint& c = spec.constraints[GetParam().rule];
  constexpr Cycle kT = 10000;
  const std::size_t lv = index(c.level);
  for (std::size_t f = 0; f < kCommands; ++f) {
    if ((c.from & (1U << f)) == 0) continue;
    for (std::size_t t = 0; t < kCommands; ++t) {
      if ((c.to & (1U << t)) == 0) continue;
      const Command from = command_at(f);
      const Command to = command_at(t);
      SCOPED_TRACE(std::string(kCommandNames[f]) + " -> " + std::string(kCommandNames[t]));
      TimingState ts(spec);
      DramAddress base;
      DramAddress target;
      if (c.window > 1) {
        // `window` commands to bank groups 0, 1, ... (then the next bank / rank), spaced by the
        // table's distance between consecutive ones; the target is the next such bank.
        const auto nth = [&](std::uint32_t j) {
          DramAddress a;
          const std::uint32_t nbg = spec.org.count[index(Level::kBankGroup)];
          const std::uint32_t nra = spec.org.count[index(Level::kRank)];
          const std::uint32_t nba = spec.org.count[index(Level::kBank)];
          a[Level::kBankGroup] = j % nbg;
          a[Level::kBank] = (j / nbg) % nba;
          a[Level::kRank] = (j / nbg / nba) % nra;
          return a;
        };
        Cycle at = kT;
        for (std::uint32_t j = 0; j < c.window; ++j) {
          at = std::max(at, ts.earliest(from, nth(j)));
          ts.issue(from, nth(j), at);
        }
        target = nth(c.window);
        ASSERT_LT(ts.earliest(to, target) - 0, kT + c.cycles + 1);
      } else {
        ts.issue(from, base, kT);
        if (c.sibling) {
          target = moved(spec, base, lv);
        } else {
          std::size_t best = kLevels;
          for (std::size_t rel = lv + 1; rel < kLevels; ++rel) {
            if (spec.org.count[rel] > 1 && spec.gap(from, to, rel) < spec.gap(from, to, best)) {
              best = rel;
            }
          }
          target = best == kLevels ? base : moved(spec, base, best);
        }
      }
      const Cycle bound = kT + c.cycles;
      const Cycle earliest = ts.earliest(to, target);
      EXPECT_GE(bound, earliest) << "not legal at the bound " << c.expression;
      EXPECT_LT(bound - 1, earliest) << "legal one cycle before the bound " << c.expression;
    }
  }
}

std::string rule_name(const ::testing::TestParamInfo<RuleCase>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Hbm3, TimingRule, ::testing::ValuesIn(rules_of("hbm3_6400.yaml")),
                         rule_name);
INSTANTIATE_TEST_SUITE_P(Ddr5, TimingRule, ::testing::ValuesIn(rules_of("ddr5_4800.yaml")),
                         rule_name);
// The other presets: every rule of their tables (their main constraints and the rest).
INSTANTIATE_TEST_SUITE_P(Hbm2, TimingRule, ::testing::ValuesIn(rules_of("hbm2_2000.yaml")),
                         rule_name);
INSTANTIATE_TEST_SUITE_P(Hbm2e, TimingRule, ::testing::ValuesIn(rules_of("hbm2e_3200.yaml")),
                         rule_name);
INSTANTIATE_TEST_SUITE_P(Hbm3e, TimingRule, ::testing::ValuesIn(rules_of("hbm3e_9600.yaml")),
                         rule_name);
INSTANTIATE_TEST_SUITE_P(Ddr4, TimingRule, ::testing::ValuesIn(rules_of("ddr4_3200.yaml")),
                         rule_name);
INSTANTIATE_TEST_SUITE_P(Ddr5_5600, TimingRule, ::testing::ValuesIn(rules_of("ddr5_5600.yaml")),
                         rule_name);
INSTANTIATE_TEST_SUITE_P(Lpddr5, TimingRule, ::testing::ValuesIn(rules_of("lpddr5_6400.yaml")),
                         rule_name);

}  // namespace
}  // namespace tiersim::models::dram::test
