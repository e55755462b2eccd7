// The InstInfer-like CSD preset (configs/csd/instinfer_csd.yaml; ../shared/targets/instinfer.yaml):
// the engine reads flash at the aggregate channel bandwidth without crossing PCIe, engine time
// is max(flash, compute) with pipelining, and host-side reads are capped by PCIe 4.0 x4.
#include "models/csd/csd.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sim/config/loader.h"
#include "tests/common/h5_results.h"
#include "tests/common/test_util.h"

namespace tiersim::models::csd {
namespace {

TEST(Csd, EngineSequentialReadReachesNinetyPercentOfTheChannels) {
  config::Node n =
      config::load_file(tiersim::test::source_dir() + "/configs/csd/instinfer_csd.yaml");
  config::validate(n, *Csd::schema());
  flash::SsdModel ssd(flash::nand_from_config(n.at("nand")),
                      flash::controller_from_config(n.at("controller")));
  EngineModel engine(ssd.array(), engine_from_config(n.at("engine")));
  EXPECT_NEAR(ssd.array().aggregate_channel_bandwidth().as_GBps(), 11.2, 1e-9);
  const Bytes region = Bytes::MiB(256);
  EngineOp op;
  op.bytes = region;
  const EngineTiming t = engine.run(op, Time::zero());
  const double gbps = region.as_double() / (t.end.as_seconds() * 1e9);
  // Channel ceiling with 100 ns command cycles per 4 KiB page: 11.2 x 2.926 / 3.026 = 10.83.
  EXPECT_GE(gbps, 0.90 * 11.2);
  EXPECT_LE(gbps, 11.2);
}

TEST(Csd, EngineTimeIsTheSlowerOfFlashAndComputeWithPipelining) {
  config::Node n =
      config::load_file(tiersim::test::source_dir() + "/configs/csd/instinfer_csd.yaml");
  config::validate(n, *Csd::schema());
  const Bytes region = Bytes::MiB(64);
  auto run = [&](double gflops, std::uint64_t flops) {
    config::Node m = n;
    config::merge_into(
        m, config::parse_yaml(fmt::format("engine: {{gemv_gflops: {}}}", gflops), "<o>"));
    config::validate(m, *Csd::schema());
    flash::SsdModel ssd(flash::nand_from_config(m.at("nand")),
                        flash::controller_from_config(m.at("controller")));
    EngineModel e(ssd.array(), engine_from_config(m.at("engine")));
    EngineOp op;
    op.bytes = region;
    op.gemv_flops = flops;
    op.softmax_elems = 1 << 20;
    op.topk_elems = 1 << 20;
    return e.run(op, Time::zero());
  };
  // fp16 KV: 1 FLOP per byte (2 FLOPs per 2 B element).
  const std::uint64_t flops = region.count();
  const EngineTiming flash_bound = run(650, flops);  // 650 GFLOP/s >> 11.2 GB/s x 1 FLOP/B
  const EngineTiming compute_bound = run(2, flops);  // 2 GFLOP/s << 11.2 GB/s
  const double tail_us = 2 * 1048576.0 / 1e9 * 1e6;  // 1 Mi elements twice at 1000 M/s
  // Flash bound: GEMV finishes one chunk after the last flash byte (pipelined), not after the sum.
  const Time chunk_gemv = Time::ps(static_cast<std::int64_t>(524288.0 / 650e9 * 1e12)) +
                          Bandwidth::GBps(38.4).transfer_time(Bytes::MiB(1));
  EXPECT_LE(flash_bound.gemv_done - flash_bound.flash_done, chunk_gemv + Time::ns(10));
  EXPECT_GE(flash_bound.gemv_done, flash_bound.flash_done);
  // Compute bound: GEMV busy = flops / 2 GFLOP/s, and the op ends just after it.
  const Time mac = Time::ps(static_cast<std::int64_t>(static_cast<double>(flops) / 2e9 * 1e12));
  EXPECT_NEAR(compute_bound.gemv_busy.as_us(), mac.as_us(), 0.01);
  EXPECT_LT(compute_bound.gemv_done - compute_bound.start, mac + Time::us(200));
  EXPECT_GT(compute_bound.gemv_done - compute_bound.start, mac);
  // Softmax then top-k after the last score: 1 Mi elements each at 1000 M elements/s.
  EXPECT_NEAR((flash_bound.end - flash_bound.gemv_done).as_us(), tail_us, 0.01);
}

TEST(Csd, HostSideReadIsCappedByPcie) {
  using tiersim::test::run_tiersim;
  using tiersim::test::shell_quote;
  tiersim::test::TempDir dir;
  const std::string out = (dir.path() / "r.h5").string();
  const auto c = run_tiersim(fmt::format(
      "run {} -q --no-progress -o {} --set 'kernel.quantum=0 ns' --set {}",
      shell_quote(tiersim::test::source_dir() + "/configs/systems/csd_instinfer_host.yaml"),
      shell_quote(out),
      shell_quote("workloads=[{type: synthetic, name: w, source: host, target: csd, pattern: "
                  "sequential, requests: 20000, size: 131072 B, footprint: 100 GiB, "
                  "read_fraction: 1.0, max_outstanding: 32}]")));
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const auto res = tiersim::test::h5::read_results(out);
  const double gbps =
      20000.0 * 131072.0 / (tiersim::test::h5::i64(res.summary, "sim_time_ps") * 1e-3);
  EXPECT_LE(gbps, 7.0);
  EXPECT_GE(gbps, 0.95 * 6.794);  // the x4 link's plateau with 128 B completions
}

}  // namespace
}  // namespace tiersim::models::csd
