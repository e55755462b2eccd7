// Derived model quantities against hand calculation (issue 7, acceptance 1), presets and
// config.json import.
#include <gtest/gtest.h>

#include <string>

#include "sim/config/config_error.h"
#include "sim/workload/model_io.h"
#include "tests/common/test_util.h"

namespace tiersim::test {
namespace {

using workload::load_model;
using workload::ModelSpec;

ModelSpec preset(const std::string& name) {
  return load_model(source_dir() + "/configs/models/" + name + ".yaml");
}

TEST(ModelDerived, Opt13bKvBytesPerTokenIs819200) {
  // 2 (K and V) x 40 layers x 40 heads x 128 head dim x 2 bytes (fp16) = 819,200.
  EXPECT_EQ(preset("opt-13b").kv_bytes_per_token().count(), 819'200u);
}

TEST(ModelDerived, Llama2_70bGqaKvBytesPerToken) {
  // GQA: 2 x 80 layers x 8 KV heads x 128 x 2 bytes = 327,680 (not 2,621,440 as with 64 heads).
  const ModelSpec m = preset("llama-2-70b");
  EXPECT_EQ(m.head_dim, 128u);
  EXPECT_EQ(m.kv_bytes_per_token().count(), 327'680u);
}

TEST(ModelDerived, Llama3_8bGqaKvBytesPerToken) {
  // 2 x 32 layers x 8 KV heads x 128 x 2 bytes (bf16) = 131,072.
  EXPECT_EQ(preset("llama-3-8b").kv_bytes_per_token().count(), 131'072u);
}

TEST(ModelDerived, Mixtral8x7bBytesPerExpert) {
  // One expert of one layer: gate, up, down = 3 x 4096 x 14336 = 176,160,768 parameters,
  // x 2 bytes (bf16) = 352,321,536 bytes; 8 experts x 32 layers = 90.2 GB of the 93.4 GB total.
  const ModelSpec m = preset("mixtral-8x7b");
  EXPECT_EQ(m.ffn_params_per_expert(), 176'160'768u);
  EXPECT_EQ(m.expert_weight_bytes().count(), 352'321'536u);
  // Total parameters 46,702,792,704 (the published "46.7B"):
  //   per layer: attention 2 x 4096^2 + 2 x 4096 x 1024 = 41,943,040; experts 8 x 176,160,768;
  //   router 4096 x 8 = 32,768; two RMSNorms 8,192 -> 1,451,270,144; x 32 = 46,440,644,608;
  //   embeddings + LM head 2 x 32000 x 4096 = 262,144,000; final norm 4,096.
  EXPECT_EQ(m.total_params(), 46'702'792'704u);
  // Active per token: attention + 2 experts + router per layer, plus the LM head:
  //   32 x (41,943,040 + 352,321,536 + 32,768) + 131,072,000 = 12,748,587,008 ("12.9B active").
  EXPECT_EQ(m.active_params_per_token(), 12'748'587'008u);
}

TEST(ModelDerived, Opt6_7bFfnShareOfWeights) {
  // Per layer: FFN 2 x 4096 x 16384 + 16384 + 4096 (biases) = 134,238,208;
  // attention 4 x 4096^2 + 4 x 4096 = 67,125,248; two LayerNorms 4 x 4096 = 16,384.
  // Embeddings: 50272 x 4096 tokens (tied with the LM head) + 2050 x 4096 positions + final
  // LayerNorm 8192 = 214,319,104. Total 32 x 201,379,840 + 214,319,104 = 6,658,473,984 (the
  // "6.7B"); FFN share = 4,295,622,656 / 6,658,473,984 = 64.51% (issue: ~64.6%).
  const ModelSpec m = preset("opt-6.7b");
  EXPECT_EQ(m.total_params(), 6'658'473'984u);
  EXPECT_EQ(m.total_ffn_params(), 4'295'622'656u);
  EXPECT_NEAR(m.ffn_weight_share(), 4295622656.0 / 6658473984.0, 1e-15);
  EXPECT_NEAR(m.ffn_weight_share(), 0.646, 0.002);
  // One neuron (fc1 column + its bias, fc2 row) in fp16: (2 x 4096 + 1) x 2 = 16,386 bytes.
  EXPECT_EQ(m.neuron_bytes().count(), 16'386u);
}

TEST(ModelDerived, PublishedParameterCounts) {
  // Hand counts (see the comments in configs/models/*.yaml for the layouts).
  EXPECT_EQ(preset("llama-2-7b").total_params(), 6'738'415'616u);  // "6.74B"
  EXPECT_EQ(preset("llama-3-8b").total_params(), 8'030'261'248u);  // "8.03B"
  EXPECT_EQ(preset("falcon-7b").total_params(), 6'921'720'704u);   // "6.92B"
  EXPECT_EQ(preset("opt-13b").total_params(), 12'853'473'280u);    // "12.85B"
}

TEST(ModelDerived, GlamHandCounts) {
  // GLaM 64B/64E (configs/models/glam-64b-64e.yaml): 64 layers of Q, K, V, O 8192 x (128 heads
  // x 128) = 8192 x 16384 attention; 32 dense
  // and 32 MoE layers (moe_every 2) of 2 x 8192 x 32768 FFN per expert, 64 experts, a
  // 8192 x 64 router; 2 RMSNorms a layer + the final one; untied 256,000 x 8192 embeddings.
  const ModelSpec m = preset("glam-64b-64e");
  EXPECT_EQ(m.expert_weight_bytes().count(), 2ull * 8192 * 32768 * 2);  // bf16: 1 GiB
  EXPECT_FALSE(m.is_moe_layer(0));
  EXPECT_TRUE(m.is_moe_layer(1));
  const std::uint64_t attention = 64ull * 4 * 8192 * 16384;
  const std::uint64_t ffn = 2ull * 8192 * 32768;
  const std::uint64_t total = attention + 32 * ffn + 32 * 64 * ffn + 32ull * 8192 * 64 +
                              (2ull * 64 + 1) * 8192 + 2ull * 256000 * 8192;
  EXPECT_EQ(m.total_params(), total);
  EXPECT_EQ(total, 1'155'263'373'312u);  // the paper rounds to 1.2T
  // Active per token (model.h: no norms, no embedding table, the LM head): the paper says 96.6B,
  // counting the GLU gate of the dense FFNs that this schema cannot express.
  EXPECT_EQ(m.active_params_per_token(),
            attention + 32 * ffn + 32 * 2 * ffn + 32ull * 8192 * 64 + 256000ull * 8192);
  EXPECT_EQ(m.active_params_per_token(), 88'013'275'136u);
  EXPECT_EQ(m.kv_bytes_per_token().count(), 2ull * 64 * 128 * 128 * 2);  // 4 MiB a token
}

TEST(ModelDerived, Flops) {
  const ModelSpec m = preset("llama-3-8b");
  const std::uint64_t active = m.active_params_per_token();
  // Decode at context 1000: 2 x active + 4 x 32 layers x 32 heads x 128 x 1000.
  EXPECT_EQ(m.decode_flops(1000), 2 * active + 4ull * 32 * 32 * 128 * 1000);
  // Prefill of 3 tokens: 3 x 2 x active + attention over 1 + 2 + 3 = 6 (query, key) pairs.
  EXPECT_EQ(m.prefill_flops(3), 6 * active + 4ull * 32 * 32 * 128 * 6);
}

TEST(ModelPresets, EveryPresetLoadsAndNamesItsSource) {
  for (const char* name :
       {"opt-1.3b", "opt-6.7b", "opt-13b", "opt-30b", "opt-66b", "opt-175b", "llama-2-7b",
        "llama-2-13b", "llama-2-70b", "llama-3-8b", "llama-3-70b", "mixtral-8x7b", "falcon-7b",
        "phi-2", "persimmon-8b", "grok-1", "glam-64b-64e"}) {
    const ModelSpec m = preset(name);
    EXPECT_FALSE(m.source.empty()) << name;
    EXPECT_EQ(m.heads % m.kv_heads, 0u) << name;
  }
}

TEST(ModelPresets, YamlRoundTrip) {
  const TempDir dir;
  const ModelSpec m = preset("mixtral-8x7b");
  const auto path = dir.write("m.yaml", workload::model_yaml(m));
  const ModelSpec back = load_model(path.string());
  EXPECT_EQ(back.total_params(), m.total_params());
  EXPECT_EQ(back.kv_bytes_per_token(), m.kv_bytes_per_token());
  EXPECT_EQ(back.top_k, 2u);
}

TEST(ModelPresets, InconsistentHeadsAreAConfigError) {
  const TempDir dir;
  const auto path = dir.write("bad.yaml",
                              "name: x\nsource: test\nlayers: 2\nhidden: 64\nintermediate: 128\n"
                              "heads: 8\nkv_heads: 3\nvocab: 10\nmax_context: 16\n"
                              "activation: relu\nffn: mlp\n");
  try {
    (void)load_model(path.string());
    FAIL() << "expected a ConfigError";
  } catch (const config::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("heads (8) must be a multiple of kv_heads (3)"),
              std::string::npos)
        << e.what();
  }
}

TEST(HfImport, Llama3ConfigJsonGivesThePreset) {
  // The published config.json of meta-llama/Meta-Llama-3-8B (the keys that matter).
  const TempDir dir;
  const auto path = dir.write("config.json", R"({
  "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_act": "silu",
  "hidden_size": 4096, "intermediate_size": 14336, "max_position_embeddings": 8192,
  "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8,
  "rms_norm_eps": 1e-05, "rope_theta": 500000.0, "tie_word_embeddings": false,
  "torch_dtype": "bfloat16", "vocab_size": 128256})");
  const ModelSpec m = workload::import_hf_config(path.string());
  const ModelSpec p = preset("llama-3-8b");
  EXPECT_EQ(m.total_params(), p.total_params());
  EXPECT_EQ(m.kv_bytes_per_token(), p.kv_bytes_per_token());
  EXPECT_EQ(m.dtype, "bf16");
}

TEST(HfImport, OptConfigJsonGivesThePreset) {
  const TempDir dir;
  const auto path = dir.write("config.json", R"({"model_type": "opt", "activation_function":
  "relu", "hidden_size": 4096, "ffn_dim": 16384, "num_hidden_layers": 32,
  "num_attention_heads": 32, "vocab_size": 50272, "max_position_embeddings": 2048,
  "enable_bias": true, "torch_dtype": "float16", "word_embed_proj_dim": 4096})");
  const ModelSpec m = workload::import_hf_config(path.string());
  EXPECT_EQ(m.total_params(), 6'658'473'984u);
}

TEST(HfImport, UnknownModelTypeNamesTheSupportedOnes) {
  const TempDir dir;
  const auto path = dir.write("config.json", R"({"model_type": "gpt2", "hidden_size": 768,
  "vocab_size": 50257, "num_attention_heads": 12})");
  try {
    (void)workload::import_hf_config(path.string());
    FAIL() << "expected a ConfigError";
  } catch (const config::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("unsupported model_type 'gpt2'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("supported: opt, llama"), std::string::npos);
  }
}

}  // namespace
}  // namespace tiersim::test
