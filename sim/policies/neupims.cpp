// `neupims`: NeuPIMs (Heo et al., "NeuPIMs: NPU-PIM Heterogeneous Acceleration for Batched LLM
// Inferencing", ASPLOS 2024): an NPU (the xPU) for GEMMs and bank-level PIM for decode
// attention's GEMVs, with dual row buffers in every bank so the NPU's reads and the PIM's MACs
// proceed at once; the batch splits into `sub_batches` (2 in the paper) whose layers interleave,
// one sub-batch's attention on PIM overlapping the other's QKV/out projections and FFN on the
// NPU. Simplified: sub-batches form only in decode-only steps; the FFN weights are read once per
// sub-batch (as the interleaving implies). The engine (duplex_engine.h) documents the schedule.
#include "sim/policies/duplex_engine.h"

namespace tiersim::policies {

namespace {

class NeuPimsPolicy final : public duplex::EnginePolicy {
 public:
  explicit NeuPimsPolicy(const PolicyContext& c)
      : EnginePolicy(c, duplex::engine_options(c.config)) {}
  static config::SchemaPtr schema() {
    auto s = std::make_shared<config::Schema>(
        "neupims", "NPU + bank-PIM with dual row buffers and sub-batch interleaving (NeuPIMs).");
    duplex::add_engine_keys(*s, {false, false, true, false});
    return s;
  }
};

}  // namespace

TIERSIM_REGISTER_POLICY("neupims", NeuPimsPolicy,
                        "NeuPIMs: decode attention on bank-PIM, sub-batches interleaved with the "
                        "NPU's GEMMs.");

}  // namespace tiersim::policies
