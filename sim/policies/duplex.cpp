// `duplex`: Duplex (Yun et al., "Duplex: A Device for Large Language Models with Mixture of
// Experts, Grouped Query Attention, and Continuous Batching", MICRO 2024, arXiv 2409.01141).
// An xPU for high-Op/B work and Logic-PIM on the HBM logic die (bank-bundle reads over extra
// TSVs) for low-Op/B work in one device: decode attention (GQA, Op/B = query heads per KV head)
// and MoE experts go to Logic-PIM when their Op/B says it is faster there; `co_processing` (+PE)
// runs experts and attention on both processors at once; `expert_tensor_parallel` (+ET) splits
// every expert over the devices. With no `pim_units` it is the paper's GPU baseline (same
// parallelism, everything on the xPU). The engine (duplex_engine.h) documents the schedule and
// what it simplifies.
#include "sim/policies/duplex_engine.h"

namespace tiersim::policies {

namespace {

class DuplexPolicy final : public duplex::EnginePolicy {
 public:
  explicit DuplexPolicy(const PolicyContext& c)
      : EnginePolicy(c, duplex::engine_options(c.config)) {}
  static config::SchemaPtr schema() {
    auto s = std::make_shared<config::Schema>(
        "duplex",
        "xPU + Logic-PIM by Op/B, with expert/attention co-processing and expert "
        "tensor parallelism (Duplex, MICRO 2024).");
    duplex::add_engine_keys(*s, {true, true, false, true});
    return s;
  }
};

}  // namespace

TIERSIM_REGISTER_POLICY("duplex", DuplexPolicy,
                        "Duplex: MoE and decode attention on logic-die PIM by Op/B; +PE "
                        "co-processing, +ET expert tensor parallelism.");

}  // namespace tiersim::policies
