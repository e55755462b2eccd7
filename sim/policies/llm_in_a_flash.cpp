#include "sim/policies/llm_in_a_flash.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "sim/config/config_error.h"

namespace tiersim::policies {

using config::Type;
using kernel::OpKind;

namespace {

std::uint32_t to_u32(std::uint64_t v) {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(v, 0xffffffffULL));
}

// (m x k) . (k x n) at `eb` bytes per element; FLOPs 2 x multiply-adds (step_work.h).
ComputeWork gemm(std::uint64_t m, std::uint64_t n, std::uint64_t k, std::uint32_t eb) {
  ComputeWork w;
  if (m == 0 || n == 0 || k == 0) return w;
  w.op.kind = OpKind::kGemm;
  w.op.elem_bytes = static_cast<std::uint8_t>(eb);
  w.op.batch = 1;
  w.op.m = to_u32(m);
  w.op.n = to_u32(n);
  w.op.k = to_u32(k);
  w.flops = 2 * m * n * k;
  w.bytes = Bytes((m * k + k * n + m * n) * eb);
  return w;
}

LlmInAFlashPolicy::Variant parse_variant(const std::string& v) {
  using V = LlmInAFlashPolicy::Variant;
  if (v == "naive") return V::kNaive;
  if (v == "hybrid") return V::kHybrid;
  if (v == "predictor") return V::kPredictor;
  if (v == "window") return V::kWindow;
  return V::kBundle;  // the schema admits only these five
}

ComponentId lookup(const PolicyContext& ctx, const char* key) {
  return ctx.exec.id(ctx.config.get_string(key), ctx.config.at(key).origin());
}

}  // namespace

config::SchemaPtr LlmInAFlashPolicy::schema() {
  auto s = std::make_shared<config::Schema>(
      "llm_in_a_flash",
      "FFN neurons streamed from flash with a sparsity predictor, windowing and row-column "
      "bundling (Alizadeh et al., ACL 2024; docs/policies.md).");
  s->add("type", Type::kString, "Policy type.").require();
  s->add("variant", Type::kString,
         "naive (whole model from flash), hybrid (+ memory_fraction resident), predictor (+ only "
         "predicted FFN neurons), window (+ neuron cache over `window` tokens), bundle (+ "
         "row-column bundles): the rows of the paper's Table 2.")
      .default_to("bundle")
      .one_of({"naive", "hybrid", "predictor", "window", "bundle"});
  s->add("backend", Type::kString,
         "cpu: weights and the neuron cache in host memory, compute on a `cpu`; gpu: in "
         "device_memory, compute on a `gpu`, flash reads staged through host memory.")
      .default_to("cpu")
      .one_of({"cpu", "gpu"});
  s->add("compute", Type::kString, "Compute unit running every kernel (a `cpu` or `gpu`).")
      .default_to("cpu");
  s->add("issuer", Type::kString,
         "Component issuing the flash reads and host memory copies (the host CPU).")
      .default_to("cpu");
  s->add("host_memory", Type::kString,
         "Host DRAM: flash read buffers (and the cpu backend's "
         "weights and neuron cache).")
      .default_to("dram");
  s->add("device_memory", Type::kString,
         "gpu backend: the GPU memory holding resident weights and the neuron cache.")
      .default_to("gpu_mem");
  s->add("flash", Type::kString, "The SSD holding the model (an `ssd` component).")
      .default_to("ssd");
  s->add("memory_fraction", Type::kFloat,
         "Share of the model's size the run may keep in memory (paper Sec. 4: about half).")
      .default_to("0.5")
      .at_least(0)
      .at_most(1);
  s->add("io_threads", Type::kUInt, "Threads reading flash in parallel (paper Sec. 4: 32).")
      .default_to("32")
      .at_least(1);
  s->add("read_chunk", Type::kSize, "Request size of dense (sequential) weight reads.")
      .default_to("1 MiB");
  s->add("sparsity", Type::kFloat,
         "Share of FFN neurons inactive per token (OPT-6.7B: 0.97, paper Sec. 3.1).")
      .default_to("0.97")
      .at_least(0)
      .at_most(0.9999);
  s->add("false_negative", Type::kFloat, "Predictor: share of active neurons it misses.")
      .default_to("0.05")
      .at_least(0)
      .at_most(1);
  s->add("false_positive", Type::kFloat, "Predictor: share of inactive neurons it marks active.")
      .default_to("0.07")
      .at_least(0)
      .at_most(1);
  s->add("window", Type::kUInt, "Windowing: tokens whose neurons stay cached (paper: 5).")
      .default_to("5")
      .at_least(1);
  s->add("new_fraction", Type::kFloat,
         "Share of neurons new to the window per token (paper Fig. 6, OPT-6.7B: 0.024); "
         "calibrates the activation chain's persistence.")
      .default_to("0.024")
      .at_least(0.0001)
      .at_most(1);
  s->add("predictor_rank", Type::kUInt, "Low-rank predictor rank (paper Sec. 3.1: 128).")
      .default_to("128");
  s->add("predictor_rank_last", Type::kUInt, "Rank in the last layers (paper: 1024).")
      .default_to("1024");
  s->add("predictor_last_layers", Type::kUInt, "Layers using predictor_rank_last (paper: 4).")
      .default_to("4");
  s->add("op_overhead", Type::kTime,
         "Host framework time per compute operator, paid before each kernel the policy issues "
         "(e.g. PyTorch eager dispatch of the operator and of the small elementwise operators "
         "the model folds into it: norms, bias adds, reshapes, residuals). Calibrate per "
         "machine and software stack; 0 models hardware time only.")
      .default_to("0 ns");
  s->add("ffn_compute", Type::kString,
         "Sparse FFN compute over the cached neurons (the paper's preallocated matrix) or only "
         "the active ones.")
      .default_to("cached")
      .one_of({"cached", "active"});
  return s;
}

