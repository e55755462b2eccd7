#include <stdexcept>

#include "sim/replay/cuda/cuda_check.h"
#include "sim/replay/cuda/measure.h"

namespace tiersim::cuda {

Gpu::Gpu(int samples) {
  int device = 0;
  TIERSIM_CUDA(cudaGetDevice(&device));
  TIERSIM_CUDA(cudaDeviceGetAttribute(&sms_, cudaDevAttrMultiProcessorCount, device));
  int l2 = 0;
  TIERSIM_CUDA(cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, device));
  l2_bytes_ = static_cast<std::size_t>(l2);
  TIERSIM_CUDA(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
  TIERSIM_CUBLAS(cublasCreate(&cublas_));
  TIERSIM_CUBLAS(cublasSetStream(cublas_, stream_));
  opt_.samples = samples;
  flush_ = DeviceBuffer(4 * l2_bytes_);
}

Gpu::~Gpu() {
  (void)cublasDestroy(cublas_);
  (void)cudaStreamDestroy(stream_);
}

void Gpu::flush_l2() const {
  TIERSIM_CUDA(cudaMemsetAsync(flush_.get(), 0x5a, flush_.size(), stream_));
}

Timing Gpu::time(const std::function<void(std::uint64_t)>& enqueue, bool flush,
                 bool host_synchronous) {
  BenchOptions o = opt_;
  o.host_synchronous = host_synchronous;
  if (flush)
    return bench_.run(
        stream_, enqueue, [this] { flush_l2(); }, o);
  return bench_.run(stream_, enqueue, {}, o);
}

Timing measure(Gpu& g, const validate::Point& p) {
  using validate::Kind;
  switch (p.kind) {
    case Kind::kCopy:
      return measure_copy(g, p);
    case Kind::kHbmStream:
      return measure_hbm_stream(g, p);
    case Kind::kPointerChase:
      return measure_pointer_chase(g, p);
    case Kind::kL2Sweep:
      return measure_l2_sweep(g, p);
    case Kind::kKvGather:
      return measure_kv_gather(g, p);
    case Kind::kDecodeAttention:
      return measure_decode_attention(g, p);
    case Kind::kGemv:
      return measure_gemv(g, p);
    case Kind::kGemm:
      return measure_gemm(g, p);
    case Kind::kLayer:
      return measure_layer(g, p);
  }
  throw std::logic_error("measure: unknown kind");
}

}  // namespace tiersim::cuda
