#include "sim/workload/model_io.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/config/config_error.h"
#include "sim/config/loader.h"

namespace tiersim::workload {

using config::Type;

config::SchemaPtr model_schema() {
  auto s = std::make_shared<config::Schema>("model", "A transformer model's shape.");
  s->add("name", Type::kString, "Model name, e.g. OPT-6.7B.").require();
  s->add("source", Type::kString, "Where the numbers come from (model card, config.json, paper).")
      .require();
  s->add("layers", Type::kUInt, "Transformer blocks.").require().at_least(1);
  s->add("hidden", Type::kUInt, "Model (embedding) width.").require().at_least(1);
  s->add("intermediate", Type::kUInt, "FFN width (per expert for MoE).").require().at_least(1);
  s->add("heads", Type::kUInt, "Attention (query) heads.").require().at_least(1);
  s->add("kv_heads", Type::kUInt, "Key/value heads (GQA/MQA); 0 means equal to heads.")
      .default_to("0");
  s->add("head_dim", Type::kUInt, "Per-head width; 0 means hidden / heads.").default_to("0");
  s->add("vocab", Type::kUInt, "Vocabulary size.").require().at_least(1);
  s->add("max_context", Type::kUInt, "Longest context the model supports, in tokens.")
      .require()
      .at_least(1);
  s->add("experts", Type::kUInt, "FFN experts per MoE layer; 1 for a dense model.")
      .default_to("1")
      .at_least(1);
  s->add("top_k", Type::kUInt, "Experts each token is routed to.").default_to("1").at_least(1);
  s->add("moe_every", Type::kUInt, "Every n-th layer is MoE (layer l when (l+1) % n == 0).")
      .default_to("1")
      .at_least(1);
  s->add("activation", Type::kString, "FFN activation.")
      .require()
      .one_of({"relu", "relu2", "gelu", "silu"});
  s->add("ffn", Type::kString, "FFN form: mlp (up, down) or gated (gate, up, down; SwiGLU).")
      .require()
      .one_of({"mlp", "gated"});
  s->add("dtype", Type::kString, "Weight and KV element type.")
      .default_to("fp16")
      .one_of({"fp32", "fp16", "bf16", "fp8", "int8"});
  s->add("bias", Type::kBool, "Projections and FFN matrices have biases.").default_to("false");
  s->add("norm", Type::kString, "Normalisation layers.")
      .default_to("layernorm")
      .one_of({"layernorm", "rmsnorm"});
  s->add("norms_per_layer", Type::kUInt, "Norm layers per block (1 for parallel attention).")
      .default_to("2");
  s->add("learned_positions", Type::kUInt, "Rows of a learned position table (0: rotary/none).")
      .default_to("0");
  s->add("tied_embeddings", Type::kBool, "The LM head shares the token embedding.")
      .default_to("false");
  s->add("lm_head_bias", Type::kBool, "The LM head has a bias.").default_to("false");
  return s;
}

namespace {

std::uint32_t u32(const config::Node& n, std::string_view key) {
  const config::Node& v = n.at(key);
  const std::uint64_t x = v.as_uint();
  if (x > 0xFFFFFFFFull) throw config::ConfigError(v.origin(), fmt::format("{} is too large", key));
  return static_cast<std::uint32_t>(x);
}

Activation activation_of(const std::string& s) {
  if (s == "relu") return Activation::kRelu;
  if (s == "relu2") return Activation::kRelu2;
  if (s == "gelu") return Activation::kGelu;
  return Activation::kSilu;
}

void check_consistency(const ModelSpec& m, const config::Node& node) {
  auto fail = [&](const std::string& what) { throw config::ConfigError(node.origin(), what); };
  if (m.heads % m.kv_heads != 0) {
    fail(fmt::format("model {}: heads ({}) must be a multiple of kv_heads ({})", m.name, m.heads,
                     m.kv_heads));
  }
  if (m.top_k > m.experts) {
    fail(fmt::format("model {}: top_k ({}) exceeds experts ({})", m.name, m.top_k, m.experts));
  }
}

}  // namespace

ModelSpec model_from_node(config::Node& node) {
  config::validate(node, *model_schema());
  ModelSpec m;
  m.name = node.get_string("name");
  m.source = node.get_string("source");
  m.layers = u32(node, "layers");
  m.hidden = u32(node, "hidden");
  m.intermediate = u32(node, "intermediate");
  m.heads = u32(node, "heads");
  m.kv_heads = u32(node, "kv_heads");
  if (m.kv_heads == 0) m.kv_heads = m.heads;
  m.head_dim = u32(node, "head_dim");
  if (m.head_dim == 0) m.head_dim = m.hidden / m.heads;
  m.vocab = u32(node, "vocab");
  m.max_context = u32(node, "max_context");
  m.experts = u32(node, "experts");
  m.top_k = u32(node, "top_k");
  m.moe_every = u32(node, "moe_every");
  m.activation = activation_of(node.get_string("activation"));
  m.ffn = node.get_string("ffn") == "gated" ? FfnForm::kGated : FfnForm::kMlp;
  m.dtype = node.get_string("dtype");
  m.dtype_bytes = dtype_size(m.dtype);
  m.bias = node.get_bool("bias");
  m.norm = node.get_string("norm") == "rmsnorm" ? NormKind::kRmsNorm : NormKind::kLayerNorm;
  m.norms_per_layer = u32(node, "norms_per_layer");
  m.learned_positions = u32(node, "learned_positions");
  m.tied_embeddings = node.get_bool("tied_embeddings");
  m.lm_head_bias = node.get_bool("lm_head_bias");
  check_consistency(m, node);
  return m;
}

ModelSpec load_model(const std::string& path) {
  config::Node node = config::load_file(path);
  return model_from_node(node);
}

namespace {

// Typed reads of a config.json map with defaults for absent or null keys.
class HfConfig {
 public:
  explicit HfConfig(const config::Node& root) : root_(root) {}
  [[nodiscard]] bool has(std::string_view key) const {
    const config::Node* n = root_.find(key);
    return n != nullptr && !n->is_null();
  }
  [[nodiscard]] std::uint64_t uint(std::string_view key) const { return root_.get_uint(key); }
  [[nodiscard]] std::uint64_t uint_or(std::string_view key, std::uint64_t fallback) const {
    return has(key) ? uint(key) : fallback;
  }
  [[nodiscard]] bool flag_or(std::string_view key, bool fallback) const {
    return has(key) ? root_.get_bool(key) : fallback;
  }
  [[nodiscard]] std::string str_or(std::string_view key, std::string fallback) const {
    return has(key) ? root_.get_string(key) : fallback;
  }
  [[nodiscard]] const config::Node& root() const { return root_; }

