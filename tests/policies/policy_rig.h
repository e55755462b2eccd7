// A shared rig for policy unit tests: a model preset, a FakeExecutor the test fills with
// components, and a policy of a registered type built from YAML and validated against its
// schema. Steps of `batch` sequences for decode and prefill.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "sim/config/loader.h"
#include "sim/config/schema.h"
#include "sim/policies/policy.h"
#include "sim/policies/step_work.h"
#include "sim/workload/model_io.h"
#include "tests/policies/fake_executor.h"

namespace tiersim::policies::testing {

struct PolicyRig {
  workload::ModelSpec model;
  FakeExecutor exec;
  stats::StatGroup stats{"policy", Time::us(1)};
  config::Node cfg;
  std::unique_ptr<Policy> policy;
  StepWork work;

  explicit PolicyRig(const std::string& model_preset = "opt-13b")
      : model(workload::load_model(std::string(TIERSIM_SOURCE_DIR) + "/configs/models/" +
                                   model_preset + ".yaml")) {}

  // Builds the policy `type` from "type: <type>\n" + yaml (call after adding components).
  void make(const std::string& type, const std::string& yaml) {
    cfg = config::parse_yaml("type: " + type + "\n" + yaml, "policy.yaml");
    const auto* entry = PolicyRegistry::instance().find(type);
    ASSERT_NE(entry, nullptr) << type;
    config::validate(cfg, *entry->schema());
    policy = entry->make(PolicyContext{cfg, model, exec, stats, 1});
  }
  StepResult run(const scheduler::Step& s, Time at) {
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
};

// `batch` sequences decoding one token each over `context` cached tokens.
inline scheduler::Step decode(std::uint32_t batch, std::uint64_t context) {
  scheduler::Step s;
  for (std::uint32_t i = 0; i < batch; ++i)
    s.entries.push_back({i, scheduler::Phase::kDecode, 1, context, true});
  return s;
}
// `batch` sequences prefilling `prompt` tokens each.
inline scheduler::Step prefill(std::uint32_t batch, std::uint32_t prompt) {
  scheduler::Step s;
  for (std::uint32_t i = 0; i < batch; ++i)
    s.entries.push_back({i, scheduler::Phase::kPrefill, prompt, 0, true});
  return s;
}

}  // namespace tiersim::policies::testing