LlmInAFlashPolicy::LlmInAFlashPolicy(const PolicyContext& ctx)
    : model_(ctx.model),
      exec_(ctx.exec),
      origin_(ctx.config.origin()),
      variant_(parse_variant(ctx.config.get_string("variant"))),
      backend_(ctx.config.get_string("backend") == "gpu" ? Backend::kGpu : Backend::kCpu),
      compute_(lookup(ctx, "compute")),
      issuer_(lookup(ctx, "issuer")),
      host_mem_(lookup(ctx, "host_memory")),
      device_mem_(backend_ == Backend::kGpu ? lookup(ctx, "device_memory") : host_mem_),
      flash_(lookup(ctx, "flash")),
      memory_fraction_(ctx.config.get_double("memory_fraction")),
      read_chunk_(ctx.config.get_size("read_chunk")),
      window_(variant_ >= Variant::kWindow
                  ? static_cast<std::uint32_t>(ctx.config.get_uint("window"))
                  : 0),
      rank_(static_cast<std::uint32_t>(ctx.config.get_uint("predictor_rank"))),
      rank_last_(static_cast<std::uint32_t>(ctx.config.get_uint("predictor_rank_last"))),
      last_layers_(static_cast<std::uint32_t>(ctx.config.get_uint("predictor_last_layers"))),
      ffn_cached_(ctx.config.get_string("ffn_compute") == "cached"),
      op_overhead_(ctx.config.get_time("op_overhead")),
      seed_(ctx.seed),
      io_(static_cast<std::uint32_t>(ctx.config.get_uint("io_threads"))),
      decode_steps_(ctx.stats.counter("decode_steps", "Decode steps run")),
      decode_io_ps_(ctx.stats.counter(
          "decode_io_ps", "Decode: time waiting for flash (and host->device weight copies), ps")),
      decode_mem_ps_(ctx.stats.counter("decode_mem_ps",
                                       "Decode: neuron cache management (deletes, inserts), ps")),
      decode_compute_ps_(ctx.stats.counter("decode_compute_ps", "Decode: compute kernels, ps")),
      decode_flash_bytes_(ctx.stats.counter("decode_flash_bytes", "Decode: bytes read from flash")),
      flash_reads_(ctx.stats.counter("flash_reads", "Flash read requests issued")),
      neurons_loaded_(ctx.stats.counter("neurons_loaded", "Decode: FFN neurons read (x layers)")),
      neurons_deleted_(
          ctx.stats.counter("neurons_deleted", "Decode: neurons dropped from the window cache")),
      cached_neurons_(ctx.stats.counter("cached_neurons",
                                        "Decode: neurons held after each layer's update, summed")),
      resident_stat_(ctx.stats.counter("resident_bytes", "Weights kept in memory")),
      memory_needed_(ctx.stats.counter(
          "memory_needed_bytes", "Resident weights + expected neuron cache (paper Table 2 DRAM)")) {
  if (read_chunk_.count() == 0) {
    throw config::ConfigError(ctx.config.at("read_chunk").origin(), "read_chunk: must be > 0");
  }
  const std::uint32_t eb = model_.dtype_bytes;
  if (model_.experts > 1 || model_.ffn != workload::FfnForm::kMlp) {
    throw config::ConfigError(
        origin_, "llm_in_a_flash: needs a dense two-matrix (up/down) FFN model; '" + model_.name +
                     "' is MoE or gated");
  }
  row_ = Bytes(std::uint64_t{model_.hidden} * eb);
  attn_ = model_.attention_weight_bytes() + model_.bytes(model_.norm_params());
  layer_ = model_.layer_weight_bytes(0);
  embedding_ = model_.bytes(model_.embedding_params());
  const double fn = ctx.config.get_double("false_negative");
  const double fp = ctx.config.get_double("false_positive");
  const double s = ctx.config.get_double("sparsity");
  p_pred_ = (1.0 - fn) * (1.0 - s) + fp * s;
  if (sparse()) {
    const auto w = static_cast<std::uint32_t>(ctx.config.get_uint("window"));
    try {
      act_params_ = workload::ActivationParams::calibrate(1.0 - p_pred_,
                                                          ctx.config.get_double("new_fraction"), w);
    } catch (const std::invalid_argument& e) {
      throw config::ConfigError(ctx.config.at("new_fraction").origin(), e.what());
    }
    activation_ = std::make_unique<workload::ActivationModel>(
        act_params_, model_.layers, model_.intermediate, workload::derive_seed(seed_, 0x11f));
    window_cache_ =
        std::make_unique<lif::NeuronWindow>(model_.layers, model_.intermediate, window_);
    fresh_.reserve(model_.intermediate);
    reads_.reserve(2 * std::uint64_t{model_.intermediate});
  }
}

