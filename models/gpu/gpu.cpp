#include "models/gpu/gpu.h"

#include <cmath>
#include <stdexcept>

#include "models/gpu/op_shape.h"
#include "sim/config/config_error.h"

namespace tiersim::models::gpu {

using config::Type;

config::SchemaPtr Gpu::schema() {
  auto s = gpu_spec_schema();
  s->add("launch", Type::kString, "Kernel launch mode: eager (stream) or graph (CUDA graph).")
      .default_to("graph")
      .one_of({"eager", "graph"});
  s->add("precision", Type::kString, "Data type of the compute transactions served.")
      .default_to("bf16")
      .one_of({"fp32", "tf32", "fp16", "bf16", "fp8"});
  s->add("memory_model", Type::kString,
         "analytical: HBM traffic at hbm_bandwidth x hbm_efficiency; l2_hbm: memory-bound "
         "operators streamed through the L2 and HBM models (l2_preset, hbm_preset).")
      .default_to("analytical")
      .one_of({"analytical", "l2_hbm"});
  s->add("l2_preset", Type::kPath, "memory_model l2_hbm: a sectored_cache preset (the L2).")
      .default_to("");
  s->add("hbm_preset", Type::kPath, "memory_model l2_hbm: a dram preset (the device memory).")
      .default_to("");
  return s;
}

Gpu::Gpu(const kernel::BuildContext& ctx)
    : Component(ctx),
      model_(spec_from(ctx.cfg),
             ctx.cfg.get_string("launch") == "eager" ? LaunchMode::kEager : LaunchMode::kGraph),
      precision_(parse_dtype(ctx.cfg.get_string("precision"))),
      kernels_(stats().counter("kernels", "Kernels served")),
      flops_(stats().counter("flops", "Floating-point operations served")),
      bytes_(stats().counter("bytes", "HBM traffic of the kernels served")),
      compute_bound_(stats().counter("compute_bound", "Kernels limited by the compute roof")),
      memory_bound_(stats().counter("memory_bound", "Kernels limited by memory bandwidth")),
      shaped_(stats().counter("shaped_ops", "Compute transactions timed by their OpShape")) {
  try {
    (void)model_.peak_flops(precision_);
  } catch (const std::invalid_argument& e) {
    throw config::ConfigError(ctx.cfg.at("precision").origin(), e.what());
  }
  if (ctx.cfg.get_string("memory_model") == "l2_hbm") {
    const std::string l2 = ctx.cfg.get_string("l2_preset");
    const std::string hbm = ctx.cfg.get_string("hbm_preset");
    if (l2.empty() || hbm.empty()) {
      throw config::ConfigError(ctx.cfg.at("memory_model").origin(),
                                "memory_model l2_hbm needs l2_preset and hbm_preset");
    }
    memory_path_ = std::make_unique<SimulatedMemoryPath>(l2, hbm);
  }
}

Time Gpu::execute(const OpResult& op, Time arrival) {
  const Time start = timeline_.reserve(arrival, op.total());
  kernels_.add(op.kernels);
  flops_.add(static_cast<std::uint64_t>(std::llround(op.flops)));
  flops_total_ += op.flops;
  bytes_.add(op.bytes.count());
  (op.compute_bound ? compute_bound_ : memory_bound_).add(op.kernels);
  return start + op.total();
}

kernel::DataWindow Gpu::serve(const kernel::TxnExtension& txn, kernel::DataWindow in) {
  if (txn.kind != kernel::TxnKind::kCompute) {
    throw std::logic_error("gpu '" + component_name() +
                           "' serves compute transactions only; target its memory for loads and "
                           "stores");
  }
  if (txn.op.kind != kernel::OpKind::kGeneric) {
    shaped_.add();
    OpResult op = time_op_shape(model_, txn.op, precision_);
    if (memory_path_ && !op.compute_bound && op.bytes.count() > 0) {
      // The kernel's traffic through the L2 and HBM models, from when the GPU can start it.
      const Time start = max(in.first, timeline_.free_at());
      const std::uint64_t base = txn.address != 0 ? txn.address : next_region_;
      next_region_ = base + op.bytes.count();
      op.kernel = memory_path_->stream(op.bytes, Bytes(0), start, base) - start;
    }
    const Time end = execute(op, in.first);
    return {end, end};
  }
  const Time end =
      execute(model_.roofline(static_cast<double>(txn.flops), txn.bytes, precision_), in.first);
  return {end, end};
}

void Gpu::finalize(Time) {
  stats().counter("busy_ps", "Time the GPU spent running kernels, ps").value =
      static_cast<std::uint64_t>(timeline_.busy_time().ps());
  const double compute = flops_total_ * model_.spec().energy_per_flop.as_pJ();
  const double memory = static_cast<double>(bytes_.value) * model_.spec().energy_per_byte.as_pJ();
  const auto pj = [](double v) { return static_cast<std::uint64_t>(std::llround(v)); };
  stats()
      .counter("energy_compute_pJ", "Dynamic compute energy: flops x energy_per_flop, pJ")
      .value = pj(compute);
  stats().counter("energy_memory_pJ", "HBM traffic energy: bytes x energy_per_byte, pJ").value =
      pj(memory);
  stats().counter("energy_total_pJ", "Dynamic GPU energy (compute + memory), pJ").value =
      pj(compute + memory);
}

TIERSIM_REGISTER_COMPONENT("gpu", Gpu,
                           "GPU compute: SM-array peak by data type with tile/wave-quantized "
                           "GEMM and HBM-bound operators (roofline for compute transactions).");

}  // namespace tiersim::models::gpu
