#include "models/dram/detailed_engine.h"

#include <algorithm>
#include <limits>

namespace tiersim::models::dram {

namespace {
constexpr Cycle kNever = std::numeric_limits<Cycle>::max();

Cycle to_cycles_ceil(Time t, Time tck) {
  return (t.ps() + tck.ps() - 1) / tck.ps();
}
}  // namespace

DetailedEngine::DetailedEngine(const DramSpec& spec, const AddressMapping& mapping)
    : spec_(spec),
      mapping_(mapping),
      timing_(spec),
      banks_(spec.nodes(Level::kBank)),
      channels_(spec.count(Level::kChannel)),
      hit_stamp_(spec.nodes(Level::kBank), 0),
      banks_per_scope_(spec.nodes(Level::kBank) / spec.nodes(spec.refresh.level)),
      scopes_per_channel_(spec.nodes(spec.refresh.level) / spec.count(Level::kChannel)),
      banks_per_channel_(spec.banks_per_channel()) {
  counters_.bytes_read.assign(channels_.size(), 0);
  counters_.bytes_written.assign(channels_.size(), 0);
  const Cycle first_due = spec.refresh.mode == RefreshMode::kPerBank
                              ? spec.refresh.per_bank_interval
                              : spec.refresh.interval;
  for (Channel& ch : channels_) {
    ch.scopes.assign(scopes_per_channel_, Scope{});
    for (Scope& s : ch.scopes) s.due = spec.refresh.mode == RefreshMode::kNone ? kNever : first_due;
  }
}

std::int64_t DetailedEngine::open_row(const DramAddress& a) const {
  return banks_[timing_.node(Level::kBank, a)].open_row;
}

std::size_t DetailedEngine::submit(const DramRequest& r) {
  const std::uint64_t bb = spec_.burst_bytes.count();
  const std::uint64_t offset = r.address % bb;
  const std::uint64_t n = std::max<std::uint64_t>(1, (offset + r.bytes.count() + bb - 1) / bb);
  const std::uint64_t first = mapping_.burst_index(r.address);
  const Cycle arrival = to_cycles_ceil(r.arrival, spec_.tck) + spec_.controller.front_latency;
  const auto id = static_cast<std::uint32_t>(requests_.size());
  requests_.push_back({n, kNever, 0, r.write});
  touched_.clear();
  for (std::uint64_t i = 0; i < n; ++i) {
    const DramAddress a = mapping_.decode((first + i) % mapping_.bursts());
    const std::size_t c = a[Level::kChannel];
    channels_[c].pending.push_back(
        {id, a, static_cast<std::uint32_t>(timing_.node(Level::kBank, a)), arrival, r.write});
    if (std::find(touched_.begin(), touched_.end(), c) == touched_.end()) touched_.push_back(c);
  }
  return id;
}

DramResult DetailedEngine::result(std::size_t id) const {
  const Tracking& t = requests_[id];
  if (t.write) return {spec_.cycles(t.last), spec_.cycles(t.last)};
  return {spec_.cycles(t.first), spec_.cycles(t.last)};
}

void DetailedEngine::run_all() {
  for (std::size_t c = 0; c < channels_.size(); ++c) {
    while (step(c)) {
    }
  }
}

DramResult DetailedEngine::serve(const DramRequest& r) {
  const std::size_t id = submit(r);
  run_until_done(id);
  return result(id);
}

void DetailedEngine::run_until_done(std::size_t request) {
  // Channels are independent: run each touched channel until the request has no burst left in
  // it (its bursts were appended last, so the channel is done with it when it has issued them).
  const std::vector<std::size_t> touched = touched_;
  for (std::size_t c : touched) {
    const auto has_burst = [&](const std::deque<Burst>& q) {
      for (const Burst& b : q) {
        if (b.request == request) return true;
      }
      return false;
    };
    Channel& ch = channels_[c];
    while (has_burst(ch.pending) || has_burst(ch.reads) || has_burst(ch.writes)) {
      if (!step(c)) break;
    }
  }
}

bool DetailedEngine::busy(const Channel& ch) const {
  return !ch.pending.empty() || !ch.reads.empty() || !ch.writes.empty();
}

void DetailedEngine::admit(Channel& ch) {
  while (!ch.pending.empty() && ch.pending.front().arrival <= ch.clk) {
    std::deque<Burst>& q = ch.pending.front().write ? ch.writes : ch.reads;
    const std::uint32_t cap =
        ch.pending.front().write ? spec_.controller.write_queue : spec_.controller.read_queue;
    if (q.size() >= cap) return;
    q.push_back(ch.pending.front());
    ch.pending.pop_front();
  }
}

Cycle DetailedEngine::bus_ready(const Channel& ch, Command cmd) const {
  if (!spec_.dual_command_bus) return std::max(ch.row_bus_free, ch.col_bus_free);
  return is_column(cmd) ? ch.col_bus_free : ch.row_bus_free;
}

void DetailedEngine::note_command(Channel& ch, Command cmd, Cycle at) {
  ++counters_.commands[index(cmd)];
  if (!spec_.dual_command_bus || is_column(cmd)) ch.col_bus_free = at + 1;
  if (!spec_.dual_command_bus || !is_column(cmd)) ch.row_bus_free = at + 1;
}

DramAddress DetailedEngine::scope_address(std::size_t c, std::size_t s) const {
  DramAddress a;
  std::uint64_t g = c * scopes_per_channel_ + s;
  for (std::size_t l = index(spec_.refresh.level) + 1; l-- > 0;) {
    a.at[l] = static_cast<std::uint32_t>(g % spec_.org.count[l]);
    g /= spec_.org.count[l];
  }
  return a;
}

std::uint32_t DetailedEngine::scope_of_bank(std::uint32_t bank) const {
  return static_cast<std::uint32_t>(bank / banks_per_scope_);
}

bool DetailedEngine::scope_refreshing(const Channel& ch, std::size_t c, std::uint32_t bank) const {
  const std::uint64_t s = scope_of_bank(bank) - c * scopes_per_channel_;
  return ch.scopes[s].due <= ch.clk;
}

DetailedEngine::Choice DetailedEngine::refresh_choice(std::size_t c, const Channel& ch) const {
  Choice best;
  best.at = kNever;
  for (std::size_t s = 0; s < ch.scopes.size(); ++s) {
    if (ch.scopes[s].due > ch.clk) continue;
    const DramAddress scope = scope_address(c, s);
    const std::uint64_t first_bank = (c * scopes_per_channel_ + s) * banks_per_scope_;
    Choice x;
    x.valid = true;
    x.refresh = true;
    x.burst = s;
    if (spec_.refresh.mode == RefreshMode::kAllBank) {
      Cycle at = 0;
      bool open = false;
      for (std::uint64_t b = first_bank; b < first_bank + banks_per_scope_; ++b) {
        if (banks_[b].open_row < 0) continue;
        open = true;
        DramAddress ba = scope;
        std::uint64_t rest = b - first_bank;
        for (std::size_t l = kLevels; l-- > index(spec_.refresh.level) + 1;) {
          ba.at[l] = static_cast<std::uint32_t>(rest % spec_.org.count[l]);
          rest /= spec_.org.count[l];
        }
        at = std::max(at, timing_.earliest(Command::kPRE, ba));
      }
      x.cmd = open ? Command::kPREA : Command::kREFab;
      x.at = std::max(at, timing_.earliest(x.cmd, scope));
    } else {
      const std::uint64_t b = first_bank + ch.scopes[s].next_bank;
      DramAddress ba = scope;
      std::uint64_t rest = ch.scopes[s].next_bank;
      for (std::size_t l = kLevels; l-- > index(spec_.refresh.level) + 1;) {
        ba.at[l] = static_cast<std::uint32_t>(rest % spec_.org.count[l]);
        rest /= spec_.org.count[l];
      }
      x.cmd = banks_[b].open_row >= 0 ? Command::kPRE : Command::kREFpb;
      x.at = timing_.earliest(x.cmd, ba);
    }
    x.at = std::max({x.at, ch.clk, bus_ready(ch, x.cmd)});
    if (x.at < best.at) best = x;
  }
  return best;
}

bool DetailedEngine::row_wanted(const Channel& ch, std::uint32_t bank, std::uint32_t row,
                                const Burst* except) const {
  for (const auto* q : {&ch.reads, &ch.writes}) {
    for (const Burst& b : *q) {
      if (&b != except && b.bank == bank && b.addr.row == row) return true;
    }
  }
  return false;
}

DetailedEngine::Choice DetailedEngine::burst_choice(std::size_t c, Channel& ch,
                                                    const std::deque<Burst>& q) {
  ++stamp_;
  for (const auto* qq : {&ch.reads, &ch.writes}) {
    for (const Burst& b : *qq) {
      if (banks_[b.bank].open_row == static_cast<std::int64_t>(b.addr.row)) {
        hit_stamp_[b.bank] = stamp_;
      }
    }
  }
  const bool fcfs = spec_.controller.scheduler == Scheduler::kFcfs;
  Choice oldest_ready_hit, oldest_ready, soonest;
  soonest.at = kNever;
  const std::size_t n = fcfs ? std::min<std::size_t>(q.size(), 1) : q.size();
  for (std::size_t i = 0; i < n; ++i) {
    const Burst& b = q[i];
    const Bank& bank = banks_[b.bank];
    if (scope_refreshing(ch, c, b.bank)) continue;
    Choice x;
    x.valid = true;
    x.burst = i;
    if (bank.open_row == static_cast<std::int64_t>(b.addr.row)) {
      x.hit = true;
      x.cmd = b.write ? Command::kWR : Command::kRD;
      if (spec_.controller.row_policy == RowPolicy::kClosed &&
          !row_wanted(ch, b.bank, b.addr.row, &b)) {
        x.cmd = b.write ? Command::kWRA : Command::kRDA;
      }
    } else if (bank.open_row < 0) {
      x.cmd = Command::kACT;
    } else {
      if (!fcfs && hit_stamp_[b.bank] == stamp_) continue;  // let the open row's hits go first
      x.cmd = Command::kPRE;
    }
    x.at = std::max({timing_.earliest(x.cmd, b.addr), bus_ready(ch, x.cmd), b.arrival, ch.clk});
    if (x.at <= ch.clk) {
      if (x.hit && !oldest_ready_hit.valid) oldest_ready_hit = x;
      if (!oldest_ready.valid) oldest_ready = x;
      if (oldest_ready_hit.valid) break;
    }
    if (x.at < soonest.at) soonest = x;
  }
  if (oldest_ready_hit.valid) return oldest_ready_hit;
  if (oldest_ready.valid) return oldest_ready;
  return soonest;
}

DetailedEngine::Choice DetailedEngine::timeout_choice(std::size_t c, const Channel& ch) const {
  Choice best;
  best.at = kNever;
  if (spec_.controller.row_policy != RowPolicy::kTimeout) return best;
  const std::uint64_t first = c * banks_per_channel_;
  for (std::uint64_t b = first; b < first + banks_per_channel_; ++b) {
    if (banks_[b].open_row < 0 || hit_stamp_[b] == stamp_) continue;
    DramAddress a;
    std::uint64_t rest = b;
    for (std::size_t l = kLevels; l-- > 0;) {
      a.at[l] = static_cast<std::uint32_t>(rest % spec_.org.count[l]);
      rest /= spec_.org.count[l];
    }
    const Cycle at =
        std::max({banks_[b].last_column + spec_.controller.row_timeout,
                  timing_.earliest(Command::kPRE, a), bus_ready(ch, Command::kPRE), ch.clk});
    if (at < best.at) {
      best.valid = true;
      best.at = at;
      best.cmd = Command::kPRE;
      best.burst = b;
    }
  }
  return best;
}

void DetailedEngine::issue_refresh(std::size_t c, Channel& ch, const Choice& x) {
  Scope& s = ch.scopes[x.burst];
  const DramAddress scope = scope_address(c, x.burst);
  const std::uint64_t first_bank = (c * scopes_per_channel_ + x.burst) * banks_per_scope_;
  note_command(ch, x.cmd, x.at);
  if (x.cmd == Command::kPREA) {
    for (std::uint64_t b = first_bank; b < first_bank + banks_per_scope_; ++b) {
      banks_[b].open_row = -1;
    }
    timing_.issue(x.cmd, scope, x.at);
    return;
  }
  if (x.cmd == Command::kREFab) {
    timing_.issue(x.cmd, scope, x.at);
    s.due += spec_.refresh.interval;
    counters_.refresh_cycles += static_cast<std::uint64_t>(spec_.refresh.duration);
    return;
  }
  DramAddress ba = scope;
  std::uint64_t rest = s.next_bank;
  for (std::size_t l = kLevels; l-- > index(spec_.refresh.level) + 1;) {
    ba.at[l] = static_cast<std::uint32_t>(rest % spec_.org.count[l]);
    rest /= spec_.org.count[l];
  }
  timing_.issue(x.cmd, ba, x.at);
  if (x.cmd == Command::kPRE) {
    banks_[first_bank + s.next_bank].open_row = -1;
    return;
  }
  s.next_bank = static_cast<std::uint32_t>((s.next_bank + 1) % banks_per_scope_);
  s.due += spec_.refresh.per_bank_interval;
  counters_.refresh_cycles += static_cast<std::uint64_t>(spec_.refresh.per_bank_duration);
}

void DetailedEngine::issue_burst(std::size_t c, Channel& ch, std::deque<Burst>& q,
                                 const Choice& x) {
  Burst& b = q[x.burst];
  Bank& bank = banks_[b.bank];
  timing_.issue(x.cmd, b.addr, x.at);
  note_command(ch, x.cmd, x.at);
  if (x.cmd == Command::kACT) {
    bank.open_row = b.addr.row;
    b.activated = true;
    return;
  }
  if (x.cmd == Command::kPRE) {
    bank.open_row = -1;
    b.precharged = true;
    return;
  }
  if (b.precharged) {
    ++counters_.row_conflicts;
  } else if (b.activated) {
    ++counters_.row_misses;
  } else {
    ++counters_.row_hits;
  }
  bank.last_column = x.at;
  if (x.cmd == Command::kRDA || x.cmd == Command::kWRA) bank.open_row = -1;
  const Cycle start = x.at + (b.write ? spec_.write_latency : spec_.read_latency);
  const Cycle end = start + spec_.burst_cycles;
  Tracking& t = requests_[b.request];
  t.first = std::min(t.first, start);
  t.last = std::max(t.last, end);
  --t.remaining;
  record_data(c, spec_.cycles(start), spec_.cycles(end), spec_.burst_bytes.count(), b.write);
  q.erase(q.begin() + static_cast<std::ptrdiff_t>(x.burst));
}

bool DetailedEngine::step(std::size_t c) {
  Channel& ch = channels_[c];
  for (;;) {
    if (!busy(ch)) return false;
    admit(ch);
    const Choice r = refresh_choice(c, ch);
    if (r.valid && r.at <= ch.clk) {
      issue_refresh(c, ch, r);
      return true;
    }
    if (ch.draining) {
      if (ch.writes.empty() ||
          (ch.writes.size() <= spec_.controller.write_low && !ch.reads.empty())) {
        ch.draining = false;
      }
    } else if (ch.writes.size() >= spec_.controller.write_high ||
               (ch.reads.empty() && !ch.writes.empty())) {
      ch.draining = true;
    }
    std::deque<Burst>& q = ch.draining ? ch.writes : ch.reads;
    const Choice b = burst_choice(c, ch, q);
    if (b.valid && b.at <= ch.clk) {
      issue_burst(c, ch, q, b);
      return true;
    }
    const Choice t = timeout_choice(c, ch);
    if (t.valid && t.at <= ch.clk) {
      DramAddress a;
      std::uint64_t rest = t.burst;
      for (std::size_t l = kLevels; l-- > 0;) {
        a.at[l] = static_cast<std::uint32_t>(rest % spec_.org.count[l]);
        rest /= spec_.org.count[l];
      }
      timing_.issue(Command::kPRE, a, t.at);
      note_command(ch, Command::kPRE, t.at);
      banks_[t.burst].open_row = -1;
      return true;
    }
    Cycle next = kNever;
    if (r.valid) next = std::min(next, r.at);
    if (b.valid) next = std::min(next, b.at);
    if (t.valid) next = std::min(next, t.at);
    if (!ch.pending.empty() && ch.pending.front().arrival > ch.clk) {
      next = std::min(next, ch.pending.front().arrival);
    }
    for (const Scope& s : ch.scopes) {
      if (s.due > ch.clk) next = std::min(next, s.due);
    }
    if (next == kNever || next <= ch.clk) {
      // Nothing schedulable now or later: only possible with an empty active queue while the
      // other queue waits; switch queues by advancing one cycle.
      ++ch.clk;
      continue;
    }
    ch.clk = next;
  }
}

}  // namespace tiersim::models::dram
