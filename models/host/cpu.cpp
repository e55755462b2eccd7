#include "models/host/cpu.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "sim/config/config_error.h"

namespace tiersim::models::host {

using config::Type;

namespace {

std::uint64_t element_bits(const std::string& precision) {
  if (precision == "fp64") return 64;
  if (precision == "fp32") return 32;
  if (precision == "bf16" || precision == "fp16") return 16;
  return 8;  // int8
}

CpuParams params_from(const config::Node& cfg) {
  CpuParams p;
  p.cores = cfg.get_uint("cores");
  p.simd_width_bits = cfg.get_uint("simd_width");
  p.fma_units = cfg.get_uint("fma_units");
  p.fma = cfg.get_bool("fma");
  p.element_bits = element_bits(cfg.get_string("precision"));
  p.frequency = cfg.get_frequency("frequency");
  p.achieved_fraction = cfg.get_double("achieved_fraction");
  p.memory_bandwidth = cfg.get_bandwidth("memory_bandwidth");
  p.overhead = cfg.get_time("overhead");
  if (p.simd_width_bits % p.element_bits != 0) {
    throw config::ConfigError(cfg.at("simd_width").origin(),
                              fmt::format("simd_width ({} bit) must hold whole {}-bit elements",
                                          p.simd_width_bits, p.element_bits));
  }
  if (p.memory_bandwidth.bytes_per_second() <= 0.0) {
    throw config::ConfigError(cfg.at("memory_bandwidth").origin(), "memory_bandwidth must be > 0");
  }
  if (p.frequency.as_hz() <= 0.0) {
    throw config::ConfigError(cfg.at("frequency").origin(), "frequency must be > 0");
  }
  return p;
}

}  // namespace

CpuRoofline::CpuRoofline(const CpuParams& p) : p_(p) {
  const double lanes = static_cast<double>(p_.simd_width_bits / p_.element_bits);
  peak_ = static_cast<double>(p_.cores) * static_cast<double>(p_.fma_units) * lanes *
          (p_.fma ? 2.0 : 1.0) * p_.frequency.as_hz();
}

CpuRoofline::Timing CpuRoofline::time(std::uint64_t flops, Bytes bytes) const {
  const Time compute = Time::ps(
      static_cast<std::int64_t>(std::ceil(static_cast<double>(flops) * 1e12 / achieved_flops())));
  const Time memory = p_.memory_bandwidth.transfer_time(bytes);
  const bool compute_bound = compute >= memory;
  return {p_.overhead + max(compute, memory), compute_bound};
}

config::SchemaPtr Cpu::schema() {
  auto s = std::make_shared<config::Schema>("cpu");
  s->add("cores", Type::kUInt, "Cores the kernels run on.").require().at_least(1);
  s->add("simd_width", Type::kUInt, "SIMD register width in bits (AVX2: 256, AVX-512: 512).")
      .default_to("512")
      .at_least(64);
  s->add("fma_units", Type::kUInt, "SIMD FMA pipes per core (server Xeons with AVX-512: 2).")
      .default_to("2")
      .at_least(1);
  s->add("fma", Type::kBool, "Fused multiply-add: 2 flops per lane per instruction.")
      .default_to("true");
  s->add("precision", Type::kString, "Element type of the kernels.")
      .default_to("fp32")
      .one_of({"fp64", "fp32", "bf16", "fp16", "int8"});
  s->add("frequency", Type::kFrequency, "Sustained all-core frequency under SIMD load.").require();
  s->add("achieved_fraction", Type::kFloat,
         "Share of peak the kernels achieve (GEMM libraries: 0.6-0.9; attention: lower).")
      .default_to("0.7")
      .at_least(0.001)
      .at_most(1);
  s->add("memory_bandwidth", Type::kBandwidth,
         "Host DRAM bandwidth the CPU's kernels achieve: the roofline's memory bound.")
      .require();
  s->add("overhead", Type::kTime, "Fixed cost per kernel (thread wake-up, dispatch).")
      .default_to("0 ns");
  s->add("source", Type::kString, "Where the numbers come from.").default_to("assumed");
  return s;
}

Cpu::Cpu(const kernel::BuildContext& ctx)
    : Component(ctx),
      roofline_(params_from(ctx.cfg)),
      kernels_(stats().counter("kernels", "Compute kernels served")),
      flops_(stats().counter("flops", "Floating-point operations served")),
      bytes_(stats().counter("bytes", "Memory traffic of the kernels served")),
      compute_bound_(stats().counter("compute_bound", "Kernels limited by the compute roof")),
      memory_bound_(stats().counter("memory_bound", "Kernels limited by memory bandwidth")) {}

kernel::DataWindow Cpu::serve(const kernel::TxnExtension& txn, kernel::DataWindow in) {
  if (txn.kind != kernel::TxnKind::kCompute) {
    throw std::logic_error("cpu '" + component_name() +
                           "' serves compute transactions only; target a memory for loads and "
                           "stores");
  }
  const CpuRoofline::Timing t = roofline_.time(txn.flops, txn.bytes);
  const Time start = timeline_.reserve(in.first, t.duration);
  kernels_.add();
  flops_.add(txn.flops);
  bytes_.add(txn.bytes.count());
  (t.compute_bound ? compute_bound_ : memory_bound_).add();
  const Time end = start + t.duration;
  return {end, end};
}

void Cpu::finalize(Time) {
  stats().counter("busy_ps", "Time the CPU spent running kernels, ps").value =
      static_cast<std::uint64_t>(timeline_.busy_time().ps());
}

TIERSIM_REGISTER_COMPONENT("cpu", Cpu,
                           "Host CPU compute: cores x SIMD x FMA x frequency roofline against "
                           "host DRAM bandwidth.");

}  // namespace tiersim::models::host
