#include "sim/replay/cuda/timing.h"

#include <algorithm>
#include <cmath>

#include "sim/replay/cuda/cuda_check.h"

namespace tiersim::cuda {
namespace {

__global__ void gate_kernel(volatile int* flag, long long timeout_cycles) {
  const long long t0 = clock64();
  while (*flag == 0 && clock64() - t0 < timeout_cycles) {
  }
}

}  // namespace

Bench::Bench() {
  void* p = nullptr;
  TIERSIM_CUDA(cudaHostAlloc(&p, sizeof(int), cudaHostAllocMapped));
  flag_host_ = static_cast<volatile int*>(p);
  *flag_host_ = 0;
  TIERSIM_CUDA(cudaHostGetDevicePointer(reinterpret_cast<void**>(&flag_dev_), p, 0));
  TIERSIM_CUDA(cudaEventCreate(&start_));
  TIERSIM_CUDA(cudaEventCreate(&stop_));
  int device = 0;
  int khz = 0;
  TIERSIM_CUDA(cudaGetDevice(&device));
  TIERSIM_CUDA(cudaDeviceGetAttribute(&khz, cudaDevAttrClockRate, device));
  gate_timeout_cycles_ = 2LL * 1000 * std::max(khz, 1000000);  // ~2 s at the peak SM clock
}

Bench::~Bench() {
  (void)cudaEventDestroy(start_);
  (void)cudaEventDestroy(stop_);
  (void)cudaFreeHost(const_cast<int*>(flag_host_));
}

double Bench::batch(cudaStream_t stream, const std::function<void(std::uint64_t)>& enqueue,
                    const std::function<void()>& before, std::uint64_t reps,
                    bool host_synchronous) {
  if (before) before();
  TIERSIM_CUDA(cudaStreamSynchronize(stream));
  *flag_host_ = host_synchronous ? 1 : 0;
  gate_kernel<<<1, 1, 0, stream>>>(flag_dev_, gate_timeout_cycles_);
  TIERSIM_CUDA(cudaGetLastError());
  TIERSIM_CUDA(cudaEventRecord(start_, stream));
  enqueue(reps);
  TIERSIM_CUDA(cudaEventRecord(stop_, stream));
  *flag_host_ = 1;
  TIERSIM_CUDA(cudaEventSynchronize(stop_));
  TIERSIM_CUDA(cudaGetLastError());
  float ms = 0;
  TIERSIM_CUDA(cudaEventElapsedTime(&ms, start_, stop_));
  return static_cast<double>(ms) * 1e-3;
}

Timing Bench::run(cudaStream_t stream, const std::function<void(std::uint64_t)>& enqueue,
                  const std::function<void()>& before, const BenchOptions& opt) {
  Timing t;
  const double one = batch(stream, enqueue, before, 1, opt.host_synchronous);
  if (one < opt.min_batch_s) {
    const double want = std::ceil(opt.min_batch_s / std::max(one, 1e-9));
    t.reps = std::min<std::uint64_t>(opt.max_reps, static_cast<std::uint64_t>(want));
  }
  for (int i = 0; i < opt.samples; ++i) {
    const double s = batch(stream, enqueue, before, t.reps, opt.host_synchronous);
    t.samples_s.push_back(s / static_cast<double>(t.reps));
  }
  return t;
}

Summary summarize(std::vector<double> samples) {
  Summary s;
  if (samples.empty()) return s;
  std::sort(samples.begin(), samples.end());
  const std::size_t n = samples.size();
  s.median = n % 2 == 1 ? samples[n / 2] : 0.5 * (samples[n / 2 - 1] + samples[n / 2]);
  s.min = samples.front();
  s.max = samples.back();
  return s;
}

}  // namespace tiersim::cuda
