#include "models/dram/timing_state.h"

#include <algorithm>
#include <limits>

namespace tiersim::models::dram {

namespace {
constexpr Cycle kLongAgo = std::numeric_limits<Cycle>::min() / 4;
}

TimingState::TimingState(const DramSpec& spec) : spec_(spec) {
  for (std::size_t l = 0; l < kLevels; ++l) {
    next_[l].assign(spec.nodes(level_at(l)), NextTable{});
  }
  for (const Constraint& c : spec.constraints) {
    Rule r{c.level, c.to, c.cycles, c.window, c.sibling, 0};
    if (c.window > 1) {
      r.history = history_.size();
      history_.emplace_back(spec.nodes(c.level) * c.window, kLongAgo);
      history_head_.emplace_back(spec.nodes(c.level), 0U);
    }
    for (std::size_t f = 0; f < kCommands; ++f) {
      if ((c.from & (1U << f)) != 0) rules_by_from_[f].push_back(r);
    }
  }
}

std::uint64_t TimingState::node(Level l, const DramAddress& a) const {
  std::uint64_t n = 0;
  for (std::size_t i = 0; i <= index(l); ++i) n = n * spec_.org.count[i] + a.at[i];
  return n;
}

Cycle TimingState::earliest(Command cmd, const DramAddress& a) const {
  Cycle e = 0;
  std::uint64_t n = 0;
  for (std::size_t l = 0; l < kLevels; ++l) {
    n = n * spec_.org.count[l] + a.at[l];
    e = std::max(e, next_[l][n][index(cmd)]);
  }
  return e;
}

void TimingState::raise(std::size_t level, std::uint64_t node, CommandMask to, Cycle at) {
  NextTable& t = next_[level][node];
  for (std::size_t c = 0; c < kCommands; ++c) {
    if ((to & (1U << c)) != 0) t[c] = std::max(t[c], at);
  }
}

void TimingState::issue(Command cmd, const DramAddress& a, Cycle at) {
  for (const Rule& r : rules_by_from_[index(cmd)]) {
    const std::size_t l = index(r.level);
    const std::uint64_t n = node(r.level, a);
    if (r.window > 1) {
      std::vector<Cycle>& ring = history_[r.history];
      std::uint32_t& head = history_head_[r.history][n];
      ring[n * r.window + head] = at;
      head = (head + 1) % r.window;
      const Cycle oldest = ring[n * r.window + head];
      if (oldest > kLongAgo) raise(l, n, r.to, oldest + r.cycles);
    } else if (r.sibling) {
      const std::uint64_t count = spec_.org.count[l];
      const std::uint64_t first = n - n % count;
      for (std::uint64_t s = first; s < first + count; ++s) {
        if (s != n) raise(l, s, r.to, at + r.cycles);
      }
    } else {
      raise(l, n, r.to, at + r.cycles);
    }
  }
}

bool TimingState::couples_channels() const {
  for (const auto& rules : rules_by_from_) {
    for (const Rule& r : rules) {
      if (r.sibling && r.level == Level::kChannel) return true;
    }
  }
  return false;
}

void TimingState::copy_channel(std::uint64_t src, std::uint64_t dst) {
  const std::uint64_t channels = spec_.count(Level::kChannel);
  for (std::size_t l = 0; l < kLevels; ++l) {
    const std::uint64_t per = next_[l].size() / channels;
    std::copy_n(next_[l].begin() + static_cast<std::ptrdiff_t>(src * per), per,
                next_[l].begin() + static_cast<std::ptrdiff_t>(dst * per));
  }
  for (const auto& rules : rules_by_from_) {
    for (const Rule& r : rules) {
      if (r.window <= 1) continue;
      std::vector<std::uint32_t>& head = history_head_[r.history];
      std::vector<Cycle>& ring = history_[r.history];
      const std::uint64_t per = head.size() / channels;
      std::copy_n(head.begin() + static_cast<std::ptrdiff_t>(src * per), per,
                  head.begin() + static_cast<std::ptrdiff_t>(dst * per));
      std::copy_n(ring.begin() + static_cast<std::ptrdiff_t>(src * per * r.window), per * r.window,
                  ring.begin() + static_cast<std::ptrdiff_t>(dst * per * r.window));
    }
  }
}

}  // namespace tiersim::models::dram
