#include "sim/policies/cxl_tier.h"

#include <algorithm>

#include <fmt/format.h>

namespace tiersim::policies {

using config::Type;
using cxl_tier::Move;
using cxl_tier::Tier;

namespace {

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) {
  return (a + b - 1) / b;
}

}  // namespace

config::SchemaPtr CxlTierPolicy::schema() {
  auto s = std::make_shared<config::Schema>(
      "cxl_tier", "Paged KV in GPU HBM spilling to CXL memory and back (docs/policies.md).");
  s->add("type", Type::kString, "Policy type.").require();
  s->add("gpu", Type::kString, "Compute unit (a `gpu` component) running every kernel.")
      .default_to("gpu");
  s->add("gpu_memory", Type::kString,
         "The GPU's HBM (a memory component): weights and the first KV tier.")
      .default_to("hbm");
  s->add("cxl_memory", Type::kString,
         "The CXL expander's memory (behind a cxl_device): the second KV tier.")
      .default_to("cxl_mem");
  s->add("block_tokens", Type::kUInt, "Tokens per KV block (vLLM: 16).")
      .default_to("16")
      .at_least(1);
  s->add("eviction", Type::kString,
         "Which HBM block spills to CXL when HBM is full: lru (least recently used) or fifo.")
      .default_to("lru")
      .one_of({"lru", "fifo"});
  s->add("access", Type::kString,
         "CXL-resident blocks a step needs: promote (copy back to HBM over a victim when one "
         "exists) or direct (the GPU reads them in place over the link).")
      .default_to("promote")
      .one_of({"promote", "direct"});
  s->add("reserve", Type::kSize, "HBM kept free for activations and workspace.").default_to("0 B");
  s->add("hbm_kv_capacity", Type::kSize,
         "KV bytes in HBM (0: the gpu_memory capacity minus weights minus reserve).")
      .default_to("0 B");
  s->add("cxl_kv_capacity", Type::kSize, "KV bytes in CXL memory (0: its whole capacity).")
      .default_to("0 B");
  return s;
}

CxlTierPolicy::CxlTierPolicy(const PolicyContext& ctx)
    : model_(ctx.model),
      exec_(ctx.exec),
      gpu_(ctx.exec.id(ctx.config.get_string("gpu"), ctx.config.at("gpu").origin())),
      hbm_(ctx.exec.id(ctx.config.get_string("gpu_memory"), ctx.config.at("gpu_memory").origin())),
      cxl_(ctx.exec.id(ctx.config.get_string("cxl_memory"), ctx.config.at("cxl_memory").origin())),
      block_tokens_(static_cast<std::uint32_t>(ctx.config.get_uint("block_tokens"))),
      eviction_(ctx.config.get_string("eviction") == "fifo" ? cxl_tier::Eviction::kFifo
                                                            : cxl_tier::Eviction::kLru),
      promote_(ctx.config.get_string("access") == "promote"),
      reserve_(ctx.config.get_size("reserve")),
      cxl_limit_(ctx.config.get_size("cxl_kv_capacity")),
      block_layer_bytes_(
          Bytes(std::uint64_t{block_tokens_} * model_.kv_bytes_per_token_per_layer().count())),
      evicted_(ctx.stats.counter("blocks_evicted", "KV blocks moved HBM -> CXL")),
      promoted_(ctx.stats.counter("blocks_promoted", "KV blocks moved CXL -> HBM")),
      direct_tokens_(ctx.stats.counter(
          "kv_tokens_read_cxl", "Cached tokens attention read in place from CXL (x layers)")),
      hbm_tokens_(ctx.stats.counter("kv_tokens_read_hbm",
                                    "Cached tokens attention read from HBM (x layers)")),
      lost_tokens_(ctx.stats.counter(
          "kv_lost_tokens", "KV tokens of live sequences reclaimed as finished (model error)")),
      released_blocks_(
          ctx.stats.counter("blocks_released", "KV blocks freed when their request finished")) {
  block_bytes_ = Bytes(block_layer_bytes_.count() * model_.layers);
  hbm_kv_ = ctx.config.get_size("hbm_kv_capacity");
}

