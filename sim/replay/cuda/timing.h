// Timing of queued GPU work for the CUDA reference backend.
//
// Contract of Bench::run():
//  - A warm-up batch of one repetition is timed first; reps = max(1, ceil(min_batch / that time))
//    so that every timed batch lasts at least min_batch (50 us by default), capped at max_reps
//    (512: a batch must fit in the GPU's launch queue while the gate holds it back).
//  - Each of `samples` samples: `before()` (e.g. an L2 flush) is enqueued and completes; a spin
//    kernel (the gate) is queued on the stream; the start event, `enqueue(reps)`, and the stop
//    event are queued behind it; then the host opens the gate, so that all queued work starts
//    together instead of trickling in as the CPU enqueues it. Work that the driver runs
//    synchronously on the host (pageable copies) cannot sit behind a closed gate: with
//    `host_synchronous` the gate is opened before enqueueing.
//  - A sample is (stop - start) / reps in seconds: the time of one repetition.
//  - enqueue() may fork work onto other streams, but must join it back into `stream` (events)
//    before returning.
// The gate times out after about two seconds (clock64) so that an error never hangs the run.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>
#include <functional>
#include <vector>

namespace tiersim::cuda {

struct Timing {
  std::vector<double> samples_s;  // per repetition
  std::uint64_t reps = 1;         // repetitions per timed batch
};

struct BenchOptions {
  int samples = 10;
  double min_batch_s = 50e-6;
  // Bounded so that a batch fits in the launch queue behind the closed gate.
  std::uint64_t max_reps = 512;
  bool host_synchronous = false;
};

class Bench {
 public:
  Bench();
  ~Bench();
  Bench(const Bench&) = delete;
  Bench& operator=(const Bench&) = delete;

  Timing run(cudaStream_t stream, const std::function<void(std::uint64_t reps)>& enqueue,
             const std::function<void()>& before = {}, const BenchOptions& opt = {});

 private:
  double batch(cudaStream_t stream, const std::function<void(std::uint64_t)>& enqueue,
               const std::function<void()>& before, std::uint64_t reps, bool host_synchronous);

  volatile int* flag_host_ = nullptr;  // mapped pinned memory
  int* flag_dev_ = nullptr;
  cudaEvent_t start_{};
  cudaEvent_t stop_{};
  long long gate_timeout_cycles_ = 0;
};

// Median, min and max of samples (median of an even count: mean of the middle two).
struct Summary {
  double median = 0, min = 0, max = 0;
};
[[nodiscard]] Summary summarize(std::vector<double> samples);

}  // namespace tiersim::cuda
