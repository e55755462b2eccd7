// `cxl_tier`: vLLM-style paged KV cache in GPU HBM that spills to CXL memory and comes back
// (docs/policies.md, "cxl_tier").
//
// Follows vLLM's PagedAttention (Kwon et al., SOSP 2023): KV in 16-token blocks under block
// tables (Sec. 4.2-4.3) and swapping blocks out to a second memory and back (Sec. 4.5), with the
// second tier a CXL Type-3 expander the GPU reaches by DMA or by direct loads over PCIe/CXL, as in
// Beluga (arXiv 2511.20172, Sec. 1 and 4: GPUs reading a CXL memory pool with load/store).
//
// Placement (place()): every weight in HBM (`gpu_memory`); the rest of HBM minus `reserve` holds
// KV blocks of `block_tokens` tokens (all layers, K and V); the CXL memory (`cxl_memory`, its
// capacity or `cxl_kv_capacity`) holds spilled blocks. OutOfMemory when the weights do not fit.
// Capacity::kv_tokens = (HBM slots + CXL slots - batch) x block_tokens (one partially filled
// block per sequence).
//
// Each step (run_step()):
//  1. Blocks: the step's sequences are pinned; their new tokens get blocks (cxl_tier_pool.h):
//     into free HBM, else the eviction victim (LRU or FIFO, `eviction`) moves HBM -> CXL, else
//     into CXL. With `access: promote`, every CXL block the step reads comes back to HBM over a
//     victim when one exists (not pinned by this step); the rest are read in place. With
//     `access: direct`, CXL blocks are always read in place by the GPU (zero-copy over the link).
//  2. Per layer, in order: the moves of that layer's part of each block (evictions: HBM read +
//     CXL write; promotions: CXL read + HBM write after the victims' reads), issued one layer
//     ahead of compute (layer l + 1's moves start when layer l's compute is issued), and the
//     direct CXL reads of the layer's spilled KV, issued with the layer's QKV projection. Compute
//     on `gpu` in order: QKV projection, prefill attention, decode attention (starts when the
//     layer's moves are done; ends no earlier than the layer's direct reads), out projection,
//     FFN. Then the LM head. New tokens' KV landing in CXL blocks is written over the link.
//  3. Breakdown: kv_io is the time attention waited for moves plus the time direct reads ran past
//     the attention kernel; compute is the rest.
//
// Simplifications (documented in docs/policies.md):
//  - The moves of one layer (and the direct reads of one layer) are coalesced into one transaction
//    per direction and tier (the link and memory models time a request of any size at once);
//    their address is the first block's.
//  - The attention kernel is timed on its full shape at HBM speed, and the direct reads of the
//    CXL-resident part run beside it; the kernel ends at the later of the two.
//  - The GPU's kernels read HBM inside the `gpu` model (its own HBM roofline); the `gpu_memory`
//    component sees only the moves, so kernels and moves do not contend for HBM (the CXL link,
//    ~100x slower, is the bottleneck of every move).
//  - Finished requests' blocks are freed when the serving loop reports them (release(), no
//    moves: dead KV is never evicted to CXL). Requests the policy never hears finish of (a
//    caller driving run_step() without release()) are reclaimed when a tier is full
//    (cxl_tier_pool.h); `kv_lost_tokens` counts live KV lost that way (0 in every test).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/policies/cxl_tier_pool.h"
#include "sim/policies/policy.h"

namespace tiersim::policies {

class CxlTierPolicy final : public Policy {
 public:
  explicit CxlTierPolicy(const PolicyContext& ctx);
  static config::SchemaPtr schema();

  [[nodiscard]] Capacity place(const PlacementRequest& req) override;
  [[nodiscard]] StepResult run_step(const scheduler::Step& step, const StepWork& work,
                                    Time start) override;
  [[nodiscard]] Time preempt(const scheduler::Preemption& p, Time at) override;
  void release(std::uint64_t request, Time at) override;

  [[nodiscard]] const cxl_tier::BlockPool& pool() const { return *pool_; }

 private:
  struct LayerMoves {
    std::uint64_t evict_blocks = 0;              // HBM -> CXL
    std::uint64_t promote_blocks = 0;            // CXL -> HBM
    std::uint64_t evict_from = 0, evict_to = 0;  // layer-0 addresses of the first move
    std::uint64_t promote_from = 0, promote_to = 0;
  };
  [[nodiscard]] Time issue_moves(const LayerMoves& m, std::uint32_t layer, Time at);
  [[nodiscard]] std::uint64_t addr(cxl_tier::Tier t, std::uint32_t slot, std::uint32_t layer) const;
  [[nodiscard]] Time compute(const ComputeWork& w, Time at);

  const workload::ModelSpec& model_;
  Executor& exec_;
  ComponentId gpu_, hbm_, cxl_;
  std::uint32_t block_tokens_;
  cxl_tier::Eviction eviction_;
  bool promote_;
  Bytes reserve_, cxl_limit_, hbm_kv_, weights_;
  Bytes block_bytes_, block_layer_bytes_;
  std::unique_ptr<cxl_tier::BlockPool> pool_;
  std::vector<cxl_tier::Move> moves_;
  stats::Counter& evicted_;
  stats::Counter& promoted_;
  stats::Counter& direct_tokens_;
  stats::Counter& hbm_tokens_;
  stats::Counter& lost_tokens_;
  stats::Counter& released_blocks_;
};

}  // namespace tiersim::policies