Capacity LlmInAFlashPolicy::place(const PlacementRequest& req) {
  if (req.batch > 1) {
    throw config::ConfigError(origin_, fmt::format("llm_in_a_flash: batch 1 only (the paper's "
                                                   "setting); the run asks for batch {}",
                                                   req.batch));
  }
  const std::uint64_t total = model_.total_weight_bytes().count();
  const auto budget =
      static_cast<std::uint64_t>(std::floor(static_cast<double>(total) * memory_fraction_));
  layer_resident_.assign(model_.layers, Bytes(0));
  std::uint64_t cache = 0;
  std::uint64_t predictors = 0;
  for (std::uint32_t l = 0; l < model_.layers; ++l) {
    const std::uint64_t r = l + last_layers_ >= model_.layers ? rank_last_ : rank_;
    predictors += r * (std::uint64_t{model_.hidden} + model_.intermediate) * model_.dtype_bytes;
  }
  switch (variant_) {
    case Variant::kNaive:
      resident_ = Bytes(0);
      break;
    case Variant::kHybrid: {
      // Embeddings first, then whole layers in order, then part of the next layer.
      std::uint64_t left = budget - std::min(budget, embedding_.count());
      for (std::uint32_t l = 0; l < model_.layers; ++l) {
        layer_resident_[l] = Bytes(std::min(left, layer_.count()));
        left -= layer_resident_[l].count();
      }
      resident_ = Bytes(budget);
      break;
    }
    default: {
      resident_ = Bytes(embedding_.count() + model_.layers * attn_.count() + predictors);
      // The neuron cache at its peak: the union of window + 1 tokens before the deletions.
      const double share = window_ > 0 ? act_params_.expected_aggregate(window_ + 1) : p_pred_;
      cache = static_cast<std::uint64_t>(share * model_.intermediate) * 2 * row_.count() *
              model_.layers;
      break;
    }
  }
  const std::uint64_t need = resident_.count() + cache;
  resident_stat_.value = resident_.count();
  memory_needed_.value = need;
  const Bytes cap = exec_.capacity(backend_ == Backend::kGpu ? device_mem_ : host_mem_);
  if (cap.count() > 0 && need > cap.count()) {
    throw OutOfMemory(
        fmt::format("llm_in_a_flash: {} B of resident weights and neuron cache "
                    "exceed the {} B of memory",
                    need, cap.count()));
  }
  Capacity c;
  c.max_batch = 1;
  const std::uint64_t kv = model_.kv_bytes_per_token().count();
  c.kv_tokens = cap.count() > need && kv > 0 ? (cap.count() - need) / kv : model_.max_context;
  return c;
}

std::uint64_t LlmInAFlashPolicy::layer_address(std::uint32_t layer) const {
  return embedding_.count() + std::uint64_t{layer} * layer_.count();
}

