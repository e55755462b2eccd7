#include "models/flash/mapping_cache.h"

namespace tiersim::models::flash {

MappingCache::MappingCache(std::uint64_t translation_pages, std::uint32_t cached_pages)
    : cap_(cached_pages),
      slot_of_(cached_pages > 0 ? translation_pages : 0, kNil),
      page_of_(cached_pages, 0),
      prev_(cached_pages, kNil),
      next_(cached_pages, kNil),
      dirty_(cached_pages, 0) {}

void MappingCache::unlink(std::uint32_t s) {
  if (prev_[s] != kNil)
    next_[prev_[s]] = next_[s];
  else
    head_ = next_[s];
  if (next_[s] != kNil)
    prev_[next_[s]] = prev_[s];
  else
    tail_ = prev_[s];
}

void MappingCache::push_front(std::uint32_t s) {
  prev_[s] = kNil;
  next_[s] = head_;
  if (head_ != kNil) prev_[head_] = s;
  head_ = s;
  if (tail_ == kNil) tail_ = s;
}

bool MappingCache::access(std::uint64_t tpage, bool dirty) {
  evicted_ = -1;
  if (cap_ == 0) return true;
  std::uint32_t s = slot_of_[tpage];
  if (s != kNil) {
    ++hits_;
    unlink(s);
    push_front(s);
    dirty_[s] |= dirty ? 1 : 0;
    return true;
  }
  ++misses_;
  if (used_ < cap_) {
    s = used_++;
  } else {
    s = tail_;
    unlink(s);
    slot_of_[page_of_[s]] = kNil;
    if (dirty_[s]) evicted_ = static_cast<std::int64_t>(page_of_[s]);
  }
  page_of_[s] = tpage;
  dirty_[s] = dirty ? 1 : 0;
  slot_of_[tpage] = s;
  push_front(s);
  return false;
}

}  // namespace tiersim::models::flash
