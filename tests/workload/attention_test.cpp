// Sparse-attention top-k selection model and page locality (docs/workloads.md, "Sparse
// attention"): hand-counted pages, the model's structure, locality monotonicity, calibration to
// InstInfer's SparF figure, determinism, and the generator's kv_read / kv_pages records.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <vector>

#include "sim/workload/attention_model.h"
#include "sim/workload/generator.h"
#include "sim/workload/synthetic.h"

namespace tiersim::test {
namespace {

using workload::AttentionModel;
using workload::AttentionParams;
using workload::pages_of;
using workload::pages_touched;

std::uint64_t pages(const std::vector<std::uint32_t>& t, std::uint64_t head, std::uint64_t page) {
  return pages_touched(t, Bytes(head), Bytes(page));
}

std::vector<std::uint32_t> range(std::uint32_t from, std::uint32_t to) {
  std::vector<std::uint32_t> v;
  for (std::uint32_t t = from; t < to; ++t) v.push_back(t);
  return v;
}

TEST(AttentionPages, HandCounts) {
  // InstInfer's layout: 128 dims x fp16 = 256 B per token per head, 16 tokens per 4 KiB page.
  EXPECT_EQ(pages(range(16, 48), 256, 4096), 2u);    // two aligned pages
  EXPECT_EQ(pages(range(10, 42), 256, 4096), 3u);    // 10-15 | 16-31 | 32-41
  EXPECT_EQ(pages({0, 17, 34, 51}, 256, 4096), 4u);  // one token in each of four pages
  EXPECT_EQ(pages({0, 1, 2, 15}, 256, 4096), 1u);
  EXPECT_EQ(pages({}, 256, 4096), 0u);
  // Tokens larger than a page straddle pages: 3000 B tokens, 4096 B pages.
  EXPECT_EQ(pages({1}, 3000, 4096), 2u);     // bytes 3000..5999: pages 0, 1
  EXPECT_EQ(pages({1, 2}, 3000, 4096), 3u);  // + 6000..8999: pages 1, 2
  EXPECT_EQ(pages({0, 4}, 3000, 4096), 3u);  // page 0; 12000..14999: pages 2, 3
  EXPECT_EQ(pages_of(1024, Bytes(256), Bytes(4096)), 64u);
  EXPECT_EQ(pages_of(1025, Bytes(256), Bytes(4096)), 65u);
}

TEST(AttentionModel, SelectsKTokensWithTheRecentWindow) {
  AttentionModel m(AttentionParams{0.125, 0.5, 4.0, 0.0}, 2, 3, 7);
  for (const std::uint32_t n : {1u, 7u, 100u, 1000u, 4097u}) {
    const auto sel = m.select(1, 2, n);
    const std::uint32_t k = m.selected_count(n);
    ASSERT_EQ(sel.size(), k) << n;
    EXPECT_TRUE(std::is_sorted(sel.begin(), sel.end()));
    EXPECT_EQ(std::set<std::uint32_t>(sel.begin(), sel.end()).size(), k);
    EXPECT_LT(sel.back(), n);
    const std::uint32_t r = static_cast<std::uint32_t>(std::llround(0.5 * k));
    for (std::uint32_t t = n - r; t < n; ++t) {
      EXPECT_TRUE(std::binary_search(sel.begin(), sel.end(), t)) << n << " " << t;
    }
  }
  EXPECT_EQ(m.selected_count(1000), 125u);
  EXPECT_EQ(m.selected_count(3), 1u);  // at least one token
}

TEST(AttentionModel, ContiguousRecentSelectionGivesExactPages) {
  // recent_share 1: the selection is the last k tokens, 128 of 1024 = tokens 896..1023, which
  // are pages 56..63 of 16 tokens.
  AttentionModel m(AttentionParams{0.125, 1.0, 1.0, 0.0}, 1, 1, 1);
  const auto sel = m.select(0, 0, 1024);
  EXPECT_EQ(std::vector<std::uint32_t>(sel.begin(), sel.end()), range(896, 1024));
  EXPECT_EQ(pages_touched(sel, Bytes(256), Bytes(4096)), 8u);
  // 1000 tokens: k = 125 = tokens 875..999, pages 54 (875-879) .. 62 (992-999): 9 pages.
  EXPECT_EQ(pages_touched(m.select(0, 0, 1000), Bytes(256), Bytes(4096)), 9u);
}

TEST(AttentionModel, ScatteredSelectionMatchesTheUniformFormula) {
  // run 1, no recent window: k-of-n sampling without replacement, whose page fraction is
  // 1 - C(n - 16, k) / C(n, k) = 0.88391 for n = 1024, k = 128, 16 tokens a page. 400 samples
  // of 64 pages: standard error about 0.001.
  double none = 1.0;
  for (int i = 0; i < 16; ++i) none *= (1024.0 - 128 - i) / (1024.0 - i);
  const double f =
      workload::mean_page_fraction(AttentionParams{0.125, 0.0, 1.0, 0.0}, 1024, 16, 400, 11);
  EXPECT_NEAR(1.0 - none, 0.88391, 1e-5);
  EXPECT_NEAR(f, 1.0 - none, 0.004);
}

TEST(AttentionModel, MoreLocalityTouchesFewerPages) {
  double previous = 2.0;
  for (const double run : {1.0, 2.0, 4.0, 8.0, 16.0, 64.0}) {
    const double f =
        workload::mean_page_fraction(AttentionParams{0.125, 0.5, run, 0.0}, 1024, 16, 200, 3);
    EXPECT_LT(f, previous) << run;
    previous = f;
  }
  // Never below the ideal: 128 tokens fill at least 8 of 64 pages.
  EXPECT_GE(previous, 8.0 / 64.0);
}

TEST(AttentionModel, CalibratedToInstInferSparfPageSkip) {
  // InstInfer (targets/instinfer.yaml): SparF selects 1/8 of the tokens; skipping whole 4 KiB
  // pages (16 tokens of one head) keeps about half the sparsity: 1 - 0.875 / 2 = 0.5625 of the
  // pages are read. Prompt 1024 as in the paper's workload.
  const AttentionParams p = AttentionParams::calibrate(AttentionParams{}, 0.5625, 1024, 16);
  EXPECT_NEAR(p.run, 1.53, 0.05);  // the value docs/workloads.md quotes
  EXPECT_NEAR(workload::mean_page_fraction(p, 1024, 16, 400, 99), 0.5625, 0.01);
  EXPECT_THROW((void)AttentionParams::calibrate(AttentionParams{}, 0.01, 1024, 16),
               std::invalid_argument);
}

TEST(AttentionModel, HeavyHittersPersistWithKeep) {
  // keep 1: every older token selected at n stays selected at n + 1 (the budget never shrinks).
  AttentionModel m(AttentionParams{0.125, 0.5, 2.0, 1.0}, 1, 1, 5);
  std::vector<std::uint32_t> before;
  const auto a = m.select(0, 0, 1000);
  const std::uint32_t older = 1000 - static_cast<std::uint32_t>(std::llround(0.5 * 125));
  for (const auto t : a) {
    if (t < older) before.push_back(t);
  }
  const auto b = m.select(0, 0, 1001);
  for (const auto t : before) EXPECT_TRUE(std::binary_search(b.begin(), b.end(), t)) << t;
  // keep 0: fresh runs, little overlap in the older tokens.
  AttentionModel fresh(AttentionParams{0.125, 0.5, 2.0, 0.0}, 1, 1, 5);
  const auto c = fresh.select(0, 0, 1000);
  std::vector<std::uint32_t> old_c(c.begin(), c.end());
  const auto d = fresh.select(0, 0, 1001);
  std::size_t common = 0;
  for (const auto t : old_c) {
    if (t < older && std::binary_search(d.begin(), d.end(), t)) ++common;
  }
  EXPECT_LT(common, before.size() / 3);
}

TEST(AttentionModel, SameSeedSameSelections) {
  const AttentionParams p{0.1, 0.25, 3.0, 0.5};
  AttentionModel a(p, 2, 2, 42);
  AttentionModel b(p, 2, 2, 42);
  AttentionModel c(p, 2, 2, 43);
  bool differs = false;
  for (std::uint32_t n = 500; n < 520; ++n) {
    for (std::uint32_t l = 0; l < 2; ++l) {
      for (std::uint32_t h = 0; h < 2; ++h) {
        const auto x = a.select(l, h, n);
        const std::vector<std::uint32_t> xs(x.begin(), x.end());
        const auto y = b.select(l, h, n);
        ASSERT_EQ(xs, std::vector<std::uint32_t>(y.begin(), y.end()));
        const auto z = c.select(l, h, n);
        differs = differs || xs != std::vector<std::uint32_t>(z.begin(), z.end());
      }
    }
  }
  EXPECT_TRUE(differs);
  EXPECT_THROW(AttentionModel(AttentionParams{0.0, 0.5, 1.0, 0.0}, 1, 1, 1), std::invalid_argument);
  EXPECT_THROW(AttentionModel(AttentionParams{0.1, 0.5, 0.5, 0.0}, 1, 1, 1), std::invalid_argument);
}

class Collect final : public workload::LogicalTraceWriter {
 public:
  void write_request(const workload::Request& r) override { requests.push_back(r); }
  void write_access(const workload::Access& a) override { accesses.push_back(a); }
  void close() override {}
  std::vector<workload::Request> requests;
  std::vector<workload::Access> accesses;
};

TEST(AttentionModel, GeneratorWritesSparseKvReadsAndPages) {
  workload::ModelSpec m;
  m.name = "tiny";
  m.layers = 2;
  m.hidden = 64;
  m.intermediate = 256;
  m.heads = 4;
  m.kv_heads = 2;
  m.head_dim = 64;  // 128 B a token a head: 32 tokens a 4 KiB page
  m.vocab = 100;
  m.max_context = 4096;
  m.activation = workload::Activation::kGelu;
  workload::SyntheticOptions so;
  so.count = 1;
  so.prompt = workload::parse_length_dist("fixed:1000");
  so.output = workload::parse_length_dist("fixed:3");
  workload::GeneratorOptions o;
  o.attention = AttentionParams{0.125, 1.0, 1.0, 0.0};  // the last k tokens: exact pages
  workload::SyntheticSource src(so);
  Collect out;
  (void)workload::generate_trace(m, src, o, out);
  std::vector<workload::Access> reads;
  std::vector<workload::Access> page_records;
  for (const auto& a : out.accesses) {
    if (a.kind == workload::AccessKind::kKvRead) reads.push_back(a);
    if (a.kind == workload::AccessKind::kKvPages) page_records.push_back(a);
  }
  // Prefill (step 0) reads nothing; 2 decode steps x 2 layers sparse reads with pages.
  ASSERT_EQ(reads.size(), 4u);
  ASSERT_EQ(page_records.size(), 4u);
  // Decode 1: 1000 cached, k = 125 (tokens 875..999 = pages 27..31: 5 pages); decode 2: 1001
  // cached, k = 125 (876..1000 = pages 27..31: 5 pages). x 2 heads x (K, V).
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(reads[i].index, workload::kKvReadSparse);
    EXPECT_EQ(reads[i].count, 250u);
    EXPECT_EQ(reads[i].bytes.count(), 250u * 2 * 128);
    EXPECT_EQ(page_records[i].index, 32u);
    EXPECT_EQ(page_records[i].count, 20u);
    EXPECT_EQ(page_records[i].bytes.count(), 20u * 4096);
  }
  // Scores compute over the k selected tokens plus the step's token.
  for (const auto& a : out.accesses) {
    if (a.kind == workload::AccessKind::kCompute && a.step == 1 &&
        a.index == static_cast<std::uint32_t>(workload::ComputeOp::kScores)) {
      EXPECT_EQ(a.n, 126u);
    }
  }
  EXPECT_NE(workload::generator_yaml(o, m).find("attention: {model: topk-runs"), std::string::npos);
}

}  // namespace
}  // namespace tiersim::test