Capacity CxlTierPolicy::place(const PlacementRequest& req) {
  const Bytes weights = model_.total_weight_bytes();
  const Bytes hbm = exec_.capacity(hbm_);
  if (weights + reserve_ > hbm) {
    throw OutOfMemory(
        fmt::format("cxl_tier: weights ({} B) + reserve ({} B) exceed the GPU "
                    "memory ({} B)",
                    weights.count(), reserve_.count(), hbm.count()));
  }
  const Bytes hbm_kv =
      hbm_kv_.count() != 0 ? std::min(hbm_kv_, hbm - weights - reserve_) : hbm - weights - reserve_;
  const Bytes cxl = cxl_limit_.count() != 0 ? cxl_limit_ : exec_.capacity(cxl_);
  weights_ = weights;
  const auto fast = static_cast<std::uint32_t>(hbm_kv.count() / block_bytes_.count());
  const auto slow = static_cast<std::uint32_t>(cxl.count() / block_bytes_.count());
  pool_ = std::make_unique<cxl_tier::BlockPool>(fast, slow, eviction_);
  const std::uint64_t slots = std::uint64_t{fast} + slow;
  const std::uint64_t usable = slots > req.batch ? slots - req.batch : 0;
  if (usable == 0) {
    throw OutOfMemory(
        fmt::format("cxl_tier: {} KV blocks over HBM and CXL cannot hold a batch "
                    "of {}",
                    slots, req.batch));
  }
  return Capacity{usable * block_tokens_, 0};
}

std::uint64_t CxlTierPolicy::addr(Tier t, std::uint32_t slot, std::uint32_t layer) const {
  const std::uint64_t base = t == Tier::kFast ? weights_.count() : 0;
  return base + std::uint64_t{slot} * block_bytes_.count() +
         std::uint64_t{layer} * block_layer_bytes_.count();
}

Time CxlTierPolicy::compute(const ComputeWork& w, Time at) {
  if (w.op.kind == kernel::OpKind::kGeneric && w.flops == 0) return at;
  return exec_.compute(gpu_, w.op, w.flops, w.bytes, at);
}

Time CxlTierPolicy::issue_moves(const LayerMoves& m, std::uint32_t layer, Time at) {
  Time done = at;
  Time victims_read = at;
  if (m.evict_blocks != 0) {
    const Bytes b(m.evict_blocks * block_layer_bytes_.count());
    victims_read = exec_.read(gpu_, hbm_, m.evict_from + layer * block_layer_bytes_.count(), b, at);
    done = max(done, exec_.write(gpu_, cxl_, m.evict_to + layer * block_layer_bytes_.count(), b,
                                 victims_read));
  }
  if (m.promote_blocks != 0) {
    const Bytes b(m.promote_blocks * block_layer_bytes_.count());
    const Time r =
        exec_.read(gpu_, cxl_, m.promote_from + layer * block_layer_bytes_.count(), b, at);
    done = max(done, exec_.write(gpu_, hbm_, m.promote_to + layer * block_layer_bytes_.count(), b,
                                 max(r, victims_read)));
  }
  return done;
}

