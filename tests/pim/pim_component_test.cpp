// The `pim` component built from YAML (configs/pim presets): compute transactions with an
// OpShape timed by PimModel, PIM operators serialized, normal accesses blocked by a running PIM
// operator unless the stack has dual row buffers (NeuPIMs), statistics and energy.
#include <gtest/gtest.h>

#include <string>

#include "models/pim/pim_component.h"
#include "sim/config/config_error.h"
#include "sim/config/loader.h"
#include "tests/common/system_from_yaml.h"
#include "tests/common/test_util.h"

namespace tiersim::kernel {
namespace {

using models::pim::PimComponent;
using test::SystemFromNode;

struct Built {
  test::TempDir dir;
  std::unique_ptr<SystemFromNode> sys;
  PimComponent* pim = nullptr;
};

std::unique_ptr<Built> build(const std::string& preset, const std::string& extra = "") {
  auto b = std::make_unique<Built>();
  const auto exp =
      b->dir.write("exp.yaml", "system:\n  components:\n    pim: {extends: " + test::source_dir() +
                                   "/configs/pim/" + preset + extra + "}\n");
  b->sys = std::make_unique<SystemFromNode>(config::load_file(exp.string()));
  b->pim = &dynamic_cast<PimComponent&>(b->sys->get("pim"));
  return b;
}

TxnExtension gemv(std::uint32_t m, std::uint32_t k, std::uint32_t batch) {
  TxnExtension t;
  t.kind = TxnKind::kCompute;
  t.op.kind = OpKind::kGemv;
  t.op.m = m;
  t.op.k = k;
  t.op.batch = batch;
  return t;
}

TEST(PimComponent, GemvAndAttentionTimedByThePimModel) {
  auto b = build("hbm3_logic_pim.yaml");
  const auto& model = b->pim->model();
  const DataWindow at0{Time::zero(), Time::zero()};
  const auto want = model.gemv({16384, 4096, 4, 2, 1});
  const Time t1 = b->pim->serve(gemv(16384, 4096, 4), at0).last;
  EXPECT_EQ(t1, want.total());
  TxnExtension attn;
  attn.kind = TxnKind::kCompute;
  attn.op.kind = OpKind::kDecodeAttention;
  attn.op.batch = 4;
  attn.op.q_heads = 32;
  attn.op.kv_heads = 8;
  attn.op.context = 1024;
  attn.op.head_dim = 128;
  const auto a = model.decode_attention(4, 32, 8, 1024, 128, 2);
  EXPECT_EQ(b->pim->serve(attn, at0).last, t1 + a.total());  // queued behind the GEMV
  // Score and value GEMVs each stream the KV of every (sequence, KV head): 2 x 4 x 8 x 1024 x 128
  // x 2 B.
  EXPECT_EQ(a.weight_bytes.count(), 2u * 4 * 8 * 1024 * 128 * 2);
  TxnExtension generic;
  generic.kind = TxnKind::kCompute;
  EXPECT_THROW((void)b->pim->serve(generic, at0), std::invalid_argument);
  b->pim->finalize(Time::ms(1));
  EXPECT_EQ(b->sys->counter("pim", "pim_ops"), 2u);
  EXPECT_EQ(b->sys->counter("pim", "gemv_ops"), 1u);
  EXPECT_EQ(b->sys->counter("pim", "attention_ops"), 1u);
  EXPECT_EQ(b->sys->counter("pim", "cmd_RDbb"),
            want.commands[models::dram::index(models::dram::Command::kRDbb)] +
                a.commands[models::dram::index(models::dram::Command::kRDbb)]);
  EXPECT_EQ(b->sys->counter("pim", "cmd_MACab"), 0u);
  const std::uint64_t total = b->sys->counter("pim", "energy_total_pJ");
  const std::uint64_t parts =
      b->sys->counter("pim", "energy_act_pJ") + b->sys->counter("pim", "energy_column_pJ") +
      b->sys->counter("pim", "energy_mac_pJ") + b->sys->counter("pim", "energy_io_pJ") +
      b->sys->counter("pim", "energy_background_pJ");
  EXPECT_NEAR(static_cast<double>(total), static_cast<double>(parts), 3.0);
  // Logic die: 0.6 pJ per MAC lane operated.
  EXPECT_NEAR(static_cast<double>(b->sys->counter("pim", "energy_mac_pJ")),
              0.6 * static_cast<double>(want.mac_lanes + a.mac_lanes), 2.0);
}

// Without dual row buffers a read arriving during a PIM GEMV waits for its end; with them
// (NeuPIMs preset) it is served at once.
TEST(PimComponent, DualRowBufferLetsNormalReadsOverlapPim) {
  const DataWindow at0{Time::zero(), Time::zero()};
  TxnExtension rd;
  rd.kind = TxnKind::kRead;
  rd.bytes = Bytes(64);
  const DataWindow t10{Time::ns(10), Time::ns(10)};
  auto plain = build("hbm3_bank_pim.yaml");
  const Time pim_end = plain->pim->serve(gemv(16384, 4096, 1), at0).last;
  const DataWindow blocked = plain->pim->serve(rd, t10);
  EXPECT_GT(blocked.first, pim_end);
  auto dual = build("hbm3_neupims.yaml");
  EXPECT_EQ(dual->pim->serve(gemv(16384, 4096, 1), at0).last, pim_end);
  const DataWindow overlapped = dual->pim->serve(rd, t10);
  EXPECT_LT(overlapped.last, Time::ns(200));
  // And a PIM operator behind a normal access waits for it only without dual row buffers.
  const Time second = plain->pim->serve(gemv(1024, 1024, 1), at0).last;
  EXPECT_GE(second, blocked.last);
}

TEST(PimComponent, DetailedFidelityMatchesFast) {
  auto fast = build("hbm3_bank_group_pim.yaml");
  auto detailed = build("hbm3_bank_group_pim.yaml", ", fidelity: detailed");
  const DataWindow at0{Time::zero(), Time::zero()};
  const Time f = fast->pim->serve(gemv(4096, 1024, 6), at0).last;
  const Time d = detailed->pim->serve(gemv(4096, 1024, 6), at0).last;
  EXPECT_NEAR(static_cast<double>(f.ps()), static_cast<double>(d.ps()), 2.0);
}

TEST(PimComponent, OrganizationTheKindCannotUseIsAConfigError) {
  try {
    auto b = build("hbm3_logic_pim.yaml", ", organization: {banks: 1}");
    FAIL() << "expected a ConfigError";
  } catch (const config::ConfigError& e) {
    EXPECT_NE(e.message().find("banks per bank group"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("hbm3_logic_pim.yaml"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace tiersim::kernel
