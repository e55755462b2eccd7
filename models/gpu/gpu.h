// gpu: one GPU as a compute resource (docs/models/gpu.md), the device-side sibling of `cpu`.
//
// Hardware keys are those of a configs/gpu/*.yaml preset (gpu_ops.h, gpu_spec_schema), plus
// `launch` (eager | graph) and `precision` (the data type of compute transactions).
// A compute transaction (TxnKind::kCompute) whose TxnExtension::op has a kind other than kGeneric
// is timed by the matching shape-aware operator of model() (op_shape.h: GEMM with tile/wave
// quantization, GEMV, decode/prefill attention, softmax, top-k, elementwise, MoE FFN, all-reduce);
// its flops/bytes fields are then ignored (the operator's own count is reported). A kGeneric one
// (TxnExtension::flops operations moving `bytes` of HBM traffic) takes
//   duration = launch overhead + max(flops / (peak(precision) x tensor_efficiency),
//                                    bytes / (hbm_bandwidth x hbm_efficiency))
// (GpuModel::roofline; fp32 runs on the CUDA cores at simt_efficiency). An OpShape the model
// rejects (zero sizes, an element size with no data type) throws std::invalid_argument naming the
// operator. Operators timed by model() may also be placed on the timeline with execute(). Kernels
// run one at a time in arrival order on one timeline: start = max(arrival, gpu free); the response
// window is [start + duration, same]. Reads and writes *to* the gpu are errors (its memory is a
// separate `dram` component). Statistics: kernels, flops, bytes, compute_bound, memory_bound,
// shaped_ops (transactions timed by an OpShape), busy_ps, and energy: energy_compute_pJ = flops x
// energy_per_flop, energy_memory_pJ = bytes x energy_per_byte, energy_total_pJ (dynamic energy
// only).
#pragma once

#include <memory>

#include "models/gpu/gpu_ops.h"
#include "models/gpu/memory_path.h"
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
  stats::Counter& shaped_;
  std::unique_ptr<SimulatedMemoryPath> memory_path_;  // memory_model: l2_hbm
  std::uint64_t next_region_ = 0;
  double flops_total_ = 0;  // exact sum for the energy statistics
};

}  // namespace tiersim::models::gpu
