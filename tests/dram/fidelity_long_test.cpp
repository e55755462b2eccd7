// Fast vs detailed on the 2:1 read/write mix over a trace long enough for the detailed
// controller's write draining (batches between the write-queue watermarks, reads stalled while a
// batch drains) to settle: 10000 HBM3 requests of 4 KiB every 5 ns, refresh on. Label `slow`
// (the detailed run takes seconds); bench/dram_bench.cpp prints the same figure at 20000.
#include <gtest/gtest.h>

#include <cstdio>

#include "tests/dram/dram_test_util.h"
#include "tests/dram/dram_traces.h"

namespace tiersim::models::dram::test {
namespace {

TEST(DramFidelityLong, Hbm3ReadWriteMixWithin5Percent) {
  const DramSpec spec = load_preset("hbm3_6400.yaml");
  const AddressMapping map(spec);
  const auto trace = make_trace(spec, map, Pattern::kMixed, 10000, Bytes::KiB(4), Time::ns(5));
  const TraceRun d = run_trace(spec, map, trace, true);
  const TraceRun f = run_trace(spec, map, trace, false);
  std::printf("mix_2r1w x10000: time error %+.2f%%, bandwidth error %+.2f%%\n",
              (f.end.as_us() / d.end.as_us() - 1.0) * 100.0, (f.gbps() / d.gbps() - 1.0) * 100.0);
  EXPECT_NEAR(f.end.as_us() / d.end.as_us(), 1.0, 0.05);
  EXPECT_NEAR(f.gbps() / d.gbps(), 1.0, 0.05);
  // The mix is write-drain bound: well below the read-only random trace's bandwidth.
  const auto reads = make_trace(spec, map, Pattern::kRandom, 3000, Bytes::KiB(4), Time::ns(5));
  EXPECT_LT(f.gbps(), 0.9 * run_trace(spec, map, reads, false).gbps());
}

}  // namespace
}  // namespace tiersim::models::dram::test
