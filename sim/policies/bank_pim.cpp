// `bank_pim`: AttAcc-like attention offload to bank-level PIM (Park et al., "AttAcc! Unleashing
// the Power of PIM for Batched Transformer-based Generative Model Inference", ASPLOS 2024): the
// xPU runs the projections and FFN, decode attention runs on HBM-PIM with a MAC unit per bank
// (all-bank commands). No co-processing: the bank-PIM's all-bank mode takes the banks away from
// the xPU, so the two take turns. With `offload_moe: true` it is Duplex's Bank-PIM baseline
// (arXiv 2409.01141: the same Op/B placement as Duplex on bank-PIM hardware, 16x bandwidth at
// 1 Op/B). The engine (duplex_engine.h) documents the schedule and what it simplifies.
#include "sim/policies/duplex_engine.h"

namespace tiersim::policies {

namespace {

class BankPimPolicy final : public duplex::EnginePolicy {
 public:
  explicit BankPimPolicy(const PolicyContext& c)
      : EnginePolicy(c, duplex::engine_options(c.config)) {}
  static config::SchemaPtr schema() {
    auto s = std::make_shared<config::Schema>(
        "bank_pim",
        "Decode attention (optionally MoE) on bank-level PIM, the rest on the xPU "
        "(AttAcc-like).");
    duplex::add_engine_keys(*s, {false, true, false, false});
    return s;
  }
};

}  // namespace

TIERSIM_REGISTER_POLICY("bank_pim", BankPimPolicy,
                        "AttAcc-like: decode attention on bank-PIM (offload_moe: Duplex's "
                        "Bank-PIM baseline).");

}  // namespace tiersim::policies
