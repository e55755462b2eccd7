// pim: one DRAM stack with processing-in-memory units (docs/models/pim.md), registered by name
// and built from YAML: the keys of a `dram` component (a configs/dram/ preset through
// `extends:`) plus a `pim` map (kind, mapping, units, energy); presets in configs/pim/.
//
// Transactions:
//  - kCompute with OpShape kGemv (m x k weight, `batch` vectors), kDecodeAttention (batch,
//    q_heads, kv_heads, context, head_dim) or kMoeFfn (batch = token-to-expert assignments,
//    m = d_model, n = d_ff, k = experts) is timed by PimModel (fast: closed form; detailed:
//    command by command, the `fidelity` key). PIM operators run one at a time:
//    start = max(arrival, PIM free) — and, without dual_row_buffer, after the last normal access
//    completed; the response window is [start + total, same]. Other operator kinds (kGeneric
//    included) throw std::invalid_argument naming the kind.
//  - kRead / kWrite are normal accesses through the DRAM engine of the same standard. With
//    dual_row_buffer (NeuPIMs) they proceed while PIM computes (PIM keeps its own row buffer; the
//    shared command bus is not modelled); without, one arriving during a PIM operator waits for
//    its end.
// Statistics: pim_ops, gemv_ops, attention_ops, moe_ops, flops, weight_bytes, pim_busy_ps,
// cmd_<ACT|PRE|ACTab|PREA|MACab|MACbg|RDbb> of the PIM operators, reads, writes, bytes_read,
// bytes_written, and energy_{act,column,mac,io,background,total}_pJ (normal accesses' ACT and
// RD/WR included; background = the DRAM's background power over the whole run).
#pragma once

#include <memory>

#include "models/dram/address_mapping.h"
#include "models/dram/engine.h"
#include "models/pim/pim_model.h"
#include "sim/kernel/component.h"
#include "sim/kernel/timeline.h"

namespace tiersim::models::pim {

class PimComponent : public kernel::Component {
 public:
  explicit PimComponent(const kernel::BuildContext& ctx);
  static config::SchemaPtr schema() { return pim_schema(); }

  kernel::DataWindow serve(const kernel::TxnExtension& txn, kernel::DataWindow in) override;
  void finalize(Time end) override;
  [[nodiscard]] std::uint64_t capacity_bytes() const override {
    return model_->dram().capacity().count();
  }
  [[nodiscard]] const PimModel& model() const { return *model_; }

 private:
  [[nodiscard]] PimResult time_op(const kernel::OpShape& op) const;

  std::unique_ptr<PimModel> model_;
  dram::AddressMapping mapping_;
  std::unique_ptr<dram::Engine> memory_;
  kernel::Timeline timeline_;
  Time normal_last_;
  PimResult totals_;
  stats::Counter& pim_ops_;
  stats::Counter& gemv_ops_;
  stats::Counter& attention_ops_;
  stats::Counter& moe_ops_;
  stats::Counter& reads_;
  stats::Counter& writes_;
  stats::Counter& bytes_read_;
  stats::Counter& bytes_written_;
};

}  // namespace tiersim::models::pim
