// gpu: one GPU as a compute resource (docs/models/gpu.md), the device-side sibling of `cpu`.
//
// Hardware keys are those of a configs/gpu/*.yaml preset (gpu_ops.h, gpu_spec_schema), plus
// `launch` (eager | graph) and `precision` (the data type of compute transactions).
// A compute transaction (TxnKind::kCompute; TxnExtension::flops operations moving `bytes` of HBM
// traffic) takes
//   duration = launch overhead + max(flops / (peak(precision) x tensor_efficiency),
//                                    bytes / (hbm_bandwidth x hbm_efficiency))
// (GpuModel::roofline; fp32 runs on the CUDA cores at simt_efficiency). Shape-aware operators
// (GEMM with tile/wave quantization, attention, MoE, all-reduce) are timed by model() and placed
// on the GPU's timeline with execute(). Kernels run one at a time in arrival order on one
// timeline: start = max(arrival, gpu free); the response window is [start + duration, same].
// Reads and writes *to* the gpu are errors (its memory is a separate `dram` component).
// Statistics: kernels, flops, bytes, compute_bound, memory_bound, busy_ps.
#pragma once

#include "models/gpu/gpu_ops.h"
#include "sim/kernel/component.h"
#include "sim/kernel/timeline.h"

namespace tiersim::models::gpu {

class Gpu : public kernel::Component {
 public:
  explicit Gpu(const kernel::BuildContext& ctx);
  static config::SchemaPtr schema();

  kernel::DataWindow serve(const kernel::TxnExtension& txn, kernel::DataWindow in) override;
  void finalize(Time end) override;

  [[nodiscard]] const GpuModel& model() const { return model_; }
  [[nodiscard]] DType precision() const { return precision_; }
  // Runs an operator timed by model() on this GPU: starts at max(arrival, gpu free), occupies the
  // GPU for op.total(), counts it in the statistics; returns the completion time.
  Time execute(const OpResult& op, Time arrival);

 private:
  GpuModel model_;
  DType precision_;
  kernel::Timeline timeline_;
  stats::Counter& kernels_;
  stats::Counter& flops_;
  stats::Counter& bytes_;
  stats::Counter& compute_bound_;
  stats::Counter& memory_bound_;
};

}  // namespace tiersim::models::gpu