Bytes LlmInAFlashPolicy::layer_flash_bytes(std::uint32_t layer) const {
  switch (variant_) {
    case Variant::kNaive:
      return layer_;
    case Variant::kHybrid:
      return layer_ - layer_resident_[layer];
    default:
      return Bytes(0);
  }
}

void LlmInAFlashPolicy::compute(const ComputeWork& w, Clock& c) {
  if (w.op.kind == OpKind::kGeneric && w.flops == 0 && w.bytes.count() == 0) return;
  const Time done = exec_.compute(compute_, w.op, w.flops, w.bytes, c.now + op_overhead_);
  c.compute += done - c.now;
  c.now = done;
}

void LlmInAFlashPolicy::dense_read(std::uint64_t address, Bytes bytes, Clock& c) {
  if (bytes.count() == 0) return;
  io_.reset(c.now);
  const std::uint64_t chunk = read_chunk_.count();
  for (std::uint64_t off = 0; off < bytes.count(); off += chunk) {
    const Bytes size(std::min(chunk, bytes.count() - off));
    (void)io_.run(c.now, [&](Time s) {
      Time d = exec_.read(issuer_, flash_, address + off, size, s);
      if (backend_ == Backend::kGpu) d = exec_.write(issuer_, device_mem_, address + off, size, d);
      return d;
    });
    flash_reads_.add();
  }
  step_flash_ += bytes;
  c.now = io_.last();
}

void LlmInAFlashPolicy::sparse_layer(std::uint32_t layer, Clock& c) {
  const std::uint32_t eb = model_.dtype_bytes;
  const std::uint64_t hidden = model_.hidden;
  const std::uint64_t dff = model_.intermediate;
  // 1. The predictor's two low-rank GEMVs on the layer's input (Sec. 3.1).
  const std::uint64_t r = layer + last_layers_ >= model_.layers ? rank_last_ : rank_;
  if (r > 0) {
    compute(gemm(1, r, hidden, eb), c);
    compute(gemm(1, dff, r, eb), c);
  }
  // 2. Which neurons the cache lacks, and their reads.
  const std::vector<std::uint32_t>& active = activation_->active(layer);
  fresh_.clear();
  const lif::NeuronWindow::Update u = window_cache_->advance(layer, active, fresh_);
  const std::uint64_t base = layer_address(layer) + attn_.count();
  const std::uint64_t rb = row_.count();
  // The reads, split into io_threads contiguous slices of the list (each reader thread takes
  // one slice, Sec. 4), issued round-robin over the slices: up columns then down rows unbundled,
  // one bundle per neuron bundled.
  const bool bundled = variant_ == Variant::kBundle;
  const Bytes size = bundled ? Bytes(2 * rb) : row_;
  reads_.clear();
  for (const std::uint32_t n : fresh_) reads_.push_back(base + n * (bundled ? 2 * rb : rb));
  if (!bundled) {
    for (const std::uint32_t n : fresh_) reads_.push_back(base + (dff + n) * rb);
  }
  io_.reset(c.now);
  const std::uint64_t total = reads_.size();
  const std::uint64_t slices = std::min<std::uint64_t>(io_.threads(), total);
  const std::uint64_t per = slices == 0 ? 0 : (total + slices - 1) / slices;
  for (std::uint64_t j = 0; j < per; ++j) {
    for (std::uint64_t i = 0; i < slices; ++i) {
      const std::uint64_t k = i * per + j;
      if (k < total) (void)io_.read(exec_, issuer_, flash_, reads_[k], size, c.now);
    }
  }
  flash_reads_.add(total);
  c.now = io_.last();
  step_flash_ += Bytes(u.inserted * 2 * rb);
  // 3. Memory management (Sec. 3.3): append the fresh rows, overwrite deleted rows with the last.
  const Time m0 = c.now;
  Time t = c.now;
  const Bytes ins(u.inserted * 2 * rb);
  const Bytes del(u.deleted * 2 * rb);
  // Host addresses: the layer's cache matrix (dff x 2 rows) and, past all layers, the read buffer.
  const std::uint64_t cache_base = std::uint64_t{layer} * dff * 2 * rb;
  const std::uint64_t buffer = std::uint64_t{model_.layers} * dff * 2 * rb;
  if (backend_ == Backend::kCpu) {
    if (window_ > 0 && ins.count() > 0) {
      t = exec_.read(issuer_, host_mem_, buffer, ins, t);
      t = exec_.write(issuer_, host_mem_, cache_base + (u.cached - u.inserted) * 2 * rb, ins, t);
    }
    if (del.count() > 0) {
      t = exec_.read(issuer_, host_mem_, cache_base + u.cached * 2 * rb, del, t);
      t = exec_.write(issuer_, host_mem_, cache_base, del, t);
    }
  } else {
    if (ins.count() > 0) t = exec_.write(issuer_, device_mem_, cache_base, ins, t);
    if (del.count() > 0) {
      kernel::OpShape op;
      op.kind = OpKind::kElementwise;
      op.elem_bytes = static_cast<std::uint8_t>(eb);
      op.elements = del.count() / eb;
      t = exec_.compute(compute_, op, 0, Bytes(2 * del.count()), t + op_overhead_);
    }
  }
  c.mem += t - m0;
  c.now = t;
  // 4. The FFN over the cached (or only the active) neurons.
  const std::uint64_t n = ffn_cached_ ? u.cached : active.size();
  compute(gemm(1, n, hidden, eb), c);
  compute(gemm(1, hidden, n, eb), c);
  neurons_loaded_.add(u.inserted);
  neurons_deleted_.add(u.deleted);
  cached_neurons_.add(u.cached);
}

