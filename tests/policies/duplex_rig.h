// Test rig of the xPU + PIM policies (duplex, bank_pim, neupims): Mixtral-8x7B over a recording
// FakeExecutor with an xPU (989.4 TFLOPS, 3.352 TB/s), a device memory of 80 GiB and `units` PIM
// units of 21.3 TFLOPS and 4 x 670.4 GB/s each (a Logic-PIM stack, Duplex).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "sim/config/loader.h"
#include "sim/config/schema.h"
#include "sim/policies/duplex_plan.h"
#include "sim/policies/policy.h"
#include "sim/policies/step_work.h"
#include "sim/workload/model_io.h"
#include "tests/policies/fake_executor.h"

namespace tiersim::policies::duplex_testing {

using kernel::OpKind;
using kernel::TxnKind;
using scheduler::Phase;
using scheduler::Step;

constexpr double kXpuFlops = 989.4e12;
constexpr double kXpuBw = 3.352e12;
constexpr double kPimFlops = 21.3e12;  // per unit (stack)
constexpr double kPimBw = 4 * 670.4e9;

inline duplex::Rates duplex_rates() {
  return {kXpuFlops, kXpuBw, 5 * kPimFlops, 5 * kPimBw};
}

struct Rig {
  workload::ModelSpec model =
      workload::load_model(std::string(TIERSIM_SOURCE_DIR) + "/configs/models/mixtral-8x7b.yaml");
  testing::FakeExecutor exec;
  stats::StatGroup stats{"policy", Time::us(1)};
  config::Node cfg;
  std::unique_ptr<Policy> policy;
  ComponentId xpu = 0, hbm = 0;
  std::vector<ComponentId> pims;
  StepWork work;

  Rig(const std::string& type, const std::string& extra, std::uint32_t units = 5,
      std::uint32_t devices = 4, const std::string& pim_flops = "106.5e12",
      const std::string& pim_bw = "13.408 TB/s") {
    xpu = exec.add_compute("xpu", kXpuFlops, Bandwidth::bytes_per_second(kXpuBw));
    hbm = exec.add_memory("hbm", Bandwidth::bytes_per_second(kXpuBw), Time::zero(), Bytes::GiB(80));
    std::string list;
    for (std::uint32_t i = 0; i < units; ++i) {
      const std::string n = "pim" + std::to_string(i);
      pims.push_back(exec.add_compute(n, kPimFlops, Bandwidth::bytes_per_second(kPimBw)));
      list += (i == 0 ? "" : ", ") + n;
    }
    cfg = config::parse_yaml("type: " + type + "\ndevices: " + std::to_string(devices) +
                                 "\nxpu_flops: 989.4e12\n"
                                 "xpu_bandwidth: 3.352 TB/s\npim_flops: " +
                                 pim_flops + "\npim_bandwidth: " + pim_bw + "\npim_units: [" +
                                 list + "]\n" + extra,
                             "policy.yaml");
    const auto* entry = PolicyRegistry::instance().find(type);
    EXPECT_NE(entry, nullptr);
    config::validate(cfg, *entry->schema());
    policy = entry->make(PolicyContext{cfg, model, exec, stats, 1});
  }
  StepResult run(const Step& s, Time at) {
    expand_step(model, s, {}, work);
    return policy->run_step(s, work, at);
  }
  [[nodiscard]] std::uint64_t counter(const std::string& name) const {
    for (const auto& c : stats.counters()) {
      if (c.name == name) return c.value.value;
    }
    ADD_FAILURE() << "no counter " << name;
    return 0;
  }
  [[nodiscard]] bool is_pim(ComponentId c) const {
    return std::find(pims.begin(), pims.end(), c) != pims.end();
  }
  // Compute calls of `kind` on the xPU (true) or on PIM units (false).
  [[nodiscard]] std::vector<testing::FakeExecutor::Call> calls(OpKind kind, bool on_xpu) const {
    std::vector<testing::FakeExecutor::Call> out;
    for (const auto& c : exec.calls()) {
      if (c.kind != TxnKind::kCompute || c.op.kind != kind) continue;
      if (on_xpu ? c.target == xpu : is_pim(c.target)) out.push_back(c);
    }
    return out;
  }
};

inline Step decode_step(std::uint32_t batch, std::uint64_t context) {
  Step s;
  s.index = 7;
  for (std::uint32_t i = 0; i < batch; ++i) s.entries.push_back({i, Phase::kDecode, 1, context});
  return s;
}

}  // namespace tiersim::policies::duplex_testing
