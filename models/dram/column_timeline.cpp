#include "models/dram/column_timeline.h"

#include <algorithm>
#include <limits>

namespace tiersim::models::dram {

namespace {
constexpr std::array<Command, 4> kColumns = {Command::kRD, Command::kWR, Command::kRDA,
                                             Command::kWRA};
}

ColumnTimeline::ColumnTimeline(const DramSpec& spec)
    : spec_(spec), bus_(spec.nodes(spec.data_bus_level)) {
  narrowest_ = std::numeric_limits<Cycle>::max();
  for (Command f : kColumns) {
    for (Command t : kColumns) {
      for (std::size_t rel = index(spec.data_bus_level) + 1; rel <= kLevels; ++rel) {
        widest_ = std::max(widest_, spec.gap(f, t, rel));
        Cycle& w = pair_widest_[index(f)][index(t)];
        w = std::max(w, spec.gap(f, t, rel));
        narrowest_ = std::min(narrowest_, std::max<Cycle>(1, spec.gap(f, t, rel)));
      }
    }
  }
  widest_ = std::max<Cycle>(widest_, 1);
  for (Bus& b : bus_) b.dense_from = std::numeric_limits<Cycle>::max();
}

std::size_t ColumnTimeline::rel(const DramAddress& x, const DramAddress& y) const {
  for (std::size_t l = index(spec_.data_bus_level) + 1; l < kLevels; ++l) {
    if (x.at[l] != y.at[l]) return l;
  }
  return kLevels;
}

Cycle ColumnTimeline::need(const Entry& x, Command cmd, const DramAddress& a) const {
  const Cycle g = std::max<Cycle>(1, spec_.gap(x.cmd, cmd, rel(x.addr, a)));
  return x.first == x.at ? g : std::max(g, pair_widest_[index(x.cmd)][index(cmd)] - x.spacing);
}

Cycle ColumnTimeline::newest(std::uint64_t unit) const {
  const std::vector<Entry>& v = bus_[unit].v;
  return v.empty() ? kNone : v.back().at;
}

Cycle ColumnTimeline::place(std::uint64_t unit, Command cmd, const DramAddress& a,
                            Cycle from) const {
  const Bus& bus = bus_[unit];
  const std::vector<Entry>& v = bus.v;
  if (v.empty()) return from;
  Cycle c = std::max(from, v.back().at - horizon_);
  const auto by_at = [](const Entry& e, Cycle t) { return e.at < t; };
  for (bool moved = true; moved;) {
    moved = false;
    if (c > bus.dense_from && c < v.back().at) c = v.back().at;  // no room in between
    const auto live = v.begin() + static_cast<std::ptrdiff_t>(bus.head);
    for (auto it = std::lower_bound(live, v.end(), c - widest_, by_at);
         it != v.end() && it->first < c + widest_; ++it) {
      const Entry& x = *it;
      if (x.first != x.at || x.at <= c) {
        // A train: nothing inside it or closer than the widest gap before it.
        const Cycle after = x.at + need(x, cmd, a);
        if (c < after && (x.at <= c || c > x.first - pair_widest_[index(cmd)][index(x.cmd)])) {
          c = after;
          moved = true;
          break;
        }
        continue;
      }
      // x after c: c must precede it by gap(cmd -> x).
      if (x.at - c < std::max<Cycle>(1, spec_.gap(cmd, x.cmd, rel(a, x.addr)))) {
        c = x.at + need(x, cmd, a);
        moved = true;
        break;
      }
    }
  }
  return c;
}

void ColumnTimeline::note_append(Bus& b, Cycle at, Cycle first) {
  if (b.v.empty() || first - b.v.back().at >= 2 * narrowest_ || b.dense_from > b.v.back().at) {
    b.dense_from = at;  // a gap that may fit a column: the dense stretch starts here
  }
}

void ColumnTimeline::record(std::uint64_t unit, Command cmd, const DramAddress& a, Cycle at) {
  Bus& b = bus_[unit];
  const Entry e{at, at, 0, a, cmd};
  if (b.v.empty() || at >= b.v.back().at) {
    note_append(b, at, at);
    b.v.push_back(e);
  } else {
    b.v.insert(std::upper_bound(b.v.begin() + static_cast<std::ptrdiff_t>(b.head), b.v.end(), at,
                                [](Cycle t, const Entry& x) { return t < x.at; }),
               e);
  }
  prune(b);
}

void ColumnTimeline::record_train(std::uint64_t unit, Command cmd, const DramAddress& a,
                                  Cycle first, Cycle last, Cycle spacing) {
  Bus& b = bus_[unit];
  note_append(b, last, first);
  b.v.push_back({last, first, spacing, a, cmd});  // first > every recorded column
  prune(b);
}

void ColumnTimeline::copy_bus(std::uint64_t src, std::uint64_t dst, std::uint32_t dst_channel) {
  bus_[dst] = bus_[src];
  for (Entry& e : bus_[dst].v) e.addr[Level::kChannel] = dst_channel;
}

void ColumnTimeline::prune(Bus& b) const {
  // Entries before `head` are out of reach; the vector is compacted once they are the majority.
  std::vector<Entry>& v = b.v;
  const Cycle keep = v.back().at - horizon_ - widest_;
  while (b.head < v.size() && v[b.head].at < keep) ++b.head;
  if (b.head >= 64 && 2 * b.head >= v.size()) {
    v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(b.head));
    b.head = 0;
  }
}

}  // namespace tiersim::models::dram
