// sram_scratchpad and sectored_cache built by type name from YAML (and the H100 L2 preset), and
// timed through Component::serve. One System per process (SystemC elaborates once).
#include <gtest/gtest.h>

#include <string>

#include "models/sram/sectored_cache.h"
#include "sim/config/config_error.h"
#include "sim/config/loader.h"
#include "sim/kernel/system.h"
#include "tests/common/system_from_yaml.h"
#include "tests/common/test_util.h"

namespace tiersim::kernel {
namespace {

using test::SystemFromNode;

TxnExtension txn(TxnKind kind, std::uint64_t address, std::uint64_t bytes, ComponentId source) {
  TxnExtension t;
  t.kind = kind;
  t.address = address;
  t.bytes = Bytes(bytes);
  t.source = source;
  return t;
}

TEST(SramScratchpadComponent, BankConflictsFromYaml) {
  SystemFromNode s(config::parse_yaml(R"(
system:
  components:
    sm: {type: endpoint}
    smem: {type: sram_scratchpad, banks: 4, interleave: 64 B, bank_bandwidth: 64 GB/s,
           latency: 2 ns, capacity: 4 KiB}
)",
                                      "scratchpad.yaml"));
  Component& c = s.get("smem");
  const DataWindow at0{Time::zero(), Time::zero()};
  EXPECT_EQ(c.serve(txn(TxnKind::kRead, 0, 64, 0), at0).last.ps(), 3000);
  EXPECT_EQ(c.serve(txn(TxnKind::kRead, 256, 64, 0), at0).last.ps(), 4000);  // same bank
  EXPECT_EQ(c.serve(txn(TxnKind::kRead, 64, 64, 0), at0).last.ps(), 3000);   // other bank
  EXPECT_THROW((void)c.serve(txn(TxnKind::kRead, 4096 - 32, 64, 0), at0), std::out_of_range);
  c.finalize(Time::us(1));
  EXPECT_EQ(s.counter("smem", "reads"), 3u);
  EXPECT_EQ(s.counter("smem", "bank_conflicts"), 1u);
  EXPECT_EQ(s.counter("smem", "conflict_stall_ps"), 1000u);
  EXPECT_EQ(s.counter("smem", "bank_busy_ps"), 3000u);
}

TEST(SectoredCacheComponent, H100PresetHasNearAndFarLatencies) {
  test::TempDir dir;
  const auto exp = dir.write("exp.yaml",
                             "system:\n  components:\n    sm0: {type: endpoint}\n"
                             "    sm1: {type: endpoint}\n"
                             "    l2: {extends: " +
                                 test::source_dir() + "/configs/sram/h100_l2.yaml}\n");
  SystemFromNode s(config::load_file(exp.string()));
  Component& l2 = s.get("l2");
  // Line 0 is in partition 0: near for sm0 (id 0), far for sm1 (id 1).
  (void)l2.serve(txn(TxnKind::kRead, 0, 128, 0), {Time::zero(), Time::zero()});
  const Time t = Time::us(10);
  // 128 B through a 2.67 TB/s partition port: 47.94 ps -> 48 ps; then the hit latency (the
  // preset's values, calibrated on the measured H100): 285 clk at 1.98 GHz = 143939.4 ps ->
  // 143939; 290 clk = 146464.6 ps -> 146465.
  EXPECT_EQ(l2.serve(txn(TxnKind::kRead, 0, 128, 0), {t, t}).last, t + Time::ps(48 + 143'939));
  EXPECT_EQ(l2.serve(txn(TxnKind::kRead, 0, 128, 1), {t, t}).last,
            t + Time::ps(48 + 48 + 146'465));  // queued behind the first on the same port
  l2.finalize(t);
  EXPECT_EQ(s.counter("l2", "misses"), 1u);
  EXPECT_EQ(s.counter("l2", "hits"), 2u);
  EXPECT_EQ(s.counter("l2", "sectors"), 12u);
  EXPECT_EQ(s.counter("l2", "sector_hits"), 8u);
  EXPECT_EQ(s.counter("l2", "bytes_fetched"), 128u);
}

TEST(SectoredCacheComponent, ImpossibleGeometryIsAConfigErrorAtCapacity) {
  try {
    SystemFromNode s(config::parse_yaml(R"(
system:
  components:
    l2: {type: sectored_cache, capacity: 1000 B, clock: 1 GHz, near_hit_cycles: 10,
         backing_bandwidth: 1 TB/s}
)",
                                        "bad.yaml"));
    FAIL() << "expected a ConfigError";
  } catch (const config::ConfigError& e) {
    EXPECT_EQ(e.origin().line, 4);
    EXPECT_NE(e.message().find("capacity 1000 B is not a positive multiple of 128 B x 16 ways x "
                               "1 partitions"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace tiersim::kernel
