#include "models/gpu/gpu.h"

#include <cmath>
#include <stdexcept>

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
      memory_bound_(stats().counter("memory_bound", "Kernels limited by memory bandwidth")) {
  try {
    (void)model_.peak_flops(precision_);
  } catch (const std::invalid_argument& e) {
    throw config::ConfigError(ctx.cfg.at("precision").origin(), e.what());
  }
}

Time Gpu::execute(const OpResult& op, Time arrival) {
  const Time start = timeline_.reserve(arrival, op.total());
  kernels_.add(op.kernels);
  flops_.add(static_cast<std::uint64_t>(std::llround(op.flops)));
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
  const Time end =
      execute(model_.roofline(static_cast<double>(txn.flops), txn.bytes, precision_), in.first);
  return {end, end};
}

void Gpu::finalize(Time) {
  stats().counter("busy_ps", "Time the GPU spent running kernels, ps").value =
      static_cast<std::uint64_t>(timeline_.busy_time().ps());
}

TIERSIM_REGISTER_COMPONENT("gpu", Gpu,
                           "GPU compute: SM-array peak by data type with tile/wave-quantized "
                           "GEMM and HBM-bound operators (roofline for compute transactions).");

}  // namespace tiersim::models::gpu
