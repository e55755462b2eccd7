// The KV block pool of the `cxl_tier` policy (cxl_tier.cpp): fixed-size KV blocks (all layers of
// `block_tokens` tokens of one sequence) in two tiers, a fast one (GPU HBM) and a slow one (CXL
// memory), with a configurable eviction order. Pure bookkeeping: it decides where each block
// lives and which blocks move; the policy issues the moves as transactions.
//
// Contract:
//  - Tier kFast has `fast_slots` block slots, tier kSlow `slow_slots`. A block occupies one slot;
//    its address inside a tier is slot x block size (the policy adds the layer offset).
//  - begin_step() starts a step (a new use tick). touch(request) pins every block of a request
//    for this step: a pinned block is never chosen as an eviction victim, and (LRU) its recency
//    becomes this tick. grow(request, blocks) appends blocks to a request: each new block goes to
//    a free fast slot, else evicts the victim (below) to the slow tier and takes its slot, else
//    goes to a free slow slot.
//  - Eviction victim: the unpinned fast-tier block that is least recently used (kLru: oldest
//    tick of its last use) or first inserted into the fast tier (kFifo); ties by block id. A
//    victim moves only when the slow tier has a free slot (after reclaiming, below).
//  - promote(block): moves a slow-tier block of this step to the fast tier, into a free slot or
//    over an evicted victim; false (nothing moves) when neither exists.
//  - Reclaiming (a fallback): the owner frees a finished request with drop() (the cxl_tier
//    policy does when the serving loop releases it). A request that was never dropped, is absent
//    from the current step and is not swapped out is taken as finished once a tier is full: its
//    blocks are freed, least recently used request first (reclaimed_requests() counts them).
//    Capacity-aware admission guarantees that live sequences fit, so only undropped finished
//    ones are reclaimed unless a live sequence skips steps (chunked prefill waiting for budget)
//    while the pool is full; the policy reports such a loss as lost tokens (see cxl_tier.cpp).
//  - swap_out(request) moves all its fast blocks to the slow tier (as far as slow slots allow)
//    and protects them from reclaiming until the request is touched again; drop(request) frees
//    its blocks.
//  - Every move is appended to the caller's list in the order it happens (a victim's move
//    precedes the move into its slot). Deterministic: no hashing, ties by block id.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <utility>
#include <vector>

namespace tiersim::policies::cxl_tier {

enum class Tier : std::uint8_t { kFast = 0, kSlow = 1 };
enum class Eviction : std::uint8_t { kLru, kFifo };

struct Move {
  std::uint32_t block = 0;
  Tier from = Tier::kFast;
  std::uint32_t from_slot = 0;
  Tier to = Tier::kSlow;
  std::uint32_t to_slot = 0;
};

struct Block {
  std::uint64_t request = 0;
  Tier tier = Tier::kFast;
  std::uint32_t slot = 0;
  std::uint64_t last_use = 0;  // tick of the last step that touched it
  std::uint64_t inserted = 0;  // order it entered the fast tier (FIFO)
  bool live = false;
};

class BlockPool {
 public:
  BlockPool(std::uint32_t fast_slots, std::uint32_t slow_slots, Eviction eviction);

  void begin_step();
  void touch(std::uint64_t request);
  // Appends `count` blocks to `request`. Returns false when no slot can be found even after
  // reclaiming (the pool is full of live blocks).
  [[nodiscard]] bool grow(std::uint64_t request, std::uint32_t count, std::vector<Move>& moves);
  [[nodiscard]] bool promote(std::uint32_t block, std::vector<Move>& moves);
  void swap_out(std::uint64_t request, std::vector<Move>& moves);
  void drop(std::uint64_t request);

  [[nodiscard]] const std::vector<std::uint32_t>& blocks_of(std::uint64_t request) const;
  [[nodiscard]] const Block& block(std::uint32_t id) const { return blocks_[id]; }
  [[nodiscard]] std::uint32_t used(Tier t) const;
  [[nodiscard]] std::uint32_t slots(Tier t) const;
  [[nodiscard]] std::uint64_t reclaimed_requests() const { return reclaimed_; }

 private:
  using Key = std::pair<std::uint64_t, std::uint32_t>;  // (order key, block id)
  [[nodiscard]] Key key_of(std::uint32_t id) const;
  [[nodiscard]] std::uint32_t new_block(std::uint64_t request);
  void place(std::uint32_t id, Tier t, std::uint32_t slot);
  void unplace(std::uint32_t id);
  [[nodiscard]] bool take_slot(Tier t, std::uint32_t& slot);
  // Frees the least recently used finished request's blocks; false if none is reclaimable.
  bool reclaim_one();
  // Moves the eviction victim to the slow tier; returns its freed fast slot.
  [[nodiscard]] bool evict(std::vector<Move>& moves, std::uint32_t& freed_slot);

  std::uint32_t fast_slots_, slow_slots_;
  Eviction eviction_;
  std::uint64_t tick_ = 0;
  std::uint64_t inserted_ = 0;
  std::uint64_t reclaimed_ = 0;
  std::vector<Block> blocks_;
  std::vector<std::uint32_t> free_ids_;
  std::vector<std::uint32_t> free_fast_, free_slow_;  // stacks: lowest slot on top
  std::set<Key> fast_order_;                          // fast-tier blocks by eviction key
  struct Sequence {
    std::vector<std::uint32_t> blocks;
    std::uint64_t last_use = 0;
    bool swapped = false;
  };
  std::map<std::uint64_t, Sequence> seqs_;
};

}  // namespace tiersim::policies::cxl_tier
