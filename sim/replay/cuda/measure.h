// The CUDA reference backend's measurements: one function per kind of validation point
// (sim/validate/suite.h). Each returns the time of one repetition of the point's operation, per
// sample (Bench, timing.h): one copy (or one set of concurrent copies, or one dependent
// H2D -> D2H pair), one kernel, one dependent load (pointer chase), one pass over the footprint
// (L2 sweep), one decoder layer.
//
// DRAM measurements (HBM streams, copies between device buffers, KV gather, attention, GEMV,
// GEMM, layer) flush L2 before every sample and rotate over buffers spanning >= 256 MiB so that
// back-to-back repetitions do not hit L2 (device_buffer.h). The L2 sweep deliberately runs warm.
// The pointer chase walks one whole cycle untimed first, then keeps walking it while timed, so
// that every timed load has a reuse distance of exactly one cycle (the model sees the same).
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstddef>

#include "sim/replay/cuda/device_buffer.h"
#include "sim/replay/cuda/timing.h"
#include "sim/validate/suite.h"

namespace tiersim::cuda {

class Gpu {
 public:
  explicit Gpu(int samples);
  ~Gpu();
  Gpu(const Gpu&) = delete;
  Gpu& operator=(const Gpu&) = delete;

  [[nodiscard]] cudaStream_t stream() const { return stream_; }
  [[nodiscard]] int sms() const { return sms_; }
  [[nodiscard]] std::size_t l2_bytes() const { return l2_bytes_; }
  [[nodiscard]] cublasHandle_t cublas() const { return cublas_; }
  [[nodiscard]] Bench& bench() { return bench_; }
  [[nodiscard]] const BenchOptions& options() const { return opt_; }
  // Enqueues a write of 4 x L2 size on the stream: afterwards no line of earlier data is in L2.
  void flush_l2() const;
  Timing time(const std::function<void(std::uint64_t)>& enqueue, bool flush,
              bool host_synchronous = false);

 private:
  cudaStream_t stream_{};
  int sms_ = 0;
  std::size_t l2_bytes_ = 0;
  cublasHandle_t cublas_{};
  Bench bench_;
  BenchOptions opt_;
  DeviceBuffer flush_;
};

Timing measure_copy(Gpu& g, const validate::Point& p);
Timing measure_hbm_stream(Gpu& g, const validate::Point& p);
Timing measure_l2_sweep(Gpu& g, const validate::Point& p);
Timing measure_pointer_chase(Gpu& g, const validate::Point& p);  // per load
Timing measure_kv_gather(Gpu& g, const validate::Point& p);
Timing measure_decode_attention(Gpu& g, const validate::Point& p);
Timing measure_gemv(Gpu& g, const validate::Point& p);
Timing measure_gemm(Gpu& g, const validate::Point& p);
Timing measure_layer(Gpu& g, const validate::Point& p);

// Dispatches on the point's kind.
Timing measure(Gpu& g, const validate::Point& p);

}  // namespace tiersim::cuda
