// A page-level FTL: logical page -> physical page mapping, one write frontier, greedy garbage
// collection with a free-block threshold, wear (P/E count per block), write amplification, and
// fast preconditioning. Untimed itself: it counts flash programs/erases per host write and
// reports each garbage collection (gc_events) for `ssd` to time (controller.ftl, ssd.h).
// Memory: 4 B per logical page + 4 B per physical page (a 2 TB drive of 16 KiB pages: ~1 GB);
// physical and logical page counts must stay below 2^32 - 1.
//
// Contract:
//  - write(lpn) maps a host write of logical page lpn (< logical_pages) to the next free page of
//    the active block, invalidating the old copy. When a new active block is opened and fewer
//    than gc_threshold blocks are free, greedy GC runs until gc_threshold are free: the closed
//    block with the fewest valid pages is the victim, its valid pages are rewritten at the
//    frontier and it is erased (P/E count + 1).
//  - precondition(u, random_overwrites, seed): maps the first u x logical_pages pages
//    sequentially by filling the arrays directly (no per-write work beyond one store per page),
//    then applies `random_overwrites` uniform random writes through write() to approach steady
//    state. Counters are reset afterwards (preconditioning is not measured).
//  - check() verifies l2p/p2l agree, valid counts match, free + active + closed = all blocks.
//  - physical pages must exceed logical pages by at least (gc_threshold + 1) blocks.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace tiersim::models::flash {

// One garbage collection: the victim block and the valid pages it relocated.
struct GcEvent {
  std::uint32_t block;
  std::uint32_t moved;
};

struct FtlParams {
  std::uint64_t logical_pages = 0;
  std::uint32_t blocks = 0;
  std::uint32_t pages_per_block = 0;
  std::uint32_t gc_threshold = 2;  // free blocks below which GC runs
};

class Ftl {
 public:
  explicit Ftl(FtlParams p);

  void write(std::uint64_t lpn);
  void precondition(double utilization, std::uint64_t random_overwrites, std::uint64_t seed);
  [[nodiscard]] bool check(std::string* why) const;

  [[nodiscard]] std::uint64_t host_writes() const { return host_writes_; }
  [[nodiscard]] std::uint64_t flash_writes() const { return flash_writes_; }
  [[nodiscard]] std::uint64_t erases() const { return erases_; }
  [[nodiscard]] std::uint64_t gc_runs() const { return gc_runs_; }
  [[nodiscard]] double write_amplification() const {
    return host_writes_ == 0
               ? 0.0
               : static_cast<double>(flash_writes_) / static_cast<double>(host_writes_);
  }
  [[nodiscard]] const std::vector<std::uint32_t>& pe_counts() const { return pe_; }
  [[nodiscard]] std::uint32_t free_blocks() const {
    return static_cast<std::uint32_t>(free_.size());
  }
  [[nodiscard]] bool mapped(std::uint64_t lpn) const { return l2p_[lpn] != kNone; }
  void reset_counters();
  // Garbage collections since the last clear_gc_events() (for the timing path of `ssd`).
  [[nodiscard]] const std::vector<GcEvent>& gc_events() const { return gc_events_; }
  void clear_gc_events() { gc_events_.clear(); }

  // Analytical WA of greedy GC under uniform random writes with many pages per block
  // (Desnoyers, "Analytic Models of SSD Write Performance", ACM TOS 10(2), 2014, eq. for LRW,
  // which greedy approaches for large blocks): A = alpha / (alpha + W0(-alpha e^-alpha)),
  // alpha = physical / logical pages.
  [[nodiscard]] static double greedy_wa_estimate(double alpha);

 private:
  static constexpr std::uint32_t kNone = ~std::uint32_t{0};
  void open_block();
  void program(std::uint64_t lpn);
  void collect();
  void link(std::uint32_t b);
  void unlink(std::uint32_t b);

  FtlParams p_;
  std::vector<std::uint32_t> l2p_;
  std::vector<std::uint32_t> p2l_;
  std::vector<std::uint32_t> valid_;
  std::vector<std::uint32_t> pe_;
  std::deque<std::uint32_t> free_;  // free blocks: allocate from the back, erased to front
  std::uint32_t active_ = 0;
  std::uint32_t next_page_ = 0;  // next free page in the active block
  // Closed blocks in buckets by valid count (intrusive doubly linked lists), for greedy victims.
  std::vector<std::uint32_t> head_, next_, prev_;
  std::vector<std::uint8_t> closed_;
  bool in_gc_ = false;
  std::vector<GcEvent> gc_events_;
  std::uint64_t host_writes_ = 0, flash_writes_ = 0, erases_ = 0, gc_runs_ = 0;
};

}  // namespace tiersim::models::flash