 private:
  const config::Node& root_;
};

std::string dtype_of(const HfConfig& c) {
  const std::string t = c.str_or("torch_dtype", "float16");
  if (t == "bfloat16") return "bf16";
  if (t == "float32") return "fp32";
  return "fp16";
}

std::string scalar(std::uint64_t v) {
  return std::to_string(v);
}

void put(config::Node& n, const std::string& key, const std::string& value) {
  n.set(key, config::Node::scalar(value, n.origin()));
}

}  // namespace

ModelSpec import_hf_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw config::ConfigError(config::Origin{path, 0, 0}, "cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  const config::Node root = config::parse_yaml(text.str(), path);
  const HfConfig c(root);
  const std::string type = c.str_or("model_type", "");
  config::Node m = config::Node::map(root.origin());
  put(m, "name", c.str_or("_name_or_path", type));
  put(m, "source", "Hugging Face config.json: " + path);
  put(m, "layers", scalar(c.uint_or("num_hidden_layers", c.uint_or("n_layer", 0))));
  put(m, "hidden", scalar(c.uint("hidden_size")));
  const std::uint64_t heads = c.uint_or("num_attention_heads", c.uint_or("n_head", 0));
  put(m, "heads", scalar(heads));
  put(m, "vocab", scalar(c.uint("vocab_size")));
  put(m, "dtype", dtype_of(c));
  if (type == "opt") {
    put(m, "intermediate", scalar(c.uint("ffn_dim")));
    put(m, "max_context", scalar(c.uint("max_position_embeddings")));
    put(m, "activation", c.str_or("activation_function", "relu") == "relu" ? "relu" : "gelu");
    put(m, "ffn", "mlp");
    put(m, "bias", c.flag_or("enable_bias", true) ? "true" : "false");
    // OPT's learned position table has 2 extra rows (the offset in OPTLearnedPositionalEmbedding).
    put(m, "learned_positions", scalar(c.uint("max_position_embeddings") + 2));
    put(m, "tied_embeddings", c.flag_or("tie_word_embeddings", true) ? "true" : "false");
  } else if (type == "llama" || type == "mistral" || type == "mixtral") {
    put(m, "intermediate", scalar(c.uint("intermediate_size")));
    put(m, "kv_heads", scalar(c.uint_or("num_key_value_heads", heads)));
    put(m, "head_dim", scalar(c.uint_or("head_dim", 0)));
    put(m, "max_context", scalar(c.uint("max_position_embeddings")));
    put(m, "activation", "silu");
    put(m, "ffn", "gated");
    put(m, "norm", "rmsnorm");
    put(m, "tied_embeddings", c.flag_or("tie_word_embeddings", false) ? "true" : "false");
    put(m, "experts", scalar(c.uint_or("num_local_experts", 1)));
    put(m, "top_k", scalar(c.uint_or("num_experts_per_tok", 1)));
  } else if (type == "falcon" || type == "RefinedWebModel") {
    const std::uint64_t hidden = c.uint("hidden_size");
    put(m, "intermediate", scalar(c.uint_or("ffn_hidden_size", 4 * hidden)));
    const bool mqa = c.flag_or("multi_query", true);
    put(m, "kv_heads", scalar(c.uint_or("num_kv_heads", mqa ? 1 : heads)));
    put(m, "max_context", scalar(c.uint_or("max_position_embeddings", 2048)));
    put(m, "activation", "gelu");
    put(m, "ffn", "mlp");
    put(m, "bias", c.flag_or("bias", false) ? "true" : "false");
    put(m, "norms_per_layer", c.flag_or("parallel_attn", true) ? "1" : "2");
    put(m, "tied_embeddings", "true");
  } else if (type == "phi" || type == "persimmon") {
    put(m, "intermediate", scalar(c.uint("intermediate_size")));
    put(m, "kv_heads", scalar(c.uint_or("num_key_value_heads", heads)));
    put(m, "max_context", scalar(c.uint("max_position_embeddings")));
    put(m, "activation", c.str_or("hidden_act", "gelu") == "relu2" ? "relu2" : "gelu");
    put(m, "ffn", "mlp");
    put(m, "bias", "true");
    put(m, "norms_per_layer", type == "phi" ? "1" : "2");
    put(m, "tied_embeddings", c.flag_or("tie_word_embeddings", false) ? "true" : "false");
    put(m, "lm_head_bias", type == "phi" ? "true" : "false");
  } else {
    throw config::ConfigError(root.origin(),
                              fmt::format("{}: unsupported model_type '{}'", path, type),
                              "supported: opt, llama, mistral, mixtral, falcon, phi, persimmon");
  }
  return model_from_node(m);
}

std::string model_yaml(const ModelSpec& m) {
  std::string out;
  auto line = [&](std::string_view key, const auto& value) {
    out += fmt::format("{}: {}\n", key, value);
  };
  line("name", fmt::format("\"{}\"", m.name));
  line("source", fmt::format("\"{}\"", m.source));
  line("layers", m.layers);
  line("hidden", m.hidden);
  line("intermediate", m.intermediate);
  line("heads", m.heads);
  line("kv_heads", m.kv_heads);
  line("head_dim", m.head_dim);
  line("vocab", m.vocab);
  line("max_context", m.max_context);
  line("experts", m.experts);
  line("top_k", m.top_k);
  line("moe_every", m.moe_every);
  line("activation", activation_name(m.activation));
  line("ffn", ffn_form_name(m.ffn));
  line("dtype", m.dtype);
  line("bias", m.bias);
  line("norm", norm_name(m.norm));
  line("norms_per_layer", m.norms_per_layer);
  line("learned_positions", m.learned_positions);
  line("tied_embeddings", m.tied_embeddings);
  line("lm_head_bias", m.lm_head_bias);
  return out;
}

}  // namespace tiersim::workload
