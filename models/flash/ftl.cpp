#include "models/flash/ftl.h"

#include <cassert>
#include <cmath>
#include <random>
#include <stdexcept>

namespace tiersim::models::flash {

namespace {
constexpr std::uint32_t kNil = ~std::uint32_t{0};
}

Ftl::Ftl(FtlParams p)
    : p_(p),
      l2p_(p.logical_pages, kNone),
      p2l_(std::uint64_t{p.blocks} * p.pages_per_block, kNone),
      valid_(p.blocks, 0),
      pe_(p.blocks, 0),
      head_(std::uint64_t{p.pages_per_block} + 1, kNil),
      next_(p.blocks, kNil),
      prev_(p.blocks, kNil),
      closed_(p.blocks, 0) {
  const std::uint64_t physical = std::uint64_t{p.blocks} * p.pages_per_block;
  if (physical >= kNone || p.logical_pages >= kNone) {
    throw std::invalid_argument("ftl: page counts must stay below 2^32 - 1");
  }
  if (p.pages_per_block == 0 ||
      physical < p.logical_pages + std::uint64_t{p.gc_threshold + 1} * p.pages_per_block) {
    throw std::invalid_argument("ftl: need physical pages >= logical + (gc_threshold+1) blocks");
  }
  for (std::uint32_t b = p.blocks; b-- > 1;) free_.push_back(b);
  active_ = 0;
  next_page_ = 0;
}

void Ftl::link(std::uint32_t b) {
  const std::uint32_t v = valid_[b];
  next_[b] = head_[v];
  prev_[b] = kNil;
  if (head_[v] != kNil) prev_[head_[v]] = b;
  head_[v] = b;
  closed_[b] = 1;
}

void Ftl::unlink(std::uint32_t b) {
  const std::uint32_t v = valid_[b];
  if (prev_[b] != kNil) {
    next_[prev_[b]] = next_[b];
  } else {
    head_[v] = next_[b];
  }
  if (next_[b] != kNil) prev_[next_[b]] = prev_[b];
  closed_[b] = 0;
}

void Ftl::open_block() {
  link(active_);
  assert(!free_.empty());
  active_ = free_.back();
  free_.pop_back();
  next_page_ = 0;
  if (!in_gc_ && free_.size() < p_.gc_threshold) collect();
}

void Ftl::program(std::uint64_t lpn) {
  if (next_page_ == p_.pages_per_block) open_block();
  const std::uint32_t old = l2p_[lpn];
  if (old != kNone) {
    const auto ob = static_cast<std::uint32_t>(old / p_.pages_per_block);
    if (closed_[ob]) {
      unlink(ob);
      --valid_[ob];
      link(ob);
    } else {
      --valid_[ob];
    }
    p2l_[old] = kNone;
  }
  const auto ppn =
      static_cast<std::uint32_t>(std::uint64_t{active_} * p_.pages_per_block + next_page_++);
  l2p_[lpn] = ppn;
  p2l_[ppn] = static_cast<std::uint32_t>(lpn);
  ++valid_[active_];
  ++flash_writes_;
}

void Ftl::collect() {
  in_gc_ = true;
  while (free_.size() < p_.gc_threshold) {
    std::uint32_t victim = kNil;
    for (std::uint32_t v = 0; v <= p_.pages_per_block && victim == kNil; ++v) victim = head_[v];
    if (victim == kNil) break;
    ++gc_runs_;
    unlink(victim);
    const std::uint64_t base = std::uint64_t{victim} * p_.pages_per_block;
    gc_events_.push_back({victim, valid_[victim]});
    for (std::uint32_t i = 0; i < p_.pages_per_block; ++i) {
      const std::uint32_t lpn = p2l_[base + i];
      if (lpn != kNone) program(lpn);  // relocation: may open a new frontier block
    }
    assert(valid_[victim] == 0);
    ++pe_[victim];
    ++erases_;
    free_.push_front(victim);  // erased blocks go to the back of the allocation order
  }
  in_gc_ = false;
}

void Ftl::write(std::uint64_t lpn) {
  ++host_writes_;
  program(lpn);
}

void Ftl::precondition(double utilization, std::uint64_t random_overwrites, std::uint64_t seed) {
  const auto n = static_cast<std::uint64_t>(utilization * static_cast<double>(p_.logical_pages));
  // Direct sequential layout: logical page i in physical page i of consecutive blocks.
  std::fill(l2p_.begin(), l2p_.end(), kNone);
  std::fill(p2l_.begin(), p2l_.end(), kNone);
  std::fill(valid_.begin(), valid_.end(), 0);
  std::fill(head_.begin(), head_.end(), kNil);
  std::fill(closed_.begin(), closed_.end(), 0);
  for (std::uint64_t i = 0; i < n; ++i) {
    l2p_[i] = static_cast<std::uint32_t>(i);
    p2l_[i] = static_cast<std::uint32_t>(i);
  }
  const auto full = static_cast<std::uint32_t>(n / p_.pages_per_block);
  for (std::uint32_t b = 0; b < full; ++b) {
    valid_[b] = p_.pages_per_block;
    link(b);
  }
  active_ = full;
  next_page_ = static_cast<std::uint32_t>(n % p_.pages_per_block);
  valid_[active_] = next_page_;
  free_.clear();
  for (std::uint32_t b = p_.blocks; b-- > active_ + 1;) free_.push_back(b);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::uint64_t> pick(0, p_.logical_pages - 1);
  for (std::uint64_t i = 0; i < random_overwrites; ++i) write(pick(rng));
  reset_counters();
  gc_events_.clear();
}

void Ftl::reset_counters() {
  host_writes_ = flash_writes_ = erases_ = gc_runs_ = 0;
}

bool Ftl::check(std::string* why) const {
  auto fail = [&](const std::string& m) {
    if (why) *why = m;
    return false;
  };
  std::vector<std::uint32_t> counted(p_.blocks, 0);
  for (std::uint64_t l = 0; l < l2p_.size(); ++l) {
    if (l2p_[l] == kNone) continue;
    if (p2l_[l2p_[l]] != l) return fail("l2p/p2l disagree at lpn " + std::to_string(l));
    ++counted[l2p_[l] / p_.pages_per_block];
  }
  std::uint64_t mapped_phys = 0;
  for (const std::uint32_t l : p2l_) mapped_phys += l != kNone;
  std::uint64_t mapped_log = 0;
  for (const std::uint32_t p : l2p_) mapped_log += p != kNone;
  if (mapped_phys != mapped_log) return fail("stale physical pages");
  std::uint64_t blocks = free_.size() + 1;
  for (std::uint32_t b = 0; b < p_.blocks; ++b) {
    if (counted[b] != valid_[b]) return fail("valid count wrong in block " + std::to_string(b));
    blocks += closed_[b];
  }
  if (blocks != p_.blocks) return fail("free + active + closed != blocks");
  return true;
}

double Ftl::greedy_wa_estimate(double alpha) {
  // W0(x) for x in [-1/e, 0) by Halley iteration from a branch-point series start.
  const double x = -alpha * std::exp(-alpha);
  double w = -1.0 + std::sqrt(2.0 * (1.0 + std::exp(1.0) * x));
  for (int i = 0; i < 50; ++i) {
    const double e = std::exp(w);
    const double f = w * e - x;
    const double d = e * (w + 1.0) - (w + 2.0) * f / (2.0 * w + 2.0);
    if (d == 0.0) break;
    w -= f / d;
  }
  return alpha / (alpha + w);
}

}  // namespace tiersim::models::flash
