// The recording fake executor's timing rules (tests/policies/fake_executor.h), which policy unit
// tests rely on for hand-computed expectations.
#include "tests/policies/fake_executor.h"

#include <gtest/gtest.h>

namespace tiersim::policies::testing {
namespace {

TEST(FakeExecutor, TransfersQueueFcfsOnTargetAndLinkAndAddLatencies) {
  FakeExecutor x;
  const auto gpu = x.add_compute("gpu", 1e12, Bandwidth::GBps(1000));
  const auto host = x.add_memory("host", Bandwidth::GBps(100), Time::ns(100), Bytes::GiB(64));
  x.add_link(gpu, host, Bandwidth::GBps(25), Time::ns(500));
  // 25 MB over the 25 GB/s link (the bottleneck): 1 ms, plus 100 ns + 500 ns latency.
  const Time a = x.read(gpu, host, 0, Bytes(25'000'000), Time::zero());
  EXPECT_EQ(a, Time::ms(1) + Time::ns(600));
  // A second read issued at 0 queues behind the first.
  const Time b = x.read(gpu, host, 0, Bytes(25'000'000), Time::zero());
  EXPECT_EQ(b, Time::ms(2) + Time::ns(600));
  // Compute: roofline max(2e9 flops / 1e12, 1 GB / 1000 GB/s) = 2 ms.
  const Time c = x.compute(gpu, {}, 2'000'000'000, Bytes(1'000'000'000), Time::us(10));
  EXPECT_EQ(c, Time::us(10) + Time::ms(2));
  EXPECT_EQ(x.bytes_moved(gpu, host, kernel::TxnKind::kRead), 50'000'000U);
  EXPECT_EQ(x.calls().size(), 3U);
  EXPECT_EQ(x.capacity(host), Bytes::GiB(64));
  EXPECT_EQ(x.id("host", {}), host);
  EXPECT_THROW((void)x.id("hots", {}), config::ConfigError);
}

}  // namespace
}  // namespace tiersim::policies::testing
