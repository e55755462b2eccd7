#include "sim/policies/cxl_tier_pool.h"

#include <algorithm>
#include <limits>

namespace tiersim::policies::cxl_tier {

namespace {

std::vector<std::uint32_t> slot_stack(std::uint32_t n) {
  std::vector<std::uint32_t> s(n);
  for (std::uint32_t i = 0; i < n; ++i) s[i] = n - 1 - i;  // slot 0 on top
  return s;
}

const std::vector<std::uint32_t> kNoBlocks;

}  // namespace

BlockPool::BlockPool(std::uint32_t fast_slots, std::uint32_t slow_slots, Eviction eviction)
    : fast_slots_(fast_slots),
      slow_slots_(slow_slots),
      eviction_(eviction),
      free_fast_(slot_stack(fast_slots)),
      free_slow_(slot_stack(slow_slots)) {}

void BlockPool::begin_step() {
  ++tick_;
}

BlockPool::Key BlockPool::key_of(std::uint32_t id) const {
  const Block& b = blocks_[id];
  return {eviction_ == Eviction::kLru ? b.last_use : b.inserted, id};
}

void BlockPool::touch(std::uint64_t request) {
  auto& s = seqs_[request];
  s.last_use = tick_;
  s.swapped = false;
  for (const auto id : s.blocks) {
    Block& b = blocks_[id];
    if (b.tier == Tier::kFast && eviction_ == Eviction::kLru) {
      fast_order_.erase(key_of(id));
      b.last_use = tick_;
      fast_order_.insert(key_of(id));
    } else {
      b.last_use = tick_;
    }
  }
}

std::uint32_t BlockPool::new_block(std::uint64_t request) {
  std::uint32_t id = 0;
  if (!free_ids_.empty()) {
    id = free_ids_.back();
    free_ids_.pop_back();
  } else {
    id = static_cast<std::uint32_t>(blocks_.size());
    blocks_.emplace_back();
  }
  blocks_[id] = Block{request, Tier::kFast, 0, tick_, 0, true};
  return id;
}

void BlockPool::place(std::uint32_t id, Tier t, std::uint32_t slot) {
  Block& b = blocks_[id];
  b.tier = t;
  b.slot = slot;
  if (t == Tier::kFast) {
    b.inserted = inserted_++;
    fast_order_.insert(key_of(id));
  }
}

void BlockPool::unplace(std::uint32_t id) {
  Block& b = blocks_[id];
  if (b.tier == Tier::kFast) {
    fast_order_.erase(key_of(id));
    free_fast_.push_back(b.slot);
  } else {
    free_slow_.push_back(b.slot);
  }
}

bool BlockPool::take_slot(Tier t, std::uint32_t& slot) {
  auto& stack = t == Tier::kFast ? free_fast_ : free_slow_;
  if (stack.empty()) return false;
  slot = stack.back();
  stack.pop_back();
  return true;
}

bool BlockPool::reclaim_one() {
  auto victim = seqs_.end();
  for (auto it = seqs_.begin(); it != seqs_.end(); ++it) {
    const auto& s = it->second;
    if (s.last_use == tick_ || s.swapped || s.blocks.empty()) continue;
    if (victim == seqs_.end() || s.last_use < victim->second.last_use) victim = it;
  }
  if (victim == seqs_.end()) return false;
  drop(victim->first);
  ++reclaimed_;
  return true;
}

bool BlockPool::evict(std::vector<Move>& moves, std::uint32_t& freed_slot) {
  // LRU: the first block in order is the least recently used; if it is pinned, all are. FIFO:
  // the first unpinned block in insertion order.
  std::uint32_t id = 0;
  bool found = false;
  for (const auto& [k, b] : fast_order_) {
    if (blocks_[b].last_use != tick_) {
      id = b;
      found = true;
      break;
    }
    if (eviction_ == Eviction::kLru) break;
  }
  if (!found) return false;
  std::uint32_t slow = 0;
  if (!take_slot(Tier::kSlow, slow)) {
    if (!reclaim_one() || !take_slot(Tier::kSlow, slow)) return false;
    // Reclaiming may have freed the victim itself (or a fast slot): take that instead.
    if (!blocks_[id].live || blocks_[id].tier != Tier::kFast) {
      free_slow_.push_back(slow);
      return take_slot(Tier::kFast, freed_slot);
    }
  }
  Block& b = blocks_[id];
  fast_order_.erase(key_of(id));
  freed_slot = b.slot;
  moves.push_back(Move{id, Tier::kFast, b.slot, Tier::kSlow, slow});
  b.tier = Tier::kSlow;
  b.slot = slow;
  return true;
}

bool BlockPool::grow(std::uint64_t request, std::uint32_t count, std::vector<Move>& moves) {
  auto& blocks = seqs_[request].blocks;
  seqs_[request].last_use = tick_;
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint32_t slot = 0;
    Tier tier = Tier::kFast;
    if (!take_slot(Tier::kFast, slot) && !evict(moves, slot)) {
      tier = Tier::kSlow;
      if (!take_slot(Tier::kSlow, slot)) {
        if (!reclaim_one()) return false;
        // A reclaimed request may have freed a fast slot: prefer it.
        if (take_slot(Tier::kFast, slot)) {
          tier = Tier::kFast;
        } else if (!take_slot(Tier::kSlow, slot)) {
          return false;
        }
      }
    }
    const std::uint32_t id = new_block(request);
    place(id, tier, slot);
    blocks.push_back(id);
  }
  return true;
}

bool BlockPool::promote(std::uint32_t id, std::vector<Move>& moves) {
  if (blocks_[id].tier != Tier::kSlow) return false;
  std::uint32_t slot = 0;
  if (!take_slot(Tier::kFast, slot) && !evict(moves, slot)) return false;
  Block& b = blocks_[id];
  moves.push_back(Move{id, Tier::kSlow, b.slot, Tier::kFast, slot});
  free_slow_.push_back(b.slot);
  place(id, Tier::kFast, slot);
  return true;
}

void BlockPool::swap_out(std::uint64_t request, std::vector<Move>& moves) {
  auto it = seqs_.find(request);
  if (it == seqs_.end()) return;
  it->second.swapped = true;
  for (const auto id : it->second.blocks) {
    Block& b = blocks_[id];
    if (b.tier != Tier::kFast) continue;
    std::uint32_t slow = 0;
    if (!take_slot(Tier::kSlow, slow)) break;
    fast_order_.erase(key_of(id));
    free_fast_.push_back(b.slot);
    moves.push_back(Move{id, Tier::kFast, b.slot, Tier::kSlow, slow});
    b.tier = Tier::kSlow;
    b.slot = slow;
  }
}

void BlockPool::drop(std::uint64_t request) {
  auto it = seqs_.find(request);
  if (it == seqs_.end()) return;
  for (const auto id : it->second.blocks) {
    unplace(id);
    blocks_[id].live = false;
    free_ids_.push_back(id);
  }
  seqs_.erase(it);
}

const std::vector<std::uint32_t>& BlockPool::blocks_of(std::uint64_t request) const {
  auto it = seqs_.find(request);
  return it == seqs_.end() ? kNoBlocks : it->second.blocks;
}

std::uint32_t BlockPool::used(Tier t) const {
  return t == Tier::kFast ? fast_slots_ - static_cast<std::uint32_t>(free_fast_.size())
                          : slow_slots_ - static_cast<std::uint32_t>(free_slow_.size());
}

std::uint32_t BlockPool::slots(Tier t) const {
  return t == Tier::kFast ? fast_slots_ : slow_slots_;
}

}  // namespace tiersim::policies::cxl_tier