StepResult CxlTierPolicy::run_step(const scheduler::Step& step, const StepWork& work, Time start) {
  if (!pool_) throw std::logic_error("cxl_tier: run_step before place");
  pool_->begin_step();
  for (const auto& e : step.entries) pool_->touch(e.request);

  // 1. Blocks for the step's new tokens (evictions may follow), then promotions.
  moves_.clear();
  for (const auto& e : step.entries) {
    const std::uint64_t total = e.context + e.tokens;
    const std::uint64_t have = pool_->blocks_of(e.request).size();
    if (have * block_tokens_ < e.context) lost_tokens_.add(e.context - have * block_tokens_);
    const std::uint64_t need = ceil_div(total, block_tokens_);
    if (need > have && !pool_->grow(e.request, static_cast<std::uint32_t>(need - have), moves_)) {
      throw OutOfMemory("cxl_tier: the running sequences' KV exceeds HBM + CXL");
    }
  }
  if (promote_) {
    for (const auto& e : step.entries) {
      for (const auto id : pool_->blocks_of(e.request)) {
        if (pool_->block(id).tier == Tier::kSlow) (void)pool_->promote(id, moves_);
      }
    }
  }
  LayerMoves lm;
  for (const Move& m : moves_) {
    if (m.to == Tier::kSlow) {
      if (lm.evict_blocks++ == 0) {
        lm.evict_from = addr(Tier::kFast, m.from_slot, 0);
        lm.evict_to = addr(Tier::kSlow, m.to_slot, 0);
      }
    } else if (lm.promote_blocks++ == 0) {
      lm.promote_from = addr(Tier::kSlow, m.from_slot, 0);
      lm.promote_to = addr(Tier::kFast, m.to_slot, 0);
    }
  }
  evicted_.add(lm.evict_blocks);
  promoted_.add(lm.promote_blocks);

  // Where the step's KV is read from and where its new tokens land.
  std::uint64_t cxl_read = 0, hbm_read = 0, cxl_new = 0;
  std::uint64_t cxl_first = 0;
  bool any_cxl = false;
  for (const auto& e : step.entries) {
    const auto& blocks = pool_->blocks_of(e.request);
    const std::uint64_t total = e.context + e.tokens;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      const std::uint64_t lo = i * block_tokens_;
      if (lo >= total) break;
      const std::uint64_t filled = std::min<std::uint64_t>(block_tokens_, total - lo);
      const auto& b = pool_->block(blocks[i]);
      if (b.tier == Tier::kSlow) {
        if (!any_cxl) cxl_first = addr(Tier::kSlow, b.slot, 0);
        any_cxl = true;
        cxl_read += filled;
        const std::uint64_t new_lo = std::max<std::uint64_t>(lo, e.context);
        if (lo + filled > new_lo) cxl_new += lo + filled - new_lo;
      } else {
        hbm_read += filled;
      }
    }
  }
  direct_tokens_.add(cxl_read * model_.layers);
  hbm_tokens_.add(hbm_read * model_.layers);
  const Bytes kv_tok = model_.kv_bytes_per_token_per_layer();

  // 2. Layers in order; moves one layer ahead of compute.
  Time t = start;
  Time kv_wait = Time::zero();
  Time ready = work.layers.empty() ? t : issue_moves(lm, 0, t);
  for (std::size_t l = 0; l < work.layers.size(); ++l) {
    const LayerWork& lw = work.layers[l];
    const auto layer = static_cast<std::uint32_t>(l);
    const Time qkv_end = compute(lw.qkv, t);
    const Time next_ready = l + 1 < work.layers.size() ? issue_moves(lm, layer + 1, t) : t;
    Time direct_end = t;
    if (cxl_read != 0) {
      direct_end = exec_.read(gpu_, cxl_, cxl_first + layer * block_layer_bytes_.count(),
                              Bytes(cxl_read * kv_tok.count()), t);
    }
    if (cxl_new != 0) {
      direct_end =
          max(direct_end, exec_.write(gpu_, cxl_, cxl_first + layer * block_layer_bytes_.count(),
                                      Bytes(cxl_new * kv_tok.count()), qkv_end));
    }
    const Time attn_start = max(qkv_end, ready);
    kv_wait += attn_start - qkv_end;
    Time a = compute(lw.prefill_attention, attn_start);
    a = compute(lw.decode_attention, a);
    if (direct_end > a) {
      kv_wait += direct_end - a;
      a = direct_end;
    }
    a = compute(lw.out_proj, a);
    a = compute(lw.ffn_up, a);
    t = compute(lw.ffn_down, a);
    ready = next_ready;
  }
  const Time end = compute(work.lm_head, t);
  StepResult r;
  r.end = end;
  r.breakdown.kv_io = kv_wait;
  r.breakdown.compute = end - start - kv_wait;
  return r;
}

Time CxlTierPolicy::preempt(const scheduler::Preemption& p, Time at) {
  if (!pool_) return at;
  if (!p.swap) {
    pool_->drop(p.request);
    return at;
  }
  moves_.clear();
  pool_->swap_out(p.request, moves_);
  if (moves_.empty()) return at;
  evicted_.add(moves_.size());
  const Bytes b(moves_.size() * block_bytes_.count());
  const Time r = exec_.read(gpu_, hbm_, addr(Tier::kFast, moves_.front().from_slot, 0), b, at);
  return exec_.write(gpu_, cxl_, addr(Tier::kSlow, moves_.front().to_slot, 0), b, r);
}

void CxlTierPolicy::release(std::uint64_t request, Time at) {
  (void)at;
  if (!pool_) return;
  released_blocks_.add(pool_->blocks_of(request).size());
  pool_->drop(request);
}

TIERSIM_REGISTER_POLICY("cxl_tier", CxlTierPolicy,
                        "Paged KV in GPU HBM spilling to CXL memory (LRU/FIFO eviction; promote "
                        "back or read in place).");

}  // namespace tiersim::policies
