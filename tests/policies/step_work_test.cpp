// expand_step against hand-computed OPT-13B and Mixtral-8x7B figures (sim/policies/step_work.h).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "sim/policies/step_work.h"
#include "sim/workload/model_io.h"

namespace tiersim::policies {
namespace {

using kernel::OpKind;
using scheduler::Phase;
using scheduler::Step;

workload::ModelSpec model(const std::string& name) {
  return workload::load_model(std::string(TIERSIM_SOURCE_DIR) + "/configs/models/" + name +
                              ".yaml");
}

// OPT-13B: hidden 5120, 40 heads of 128, FFN 20480, biases, LayerNorm, 40 layers.
TEST(StepWork, Opt13bLayerWeightsAndKvBytesMatchHandFigures) {
  const auto m = model("opt-13b");
  Step s;
  s.entries = {{0, Phase::kDecode, 1, 100, true},
               {1, Phase::kDecode, 1, 300, true},
               {2, Phase::kPrefill, 50, 0, true}};
  StepWork w;
  expand_step(m, s, {}, w);
  ASSERT_EQ(w.layers.size(), 40U);
  const LayerWork& l = w.layers[7];
  // Q,K,V,O 4 x 5120^2 + biases 4 x 5120, two LayerNorms 2 x 2 x 5120; fp16.
  EXPECT_EQ(l.attention_weights.count(), (4ULL * 5120 * 5120 + 4 * 5120 + 4 * 5120) * 2);
  // fc1 + fc2 2 x 5120 x 20480 + biases 20480 + 5120.
  EXPECT_EQ(l.ffn_weights.count(), (2ULL * 5120 * 20480 + 20480 + 5120) * 2);
  EXPECT_EQ((l.attention_weights + l.ffn_weights).count(), 629278720ULL);
  EXPECT_EQ((l.attention_weights + l.ffn_weights), m.layer_weight_bytes(7));
  // K and V: 2 x 40 x 128 x 2 B = 20480 B per token per layer.
  EXPECT_EQ(l.kv_read.count(), (100ULL + 300) * 20480);
  EXPECT_EQ(l.kv_write.count(), 52ULL * 20480);
  EXPECT_EQ(l.activations.count(), 52ULL * 5120 * 2);
  EXPECT_EQ(l.qkv.op.kind, OpKind::kGemm);
  EXPECT_EQ(l.qkv.op.m, 52U);
  EXPECT_EQ(l.qkv.op.n, 3U * 5120);
  EXPECT_EQ(l.qkv.flops, 2ULL * 52 * 15360 * 5120);
  EXPECT_EQ(l.ffn_up.flops, 2ULL * 52 * 20480 * 5120);
  EXPECT_EQ(l.ffn_down.op.k, 20480U);
  // Decode attention: 2 sequences attending 101 and 301 tokens (own token included).
  EXPECT_EQ(l.decode_attention.op.kind, OpKind::kDecodeAttention);
  EXPECT_EQ(l.decode_attention.op.batch, 2U);
  EXPECT_EQ(l.decode_attention.op.context, 201U);
  EXPECT_EQ(l.decode_attention.flops, 4ULL * 5120 * 402);
  // Prefill attention: 50 causal queries, 50 x 51 / 2 pairs.
  EXPECT_EQ(l.prefill_attention.op.kind, OpKind::kPrefillAttention);
  EXPECT_EQ(l.prefill_attention.op.m, 50U);
  EXPECT_EQ(l.prefill_attention.flops, 4ULL * 5120 * 1275);
  // LM head (tied: vocab x hidden) on the 3 entries producing a token.
  EXPECT_EQ(w.lm_head_weights.count(), 50272ULL * 5120 * 2);
  EXPECT_EQ(w.lm_head.flops, 2ULL * 3 * 50272 * 5120);
  EXPECT_EQ(w.embedding_rows.count(), 52ULL * 5120 * 2);
}

TEST(StepWork, DecodeFlopsAgreeWithModelSpecWithinBiasTerms) {
  const auto m = model("opt-13b");
  Step s;
  s.entries = {{0, Phase::kDecode, 1, 999, true}};
  StepWork w;
  expand_step(m, s, {}, w);
  std::uint64_t flops = w.lm_head.flops;
  for (const auto& l : w.layers) {
    flops += l.qkv.flops + l.out_proj.flops + l.ffn_up.flops + l.ffn_down.flops +
             l.decode_attention.flops;
    EXPECT_EQ(l.prefill_attention.op.kind, OpKind::kGeneric);
  }
  // ModelSpec counts 2 FLOPs per parameter including biases (~0.01% here).
  const double expect = static_cast<double>(m.decode_flops(1000));
  EXPECT_NEAR(static_cast<double>(flops) / expect, 1.0, 2e-4);
  EXPECT_LT(static_cast<double>(flops), expect);
}

TEST(StepWork, SparseFfnReadsExpectedUnionOfActiveNeuronsInDecodeOnly) {
  const auto m = model("opt-13b");
  SparsityOptions sp;
  sp.sparse_ffn = true;
  sp.active_neuron_share = 0.1;
  Step s;
  s.entries = {{0, Phase::kDecode, 1, 10, true}, {1, Phase::kDecode, 1, 20, true}};
  StepWork w;
  expand_step(m, s, sp, w);
  // 1 - 0.9^2 = 0.19 of 20480 neurons = 3891.2 -> 3892.
  EXPECT_EQ(w.layers[0].active_neurons, 3892U);
  EXPECT_EQ(w.layers[0].ffn_weights.count(), 3892ULL * (2 * 5120 + 1) * 2 + 5120 * 2);
  EXPECT_EQ(w.layers[0].ffn_up.op.n, 3892U);
  EXPECT_EQ(w.layers[0].ffn_down.op.k, 3892U);
  // A step with a prefill entry reads the dense FFN.
  s.entries.push_back({2, Phase::kPrefill, 8, 0, true});
  expand_step(m, s, sp, w);
  EXPECT_EQ(w.layers[0].active_neurons, 0U);
  EXPECT_EQ(w.layers[0].ffn_weights, m.expert_weight_bytes());
}

TEST(StepWork, MoeRoutesTopKDistinctExpertsPerTokenDeterministically) {
  const auto m = model("mixtral-8x7b");
  Step one;
  one.entries = {{0, Phase::kDecode, 1, 64, true}};
  StepWork w;
  expand_step(m, one, {}, w);
  for (const auto& l : w.layers) {
    ASSERT_EQ(l.experts.size(), 2U);  // one token, top-2 distinct
    EXPECT_EQ(l.expert_tokens[0] + l.expert_tokens[1], 2U);
    EXPECT_EQ(l.ffn_weights.count(), 4096ULL * 8 * 2 + 2 * m.expert_weight_bytes().count());
    EXPECT_EQ(l.ffn_up.op.kind, OpKind::kMoeFfn);
    EXPECT_EQ(l.ffn_up.flops, 2ULL * 2 * 3 * 4096 * 14336);
    EXPECT_EQ(l.ffn_down.flops, 0U);
  }
  Step big;
  big.index = 3;
  big.entries = {{0, Phase::kPrefill, 4000, 0, true}};
  StepWork a, b;
  expand_step(m, big, {}, a);
  expand_step(m, big, {}, b);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < a.layers[0].experts.size(); ++i) {
    EXPECT_EQ(a.layers[0].expert_tokens[i], b.layers[0].expert_tokens[i]);
    total += a.layers[0].expert_tokens[i];
    // Uniform routing: 8000 assignments over 8 experts, 1000 +- 5 sigma (sigma ~ 30).
    EXPECT_NEAR(a.layers[0].expert_tokens[i], 1000.0, 150.0);
  }
  EXPECT_EQ(a.layers[0].experts.size(), 8U);
  EXPECT_EQ(total, 8000U);
  big.index = 4;
  expand_step(m, big, {}, b);
  EXPECT_NE(a.layers[0].expert_tokens, b.layers[0].expert_tokens);
}

}  // namespace
}  // namespace tiersim::policies
