// cpu: a host CPU as a compute resource for work a policy places on it (FlexGen's CPU attention,
// LLM-in-a-flash's CPU backend, DeepSpeed's CPU optimizer), timed by a roofline.
//
// Peak rate = cores x fma_units x (simd_width / element bits) x (2 if fma else 1) x frequency.
// A compute transaction (TxnKind::kCompute; TxnExtension::flops operations moving `bytes` of
// memory traffic) takes
//   duration = overhead + max(flops / (peak x achieved_fraction), bytes / memory_bandwidth)
// where memory_bandwidth is the host DRAM bandwidth the CPU's kernels achieve (the roofline's
// memory bound; e.g. measured STREAM). Kernels use all cores and run one at a time in arrival
// order on one timeline: start = max(arrival, cpu free); the response window is
// [start + duration, same]. A kernel with flops == 0 and bytes == 0 costs the overhead only.
// The CPU also serves as a workload source (its loads/stores go to memories over the fabric);
// reads and writes *to* it are errors.
// Statistics: kernels, flops, bytes, compute_bound / memory_bound (which roofline side set the
// duration), busy_ps.
#pragma once

#include "sim/kernel/component.h"
#include "sim/kernel/timeline.h"

namespace tiersim::models::host {

struct CpuParams {
  std::uint64_t cores = 1;
  std::uint64_t simd_width_bits = 512;
  std::uint64_t fma_units = 2;
  bool fma = true;
  std::uint64_t element_bits = 32;
  Frequency frequency = Frequency::hz(2e9);
  double achieved_fraction = 1.0;
  Bandwidth memory_bandwidth;
  Time overhead;
};

// The roofline arithmetic, separate from the component for tests and tools.
class CpuRoofline {
 public:
  explicit CpuRoofline(const CpuParams& p);
  // Peak floating-point operations per second (all cores, before achieved_fraction).
  [[nodiscard]] double peak_flops() const { return peak_; }
  [[nodiscard]] double achieved_flops() const { return peak_ * p_.achieved_fraction; }
  // Ridge point: flops per byte above which a kernel is compute bound.
  [[nodiscard]] double ridge_intensity() const {
    return achieved_flops() / p_.memory_bandwidth.bytes_per_second();
  }
  struct Timing {
    Time duration;
    bool compute_bound;
  };
  [[nodiscard]] Timing time(std::uint64_t flops, Bytes bytes) const;

 private:
  CpuParams p_;
  double peak_;
};

class Cpu : public kernel::Component {
 public:
  explicit Cpu(const kernel::BuildContext& ctx);
  static config::SchemaPtr schema();

  kernel::DataWindow serve(const kernel::TxnExtension& txn, kernel::DataWindow in) override;
  void finalize(Time end) override;
  [[nodiscard]] const CpuRoofline& roofline() const { return roofline_; }

 private:
  CpuRoofline roofline_;
  kernel::Timeline timeline_;
  stats::Counter& kernels_;
  stats::Counter& flops_;
  stats::Counter& bytes_;
  stats::Counter& compute_bound_;
  stats::Counter& memory_bound_;
};

}  // namespace tiersim::models::host