StepResult LlmInAFlashPolicy::run_step(const scheduler::Step& step, const StepWork& work,
                                       Time start) {
  Clock c{start, Time::zero(), Time::zero()};
  step_flash_ = Bytes(0);
  const bool prefill = step.has_prefill();
  const bool sparse_decode = sparse() && !prefill;
  if (sparse_decode) {
    if (!first_token_) activation_->step();
    first_token_ = false;
  }
  for (std::uint32_t l = 0; l < model_.layers && l < work.layers.size(); ++l) {
    const LayerWork& lw = work.layers[l];
    if (!sparse_decode) {
      // Dense: the layer's non-resident weights (prefill of a sparse variant: its whole FFN).
      const Bytes fb = sparse() ? layer_ - attn_ : layer_flash_bytes(l);
      const std::uint64_t addr = sparse()
                                     ? layer_address(l) + attn_.count()
                                     : layer_address(l) + (layer_ - layer_flash_bytes(l)).count();
      dense_read(addr, fb, c);
    }
    compute(lw.qkv, c);
    compute(lw.prefill_attention, c);
    compute(lw.decode_attention, c);
    compute(lw.out_proj, c);
    if (sparse_decode) {
      sparse_layer(l, c);
    } else {
      // Dense FFN over every neuron (whatever sparsity the driver's StepWork assumed).
      compute(gemm(step.tokens(), model_.intermediate, model_.hidden, model_.dtype_bytes), c);
      compute(gemm(step.tokens(), model_.hidden, model_.intermediate, model_.dtype_bytes), c);
    }
  }
  // Embeddings / LM head: resident except in naive (all) and hybrid (beyond the budget).
  if (variant_ == Variant::kNaive) {
    dense_read(0, embedding_, c);
  } else if (variant_ == Variant::kHybrid && resident_ < embedding_) {
    dense_read(resident_.count(), embedding_ - resident_, c);
  }
  compute(work.lm_head, c);
  if (sparse() && prefill) {
    // The last `window` prompt tokens' neurons stay cached (their rows were all read above).
    for (std::uint32_t w = 0; w < window_; ++w) {
      if (!first_token_) activation_->step();
      first_token_ = false;
      for (std::uint32_t l = 0; l < model_.layers; ++l) {
        fresh_.clear();
        (void)window_cache_->advance(l, activation_->active(l), fresh_);
      }
      window_cache_->next_token();
    }
  }
  if (sparse_decode) window_cache_->next_token();

  StepResult r;
  r.end = c.now;
  r.breakdown.compute = c.compute;
  r.breakdown.other = c.mem;
  r.breakdown.weight_io = (c.now - start) - c.compute - c.mem;
  if (!prefill) {
    decode_steps_.add();
    decode_io_ps_.add(static_cast<std::uint64_t>(r.breakdown.weight_io.ps()));
    decode_mem_ps_.add(static_cast<std::uint64_t>(c.mem.ps()));
    decode_compute_ps_.add(static_cast<std::uint64_t>(c.compute.ps()));
    decode_flash_bytes_.add(step_flash_.count());
  }
  return r;
}

TIERSIM_REGISTER_POLICY("llm_in_a_flash", LlmInAFlashPolicy,
                        "LLM in a flash (Alizadeh et al., ACL 2024): FFN neurons from flash with "
                        "a sparsity predictor, windowing and row-column bundling; cpu or gpu.");

}  // namespace tiersim::policies
