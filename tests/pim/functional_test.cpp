// Functional mode (acceptance 3): GEMV computed through the modelled data placement and the
// issued command stream equals the plain C++ reference, for every PIM kind, several shapes
// (rows per unit from 0 to many, k not a multiple of a burst, several bank rows and bank sets),
// batches and both row mappings and unit orders. Small integer operands keep the sums exact.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "models/pim/functional.h"
#include "tests/pim/pim_test_util.h"

namespace tiersim::models::pim::test {
namespace {

struct Case {
  std::string preset;
  std::string mapping;  // row_mapping
  std::string order;    // unit_order
};

class Functional : public ::testing::TestWithParam<Case> {};

std::vector<double> small_ints(std::size_t n, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> d(-4, 4);
  std::vector<double> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

TEST_P(Functional, GemvThroughPlacementEqualsReference) {
  const Case& c = GetParam();
  const PimPreset p =
      preset(c.preset, "pim: {row_mapping: " + c.mapping + ", unit_order: " + c.order + "}");
  std::mt19937_64 rng(42);
  // (m, k, batch): fewer rows than units; k below one burst; several rows per unit; a unit
  // stream over several bank rows / bank sets (k = 250: 16 bursts per weight row).
  for (const auto& [m, k, batch] :
       std::vector<std::tuple<std::uint64_t, std::uint64_t, std::uint64_t>>{
           {5, 7, 1}, {300, 70, 3}, {1100, 33, 2}, {2100, 250, 5}}) {
    SCOPED_TRACE(std::to_string(m) + "x" + std::to_string(k) + " x" + std::to_string(batch));
    const GemvShape s{m, k, batch, 2, 1};
    const auto w = small_ints(m * k, rng);
    const auto x = small_ints(batch * k, rng);
    const auto want = reference_gemv(s, w, x);
    const auto got = functional_gemv(p.dram, p.pim, s, w, x);
    ASSERT_EQ(got.size(), want.size());
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < want.size(); ++i) wrong += got[i] != want[i] ? 1 : 0;
    EXPECT_EQ(wrong, 0u) << "of " << want.size() << " outputs";
  }
}

std::vector<Case> cases() {
  std::vector<Case> out;
  for (const char* f : {"hbm3_bank_pim.yaml", "hbm3_bank_group_pim.yaml", "hbm3_logic_pim.yaml"}) {
    for (const char* m : {"cyclic", "blocked"}) {
      for (const char* o : {"pc_first", "unit_first"}) out.push_back({f, m, o});
    }
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Hbm3, Functional, ::testing::ValuesIn(cases()),
                         [](const auto& param_info) {
                           const Case& c = param_info.param;
                           return c.preset.substr(5, c.preset.size() - 10) + "_" + c.mapping + "_" +
                                  c.order;
                         });

}  // namespace
}  // namespace tiersim::models::pim::test
