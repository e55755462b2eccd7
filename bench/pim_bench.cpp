// PIM on one HBM3 stack (docs/models/pim.md): for bank-, bank-group- and logic-die PIM
// (configs/pim presets), the 16384 x 4096 FP16 GEMV's time, internal and effective bandwidth
// over the external interface, and the closed form against command by command; then the Op/B
// sweep (batch = 1 ... 32 input vectors) of time, energy and energy-delay product normalized per
// Op/B, next to Duplex Fig. 8 (shared/targets/duplex.yaml D2), with the ordering check
// (PASS/FAIL; exit status 1 on FAIL).
//   build/bench/tiersim_pim_bench
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/pim/pim_model.h"

using namespace tiersim;
using namespace tiersim::models::pim;

namespace {

struct Kind {
  std::string name;
  std::string preset;
  std::vector<double> paper;  // duplex.yaml D2 (normalized energy-delay-area product)
};

double wall_ms(const std::function<void()>& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main() {
  const std::string dir = std::string(TIERSIM_SOURCE_DIR) + "/configs/pim/";
  const std::vector<Kind> kinds = {
      {"bank-PIM", "hbm3_bank_pim.yaml", {0.08, 0.16, 0.35, 0.81, 1.00, 1.00}},
      {"bank-group PIM", "hbm3_bank_group_pim.yaml", {1.00, 1.00, 1.00, 1.00, 0.96, 0.67}},
      {"logic-die PIM", "hbm3_logic_pim.yaml", {0.66, 0.66, 0.65, 0.65, 0.61, 0.40}}};
  std::vector<std::unique_ptr<PimModel>> fast;
  std::vector<std::unique_ptr<PimModel>> detailed;
  for (const auto& k : kinds) {
    const PimPreset p = load_pim_preset(dir + k.preset);
    fast.push_back(std::make_unique<PimModel>(p.dram, p.pim, Fidelity::kFast));
    detailed.push_back(std::make_unique<PimModel>(p.dram, p.pim, Fidelity::kDetailed));
  }
  const GemvShape gemv{16384, 4096, 1, 2, 1};
  const double ext = fast[0]->external_bandwidth().bytes_per_second();
  fmt::print("== GEMV 16384 x 4096 FP16 (128 MiB of weights), 1 vector, one HBM3-6400 stack ==\n");
  fmt::print("external interface: {:.1f} GB/s (32 pseudo channels x 32 B per nBL)\n", ext / 1e9);
  fmt::print("{:<15} {:>9} {:>9} {:>9} {:>9} {:>10} {:>10} {:>12} {:>12} {:>9}\n", "kind",
             "load us", "PIM us", "out us", "total us", "int. BW/x", "eff. BW/x", "detailed us",
             "fast/det ms", "energy uJ");
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    PimResult f;
    PimResult d;
    const double tf = wall_ms([&] { f = fast[i]->gemv(gemv); });
    const double td = wall_ms([&] { d = detailed[i]->gemv(gemv); });
    fmt::print(
        "{:<15} {:>9.2f} {:>9.2f} {:>9.2f} {:>9.2f} {:>10.2f} {:>10.2f} {:>12.2f} "
        "{:>5.2f}/{:<6.1f} "
        "{:>9.1f}\n",
        kinds[i].name, f.load.as_us(), f.compute.as_us(), f.readout.as_us(), f.total().as_us(),
        f.internal_bandwidth().bytes_per_second() / ext,
        f.effective_bandwidth().bytes_per_second() / ext, d.total().as_us(), tf, td,
        f.energy.total_pj() / 1e6);
  }

  const std::vector<std::uint64_t> opb = {1, 2, 4, 8, 16, 32};
  fmt::print(
      "\n== Op/B sweep: batch = Op/B input vectors (FP16: 2 FLOP per 2 B weight per vector) ==\n");
  // edp[kind][i]
  std::vector<std::vector<double>> edp(kinds.size());
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    fmt::print("{:<15}", kinds[k].name);
    for (const auto b : opb) {
      const PimResult r = fast[k]->gemv({16384, 4096, b, 2, 1});
      const double e = r.energy.total_pj() * 1e-12;
      edp[k].push_back(e * r.total().as_seconds());
      fmt::print("  {:>2}: {:7.1f} us {:7.1f} uJ", b, r.total().as_us(), e * 1e6);
    }
    fmt::print("\n");
  }
  fmt::print("\nEDP normalized per Op/B (to the largest of the three) | Duplex Fig. 8 EDAP (D2)\n");
  fmt::print("{:<15}", "Op/B");
  for (const auto b : opb) fmt::print(" {:>11}", b);
  fmt::print("\n");
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    fmt::print("{:<15}", kinds[k].name);
    for (std::size_t i = 0; i < opb.size(); ++i) {
      double most = 0;
      for (const auto& e : edp) most = std::max(most, e[i]);
      fmt::print(" {:>5.2f}|{:<5.2f}", edp[k][i] / most, kinds[k].paper[i]);
    }
    fmt::print("\n");
  }
  bool ok = true;
  fmt::print("\nlowest EDP:    ");
  for (std::size_t i = 0; i < opb.size(); ++i) {
    std::size_t best = 0;
    for (std::size_t k = 1; k < kinds.size(); ++k) {
      if (edp[k][i] < edp[best][i]) best = k;
    }
    fmt::print(" {:>11}", kinds[best].name.substr(0, kinds[best].name.find(' ')));
    if (opb[i] <= 2 && best != 0) ok = false;
    if (opb[i] >= 8 && best != 2) ok = false;
  }
  fmt::print(
      "\nordering check (bank-PIM lowest at Op/B <= 2, logic-die PIM lowest at Op/B >= 8): {}\n",
      ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
