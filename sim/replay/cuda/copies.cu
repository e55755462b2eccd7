// Copies between host and device memory (cudaMemcpyAsync on copy engines): H2D and D2H from
// pinned, pageable or write-combined host memory, D2D; one stream or several concurrent streams
// (each its own buffers); and a dependent pair, H2D on one stream then D2H of the same device
// buffer on a second stream that waits for it (event), each pair waiting for the previous one.
#include <memory>
#include <vector>

#include "sim/replay/cuda/cuda_check.h"
#include "sim/replay/cuda/measure.h"

namespace tiersim::cuda {
namespace {

HostKind host_kind(const std::string& memory) {
  if (memory == "pageable") return HostKind::kPageable;
  if (memory == "wc") return HostKind::kWriteCombined;
  return HostKind::kPinned;
}

class StreamSet {
 public:
  explicit StreamSet(std::size_t n) : streams_(n), done_(n) {
    for (std::size_t i = 0; i < n; ++i) {
      TIERSIM_CUDA(cudaStreamCreateWithFlags(&streams_[i], cudaStreamNonBlocking));
      TIERSIM_CUDA(cudaEventCreateWithFlags(&done_[i], cudaEventDisableTiming));
    }
    TIERSIM_CUDA(cudaEventCreateWithFlags(&fork_, cudaEventDisableTiming));
  }
  ~StreamSet() {
    for (std::size_t i = 0; i < streams_.size(); ++i) {
      (void)cudaEventDestroy(done_[i]);
      (void)cudaStreamDestroy(streams_[i]);
    }
    (void)cudaEventDestroy(fork_);
  }
  StreamSet(const StreamSet&) = delete;
  StreamSet& operator=(const StreamSet&) = delete;

  // Makes every stream wait for work queued so far on `main`.
  void fork(cudaStream_t main) {
    TIERSIM_CUDA(cudaEventRecord(fork_, main));
    for (auto s : streams_) TIERSIM_CUDA(cudaStreamWaitEvent(s, fork_, 0));
  }
  // Makes `main` wait for all work queued so far on every stream.
  void join(cudaStream_t main) {
    for (std::size_t i = 0; i < streams_.size(); ++i) {
      TIERSIM_CUDA(cudaEventRecord(done_[i], streams_[i]));
      TIERSIM_CUDA(cudaStreamWaitEvent(main, done_[i], 0));
    }
  }
  [[nodiscard]] cudaStream_t operator[](std::size_t i) const { return streams_[i]; }
  [[nodiscard]] cudaEvent_t done(std::size_t i) const { return done_[i]; }

 private:
  std::vector<cudaStream_t> streams_;
  std::vector<cudaEvent_t> done_;
  cudaEvent_t fork_{};
};

Timing device_to_device(Gpu& g, std::size_t bytes) {
  RotatingPool src(bytes);
  RotatingPool dst(bytes);
  std::uint64_t next = 0;
  return g.time(
      [&](std::uint64_t reps) {
        for (std::uint64_t r = 0; r < reps; ++r, ++next) {
          TIERSIM_CUDA(cudaMemcpyAsync(dst.slot(next), src.slot(next), bytes,
                                       cudaMemcpyDeviceToDevice, g.stream()));
        }
      },
      true);
}

Timing chained(Gpu& g, std::size_t bytes, HostKind kind) {
  HostBuffer in(bytes, kind);
  HostBuffer out(bytes, kind);
  DeviceBuffer dev(bytes);
  StreamSet s(2);
  return g.time(
      [&](std::uint64_t reps) {
        s.fork(g.stream());
        for (std::uint64_t r = 0; r < reps; ++r) {
          TIERSIM_CUDA(cudaMemcpyAsync(dev.get(), in.get(), bytes, cudaMemcpyHostToDevice, s[0]));
          TIERSIM_CUDA(cudaEventRecord(s.done(0), s[0]));
          TIERSIM_CUDA(cudaStreamWaitEvent(s[1], s.done(0), 0));
          TIERSIM_CUDA(cudaMemcpyAsync(out.get(), dev.get(), bytes, cudaMemcpyDeviceToHost, s[1]));
          TIERSIM_CUDA(cudaEventRecord(s.done(1), s[1]));
          TIERSIM_CUDA(cudaStreamWaitEvent(s[0], s.done(1), 0));  // next H2D overwrites dev
        }
        s.join(g.stream());
      },
      false, kind == HostKind::kPageable);
}

}  // namespace

Timing measure_copy(Gpu& g, const validate::Point& p) {
  const std::size_t bytes = p.get("bytes");
  if (p.op == "d2d") return device_to_device(g, bytes);
  const HostKind kind = host_kind(p.memory);
  if (p.get("chained") == 1) return chained(g, bytes, kind);
  const std::size_t n = p.get("streams");
  const bool h2d = p.op == "h2d";
  std::vector<std::unique_ptr<HostBuffer>> host;
  std::vector<DeviceBuffer> dev;
  for (std::size_t i = 0; i < n; ++i) {
    host.push_back(std::make_unique<HostBuffer>(bytes, kind));
    dev.emplace_back(bytes);
  }
  const cudaMemcpyKind dir = h2d ? cudaMemcpyHostToDevice : cudaMemcpyDeviceToHost;
  const auto copy = [&](std::size_t i, cudaStream_t st) {
    void* dst = h2d ? dev[i].get() : host[i]->get();
    const void* src = h2d ? host[i]->get() : dev[i].get();
    TIERSIM_CUDA(cudaMemcpyAsync(dst, src, bytes, dir, st));
  };
  if (n == 1) {
    return g.time(
        [&](std::uint64_t reps) {
          for (std::uint64_t r = 0; r < reps; ++r) copy(0, g.stream());
        },
        false, kind == HostKind::kPageable);
  }
  StreamSet s(n);
  return g.time(
      [&](std::uint64_t reps) {
        s.fork(g.stream());
        for (std::uint64_t r = 0; r < reps; ++r) {
          for (std::size_t i = 0; i < n; ++i) copy(i, s[i]);
        }
        s.join(g.stream());
      },
      false, kind == HostKind::kPageable);
}

}  // namespace tiersim::cuda
