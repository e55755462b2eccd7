// Decode attention inside the InstInfer-like CSD (models/csd/csd.h, EngineModel::attend and the
// kDecodeAttention compute transaction): the KV layout's page count, engine time = the slower of
// flash and compute with pipelining, the unit breakdown, and the SparF-like variant.
#include <gtest/gtest.h>

#include <cstdio>

#include "models/csd/csd.h"
#include "sim/config/loader.h"
#include "tests/common/system_from_yaml.h"
#include "tests/common/test_util.h"

namespace tiersim::models::csd {
namespace {

config::Node preset(const std::string& overrides = "") {
  config::Node n =
      config::load_file(tiersim::test::source_dir() + "/configs/csd/instinfer_csd.yaml");
  if (!overrides.empty()) config::merge_into(n, config::parse_yaml(overrides, "<o>"));
  config::validate(n, *Csd::schema());
  return n;
}

struct Engine {
  explicit Engine(const config::Node& n)
      : ssd(flash::nand_from_config(n.at("nand")),
            flash::controller_from_config(n.at("controller"))),
        engine(ssd.array(), engine_from_config(n.at("engine"))) {}
  flash::SsdModel ssd;
  EngineModel engine;
};

// OPT-13B: 40 heads x 128 dims, fp16; 16 tokens x 128 x 2 B = one 4 KiB page per head.
AttendOp opt13b(std::uint32_t batch, std::uint64_t context) {
  AttendOp a;
  a.batch = batch;
  a.q_heads = 40;
  a.kv_heads = 40;
  a.head_dim = 128;
  a.context = context;
  a.elem_bytes = 2;
  return a;
}

// attend_sample_groups: the first S groups timed one by one, the rest extrapolated at the
// sample's steady rate, against every group timed (attend_sample_groups: 0), on fresh engines
// (dense attention, three batch sizes and contexts). The end time, the flash bytes and each
// unit's busy time agree within 1%.
TEST(CsdAttention, SampledGroupsMatchEveryGroupTimed) {
  struct Case {
    std::uint32_t batch;
    std::uint64_t context;
  };
  for (const Case c : {Case{16, 1024}, Case{64, 2048}, Case{8, 1536}}) {
    const AttendOp a = opt13b(c.batch, c.context);
    Engine full(preset("engine: {attend_sample_groups: 0}"));
    Engine sampled(preset("engine: {attend_sample_groups: 32}"));
    const EngineTiming f = full.engine.attend(a, Time::zero());
    const EngineTiming s = sampled.engine.attend(a, Time::zero());
    const std::string what = std::to_string(c.batch) + "x" + std::to_string(c.context);
    EXPECT_NEAR(s.end.as_seconds() / f.end.as_seconds(), 1.0, 0.01) << what;
    EXPECT_NEAR(s.flash_done.as_seconds() / f.flash_done.as_seconds(), 1.0, 0.01) << what;
    EXPECT_NEAR(s.flash_bytes.as_double() / f.flash_bytes.as_double(), 1.0, 0.01) << what;
    EXPECT_NEAR(s.gemv_busy.as_seconds() / f.gemv_busy.as_seconds(), 1.0, 0.01) << what;
    EXPECT_NEAR(s.dram_busy.as_seconds() / f.dram_busy.as_seconds(), 1.0, 0.01) << what;
    // Later work queues behind the extrapolated units as behind the timed ones.
    EXPECT_GE(sampled.engine.gemv().busy_time(), s.gemv_busy - Time::ns(1)) << what;
  }
  // Fewer groups than the sample, or SparF (sampled by attend_sample_sparse_groups only): timed one
  // by one, identical.
  Engine full(preset("engine: {attend_sample_groups: 0, attend_sample_sparse_groups: 0}"));
  Engine sampled(preset("engine: {attend_sample_groups: 64, attend_sample_sparse_groups: 0}"));
  const AttendOp small = opt13b(1, 1024);  // 40 groups
  EXPECT_EQ(sampled.engine.attend(small, Time::zero()).end,
            full.engine.attend(small, Time::zero()).end);
  AttendOp sparse = opt13b(16, 1024);
  sparse.sparse_keep = 0.125;
  EXPECT_EQ(sampled.engine.attend(sparse, Time::ms(100), Time::ms(100)).end,
            full.engine.attend(sparse, Time::ms(100), Time::ms(100)).end);
}

// attend_sample_sparse_groups (SparF): the first S groups timed one by one, the rest extrapolated
// at the least-squares step of the sample's second half, against every group timed, on fresh
// engines. k = ceil(context / 8) tokens as the InstInfer policy selects (1025: the first decode
// context after a 1024-token prompt, 17 of 65 pages touched). The preset's S (2048) on batch 64
// (2560 groups), and S = 512 on batch 48 x 2048 tokens (1920 groups: 73% extrapolated, as 80% at
// batch 256):
// end, flash window, flash bytes and every unit's busy time within 1% (measured: <= 0.12% here
// and on batch 128-256 shapes timed fully, docs/models/csd.md), with the extrapolated work booked
// on the unit timelines.
TEST(CsdAttention, SampledSparFMatchesEveryGroupTimed) {
  const std::uint64_t preset_sample =
      engine_from_config(preset().at("engine")).attend_sample_sparse_groups;
  struct Case {
    std::uint32_t batch;
    std::uint64_t context;
    std::uint64_t sample;
  };
  for (const Case c :
       {Case{64, 1024, preset_sample}, Case{64, 1025, preset_sample}, Case{48, 2048, 512}}) {
    AttendOp a = opt13b(c.batch, c.context);
    a.sparse_keep = static_cast<double>((c.context + 7) / 8) / static_cast<double>(c.context);
    ASSERT_GT(std::uint64_t{c.batch} * a.kv_heads, c.sample);  // sampling applies
    Engine full(preset("engine: {attend_sample_sparse_groups: 0}"));
    Engine sampled(
        preset("engine: {attend_sample_sparse_groups: " + std::to_string(c.sample) + "}"));
    const EngineTiming f = full.engine.attend(a, Time::ms(1), Time::ms(1));
    const EngineTiming s = sampled.engine.attend(a, Time::ms(1), Time::ms(1));
    const std::string what = std::to_string(c.batch) + "x" + std::to_string(c.context) + " S " +
                             std::to_string(c.sample);
    const auto near = [&](Time x, Time y, const char* unit) {
      EXPECT_NEAR(x.as_seconds() / y.as_seconds(), 1.0, 0.01) << what << " " << unit;
    };
    near(s.end - s.start, f.end - f.start, "end");
    near(s.flash_done - s.start, f.flash_done - f.start, "flash_done");
    near(s.flash_busy, f.flash_busy, "flash_busy");
    EXPECT_NEAR(s.flash_bytes.as_double() / f.flash_bytes.as_double(), 1.0, 0.01) << what;
    near(s.gemv_busy, f.gemv_busy, "gemv");
    near(s.dram_busy, f.dram_busy, "dram");
    near(s.softmax_busy, f.softmax_busy, "softmax");
    near(s.topk_busy, f.topk_busy, "topk");
    near(s.filter_busy, f.filter_busy, "filter");
    // Sampled for real (fewer unit bookings), and later work queues behind the extrapolated
    // units and filters as behind the timed ones.
    EXPECT_LT(sampled.engine.topk().reservations(), full.engine.topk().reservations()) << what;
    near(sampled.engine.topk().busy_time(), full.engine.topk().busy_time(), "topk timeline");
    near(sampled.engine.filter_busy(), full.engine.filter_busy(), "filter timelines");
  }
}

// Sampled attention books the flash array for the groups it extrapolates (csd.h: each die and
// channel gets its busy time over the sample's second half x rest / span, as one block after
// the sample's reads): after the attention, every channel's and the dies' busy time matches
// timing every group within 2%, and a host read issued at 60% of the attention's flash window
// waits for the array within a factor 2 of its wait behind every group timed (measured: dense
// 99.2 ms both; SparF 30.7 ms vs 35.0 ms; without the booking 48 µs). Dense (S = 32 of 2560
// groups) and SparF (S = 512 of 1920).
TEST(CsdAttention, SampledAttentionBooksTheFlashArrayForExtrapolatedGroups) {
  struct Case {
    bool sparse;
    std::uint32_t batch;
    std::uint64_t context;
    const char* sample;
  };
  for (const Case c : {Case{false, 64, 2048, "engine: {attend_sample_groups: 32}"},
                       Case{true, 48, 2048, "engine: {attend_sample_sparse_groups: 512}"}}) {
    AttendOp a = opt13b(c.batch, c.context);
    if (c.sparse) a.sparse_keep = 256.0 / 2048.0;
    Engine full(preset("engine: {attend_sample_groups: 0, attend_sample_sparse_groups: 0}"));
    Engine sampled(preset(c.sample));
    const Time t0 = Time::ms(1);
    const EngineTiming f = full.engine.attend(a, t0, t0);
    const EngineTiming s = sampled.engine.attend(a, t0, t0);
    const std::string what = c.sparse ? "sparf" : "dense";
    EXPECT_NEAR((s.flash_done - t0).as_seconds() / (f.flash_done - t0).as_seconds(), 1.0, 0.01);
    flash::FlashBackend& fa = full.ssd.array();
    flash::FlashBackend& sa = sampled.ssd.array();
    const flash::Geometry& g = fa.params().geometry;
    for (std::uint32_t ch = 0; ch < g.channels; ++ch) {
      EXPECT_NEAR(sa.channel_busy(ch).as_seconds() / fa.channel_busy(ch).as_seconds(), 1.0, 0.02)
          << what << " channel " << ch;
    }
    Time die_full, die_sampled;
    for (std::uint32_t d = 0; d < g.dies(); ++d) {
      die_full += fa.die_busy(d);
      die_sampled += sa.die_busy(d);
    }
    EXPECT_NEAR(die_sampled.as_seconds() / die_full.as_seconds(), 1.0, 0.02) << what;
    // A 256 KiB host read (every die, through the FTL-less array) at 60% of the flash window.
    const Time mid = t0 + Time::ps((f.flash_done - t0).ps() * 6 / 10);
    const Bytes probe = Bytes::KiB(256);
    const Time wait_full = fa.read(0, probe, mid, t0).last - mid;
    const Time wait_sampled = sa.read(0, probe, mid, t0).last - mid;
    std::printf("%s: host read in the window: %.1f us behind every group timed, %.1f us sampled\n",
                what.c_str(), wait_full.as_us(), wait_sampled.as_us());
    EXPECT_GT(wait_sampled.as_seconds(), 0.5 * wait_full.as_seconds()) << what;
    EXPECT_LT(wait_sampled.as_seconds(), 2.0 * wait_full.as_seconds()) << what;
  }
}

TEST(CsdAttention, RegionIsOnePagePerSixteenTokensPerHeadForKAndV) {
  const AttendOp a = opt13b(4, 1000);  // 1000 tokens -> 63 pages per side
  EXPECT_EQ(a.region(Bytes::KiB(4)).count(), 4ull * 40 * 2 * 63 * 4096);
}

TEST(CsdAttention, DenseAttentionIsFlashBoundWithComputeHiddenBehindIt) {
  Engine e(preset());
  const AttendOp a = opt13b(4, 1024);  // 80 MiB of K + V
  const EngineTiming t = e.engine.attend(a, Time::zero());
  const Bytes region = a.region(Bytes::KiB(4));
  EXPECT_EQ(t.flash_bytes, region);
  // Flash: 8 channels x 4 KiB / (100 ns + 4 KiB / 1.4 GB/s) = 10.83 GB/s at best.
  const double ceiling_s = region.as_double() / (8 * 4096.0 / (100e-9 + 4096 / 1.4e9));
  EXPECT_GE((t.flash_done - t.start).as_seconds(), ceiling_s);
  EXPECT_LE((t.flash_done - t.start).as_seconds(), 1.05 * ceiling_s);
  // Breakdown: GEMV q.K + p.V = 2 x (2 x 1024 x 128) FLOPs per head at 650 GFLOP/s; softmax 1024
  // scores per head at 1000 M/s; 160 heads.
  EXPECT_NEAR(t.gemv_busy.as_us(), 160 * 2 * (2.0 * 1024 * 128 / 650e9) * 1e6, 0.01);
  EXPECT_NEAR(t.softmax_busy.as_us(), 160 * 1024 / 1e9 * 1e6, 0.01);
  // Pipelined: the op ends one group's tail after the last flash byte (staging K and V of the
  // last group through engine DRAM, 2 x 2 x 256 KiB at 38.4 GB/s, plus its compute), not after
  // flash + compute.
  EXPECT_GE(t.end, t.flash_done);
  const Time tail = 2 * Bandwidth::GBps(38.4).transfer_time(Bytes::KiB(512));
  EXPECT_LT(t.end - t.flash_done, tail + Time::us(3));
  EXPECT_GT(t.end - t.flash_done, tail);
}

TEST(CsdAttention, SlowGemvMakesItComputeBound) {
  Engine e(preset("engine: {gemv_gflops: 2}"));
  const AttendOp a = opt13b(1, 1024);
  const EngineTiming t = e.engine.attend(a, Time::zero());
  // 40 heads x 2 x 262144 FLOPs at 2 GFLOP/s = 10.49 ms >> flash (20 MiB / 10.8 GB/s = 1.9 ms).
  EXPECT_NEAR(t.gemv_busy.as_us(), 40 * 2 * 262144 / 2e9 * 1e6, 0.01);
  EXPECT_GT(t.end - t.start, t.gemv_busy);
  EXPECT_LT(t.end - t.start, t.gemv_busy + Time::us(200));  // + first group's read
}

TEST(CsdAttention, SparFReadsTheChannelCopyAndOnlyTheTouchedPages) {
  Engine e(preset());
  AttendOp dense = opt13b(4, 1024);
  AttendOp sparse = dense;
  sparse.sparse_keep = 1.0 / 8;
  const EngineTiming d = e.engine.attend(dense, Time::zero());
  const EngineTiming s = e.engine.attend(sparse, Time::ms(100), Time::ms(100));
  // Per head: channel copy 16 dims x 1024 x 2 B = 8 pages; K and V: 2 x 64 pages x min(1, 2/8).
  EXPECT_EQ(s.flash_bytes.count(), 160ull * (8 + 2 * 16) * 4096);
  EXPECT_EQ(d.flash_bytes.count(), 160ull * 128 * 4096);
  const double speedup = (d.end - d.start).as_seconds() / (s.end - s.start).as_seconds();
  // 3.2x fewer pages, but the dense read is channel-bound (20480 pages x 3.03 us / 8 channels =
  // 7.75 ms) while the sparse one is die-bound: its scattered pages lose multi-plane pairing
  // (6400 single-page senses x 34 us mean tR / 64 dies = 3.4 ms): ~2.3x.
  EXPECT_GT(speedup, 1.9);
  EXPECT_LT(speedup, 2.5);
  EXPECT_GT(s.topk_busy, Time::zero());
  EXPECT_GT(s.filter_busy, Time::zero());
}

TEST(CsdAttention, ComputeTransactionRunsAttendAndRejectsUnknownOperators) {
  tiersim::test::TempDir dir;
  const auto exp =
      dir.write("exp.yaml", "system:\n  components:\n    csd: {type: csd, extends: " +
                                tiersim::test::source_dir() + "/configs/csd/instinfer_csd.yaml}\n");
  tiersim::test::SystemFromNode sys(config::load_file(exp.string()));
  kernel::Component& csd = sys.get("csd");
  kernel::TxnExtension txn = tiersim::test::compute_txn(0, 4 * 40 * 128 * 2);
  txn.op.kind = kernel::OpKind::kDecodeAttention;
  txn.op.batch = 4;
  txn.op.q_heads = 40;
  txn.op.kv_heads = 40;
  txn.op.head_dim = 128;
  txn.op.context = 1024;
  const kernel::DataWindow w = csd.serve(txn, {Time::zero(), Time::zero()});
  Engine e(preset());
  const EngineTiming t = e.engine.attend(opt13b(4, 1024), Time::zero());
  EXPECT_EQ(w.first, t.end);
  EXPECT_EQ(w.last, t.end);
  EXPECT_EQ(sys.counter("csd", "attention_ops"), 1u);
  txn.op.kind = kernel::OpKind::kGemm;
  EXPECT_THROW(csd.serve(txn, {Time::zero(), Time::zero()}), std::invalid_argument);
}

}  // namespace
}  // namespace tiersim::models::csd
