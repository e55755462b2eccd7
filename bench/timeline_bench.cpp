// Google Benchmark microbenchmarks of the timing primitives every device model reuses.
#include <benchmark/benchmark.h>

#include "sim/kernel/link.h"
#include "sim/kernel/timeline.h"
#include "sim/stats/histogram.h"
#include "sim/stats/stat_group.h"

namespace {

using tiersim::Bandwidth;
using tiersim::Bytes;
using tiersim::Time;

void BM_TimelineReserve(benchmark::State& state) {
  tiersim::kernel::Timeline tl;
  Time t;
  for (auto _ : state) {
    t = tl.reserve(t + Time::ps(10), Time::ps(19));
    benchmark::DoNotOptimize(t);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TimelineReserve);

void BM_TimelinePoolReserve(benchmark::State& state) {
  tiersim::kernel::TimelinePool pool(static_cast<std::size_t>(state.range(0)));
  Time t;
  for (auto _ : state) {
    auto g = pool.reserve(t, Time::ps(100));
    t += Time::ps(7);
    benchmark::DoNotOptimize(g);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TimelinePoolReserve)->Arg(4)->Arg(16)->Arg(64);

void BM_BandwidthTransferTime(benchmark::State& state) {
  const Bandwidth bw = Bandwidth::GBps(3350.0);
  std::uint64_t b = 64;
  for (auto _ : state) {
    benchmark::DoNotOptimize(bw.transfer_time(Bytes(b)));
    b = (b + 64) & 0xFFFFF;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BandwidthTransferTime);

void BM_LinkCarry(benchmark::State& state) {
  tiersim::stats::StatsRegistry reg(Time::us(1));
  tiersim::kernel::Link link("l", 0, 1, "a", "b", Bandwidth::GBps(25.0), Time::ns(500),
                             reg.group("l"));
  Time t;
  for (auto _ : state) {
    auto w = link.carry(0, Bytes(4096), {t, t});
    t += Time::ns(100);
    benchmark::DoNotOptimize(w);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LinkCarry);

void BM_HistogramAdd(benchmark::State& state) {
  tiersim::stats::LatencyHistogram h;
  std::int64_t v = 1000;
  for (auto _ : state) {
    h.add(Time::ps(v));
    v = (v * 7 + 13) % 10000000;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HistogramAdd);

}  // namespace

BENCHMARK_MAIN();

// libsystemc references sc_main(); this program never starts SystemC (BENCHMARK_MAIN is main).
int sc_main(int /*argc*/, char* /*argv*/[]) {
  return 0;
}
