#include "models/dram/fast_engine.h"

#include <algorithm>
#include <limits>

namespace tiersim::models::dram {

namespace {
constexpr Cycle kNever = std::numeric_limits<Cycle>::max();
constexpr std::uint64_t kSmallRequestBursts = 16;
// Above this many bursts on one data bus, a request's columns are timed as one train.
constexpr std::uint64_t kTrainBursts = 16;
}  // namespace

FastEngine::FastEngine(const DramSpec& spec, const AddressMapping& mapping)
    : spec_(spec),
      mapping_(mapping),
      timing_spec_(timing_table(spec, act_rules_)),
      timing_(timing_spec_),
      columns_(spec),
      banks_(spec.nodes(Level::kBank)),
      scopes_(spec.nodes(spec.refresh.level)),
      last_col_(spec.nodes(spec.data_bus_level), 0),
      read_queue_(spec.count(Level::kChannel)),
      write_queue_(spec.count(Level::kChannel)),
      admitted_(spec.count(Level::kChannel), 0),
      batch_(spec.count(Level::kChannel)),
      read_act_end_(spec.count(Level::kChannel), 0),
      batch_bursts_(std::max<std::uint64_t>(
          1, spec.controller.write_high -
                 std::min(spec.controller.write_low, spec.controller.write_high))),
      banks_per_scope_(spec.nodes(Level::kBank) / spec.nodes(spec.refresh.level)),
      window_bursts_(std::max<std::uint64_t>(
          1, spec.controller.read_queue /
                 (2 * spec.count(Level::kPseudoChannel) * spec.count(Level::kBankGroup)))) {
  counters_.bytes_read.assign(spec.count(Level::kChannel), 0);
  counters_.bytes_written.assign(spec.count(Level::kChannel), 0);
  const Cycle first_due = spec.refresh.mode == RefreshMode::kPerBank
                              ? spec.refresh.per_bank_interval
                              : spec.refresh.interval;
  for (Scope& s : scopes_) s.due = spec.refresh.mode == RefreshMode::kNone ? kNever : first_due;
  std::size_t lowest = mapping.digits().size();
  for (Field f : {Field::kRow, Field::kBank, Field::kRank}) {
    for (std::size_t k = 0; k < mapping.digits().size(); ++k) {
      if (mapping.digits()[k].field == f) lowest = std::min(lowest, k);
    }
  }
  block_position_ = lowest;
  runs_.reserve(256);
  // Reordering window: the ACTs a pseudo channel's share of the read queue holds (one burst
  // each, the random worst case) at the densest ACT rate the rules allow.
  Cycle act_spacing = 1;
  for (const ActRule& r : act_rules_) {
    act_history_[index(r.level)].resize(spec.nodes(r.level));
    act_horizon_ = std::max(act_horizon_, r.cycles);
    act_spacing = std::max(act_spacing, r.cycles / static_cast<Cycle>(r.window));
  }
  act_window_ = static_cast<Cycle>(spec.controller.read_queue / spec.count(Level::kPseudoChannel)) *
                act_spacing;
  // Columns reach back as far as ACTs do, plus the ACT-to-column delay.
  columns_.set_horizon(act_window_ + std::max(spec.gap(Command::kACT, Command::kRD, kLevels),
                                              spec.gap(Command::kACT, Command::kWR, kLevels)));
  lockstep_possible_ = spec.count(Level::kChannel) > 1 && !timing_.couples_channels();
  lockstep_ = lockstep_possible_;
  ch_pos_.assign(spec.count(Level::kChannel), 0);
  ch0_runs_.reserve(256);
}

bool FastEngine::runs_symmetric() {
  // Channel c's runs, in order, must be channel 0's with the channel index c.
  ch0_runs_.clear();
  for (std::size_t k = 0; k < runs_.size(); ++k) {
    if (runs_[k].addr[Level::kChannel] == 0) ch0_runs_.push_back(k);
  }
  if (ch0_runs_.empty() || runs_.size() != ch0_runs_.size() * ch_pos_.size()) return false;
  std::fill(ch_pos_.begin(), ch_pos_.end(), 0);
  for (const Run& r : runs_) {
    const std::uint32_t c = r.addr[Level::kChannel];
    if (c == 0) continue;
    const Run& m = runs_[ch0_runs_[ch_pos_[c]++]];
    DramAddress a = r.addr;
    a[Level::kChannel] = 0;
    if (r.bursts != m.bursts || a.row != m.addr.row || a.at != m.addr.at) return false;
  }
  return true;
}

void FastEngine::leave_lockstep() {
  lockstep_ = false;
  const std::uint64_t channels = spec_.count(Level::kChannel);
  const auto copy_range = [&](auto& v) {
    const std::size_t per = v.size() / channels;
    for (std::uint64_t c = 1; c < channels; ++c) {
      std::copy_n(v.begin(), per, v.begin() + static_cast<std::ptrdiff_t>(c * per));
    }
  };
  copy_range(banks_);
  copy_range(scopes_);
  copy_range(last_col_);
  for (auto& per_level : act_history_) {
    if (!per_level.empty()) copy_range(per_level);
  }
  for (std::uint64_t c = 1; c < channels; ++c) {
    timing_.copy_channel(0, c);
    read_queue_[c] = read_queue_[0];
    write_queue_[c] = write_queue_[0];
    admitted_[c] = admitted_[0];
    batch_[c] = batch_[0];
    read_act_end_[c] = read_act_end_[0];
  }
  const std::uint64_t buses = spec_.nodes(spec_.data_bus_level) / channels;
  for (std::uint64_t c = 1; c < channels; ++c) {
    for (std::uint64_t u = 0; u < buses; ++u) {
      columns_.copy_bus(u, c * buses + u, static_cast<std::uint32_t>(c));
    }
  }
}

DramSpec FastEngine::timing_table(const DramSpec& spec, std::vector<ActRule>& out) {
  DramSpec s = spec;
  const CommandMask act = bit(Command::kACT);
  const CommandMask cols =
      bit(Command::kRD) | bit(Command::kWR) | bit(Command::kRDA) | bit(Command::kWRA);
  std::vector<Constraint> kept;
  for (const Constraint& in : spec.constraints) {
    // Column to column: the ColumnTimeline keeps these (from the gap table).
    if ((in.from & cols) != 0 && (in.to & cols) != 0) {
      if ((in.from & ~cols) != 0) {  // other `from` commands keep the whole rule
        Constraint others = in;
        others.from = static_cast<CommandMask>(in.from & ~cols);
        kept.push_back(others);
      }
      if ((in.to & ~cols) != 0) {  // columns keep the rule towards the other `to` commands
        Constraint rest = in;
        rest.from = static_cast<CommandMask>(in.from & cols);
        rest.to = static_cast<CommandMask>(in.to & ~cols);
        kept.push_back(rest);
      }
      continue;
    }
    const Constraint& c = in;
    if ((c.from & act) == 0 || (c.to & act) == 0 || c.sibling || c.level == Level::kBank) {
      kept.push_back(c);
      continue;
    }
    out.push_back({c.level, c.cycles, c.window});
    if (c.from != act) {  // the other `from` commands keep the whole rule
      Constraint others = c;
      others.from = static_cast<CommandMask>(c.from & ~act);
      kept.push_back(others);
    }
    if (c.to != act) {  // ACT keeps the rule towards the other `to` commands
      Constraint rest = c;
      rest.from = act;
      rest.to = static_cast<CommandMask>(c.to & ~act);
      kept.push_back(rest);
    }
  }
  s.constraints = std::move(kept);
  return s;
}

Cycle FastEngine::place_act(const DramAddress& a, Cycle from, Cycle horizon_floor) {
  // Reordering reaches back at most act_window_ cycles before the newest ACT (the queue depth).
  Cycle c = from;
  for (std::size_t l = 0; l < kLevels; ++l) {
    if (act_history_[l].empty()) continue;
    const std::vector<Cycle>& v = act_history_[l][timing_.node(level_at(l), a)];
    if (!v.empty()) c = std::max(c, v.back() - act_window_);
  }
  for (bool moved = true; moved;) {
    moved = false;
    for (const ActRule& r : act_rules_) {
      const std::vector<Cycle>& v = act_history_[index(r.level)][timing_.node(r.level, a)];
      if (r.window <= 1) {
        // No recorded ACT within `cycles` on either side.
        const auto it = std::upper_bound(v.begin(), v.end(), c - r.cycles);
        if (it != v.end() && *it < c + r.cycles) {
          c = *it + r.cycles;
          moved = true;
        }
        continue;
      }
      // Any window + 1 consecutive ACTs (with c among them) span at least `cycles`.
      const auto p =
          static_cast<std::ptrdiff_t>(std::upper_bound(v.begin(), v.end(), c) - v.begin());
      const auto n = static_cast<std::ptrdiff_t>(v.size());
      const auto w = static_cast<std::ptrdiff_t>(r.window);
      const auto at = [&](std::ptrdiff_t i) { return i < p ? v[i] : i == p ? c : v[i - 1]; };
      for (std::ptrdiff_t s = std::max<std::ptrdiff_t>(0, p - w); s <= p && s + w <= n; ++s) {
        if (at(s + w) - at(s) >= r.cycles) continue;
        c = s < p ? v[s] + r.cycles : v[p];  // past the window's first ACT, or past the next one
        moved = true;
        break;
      }
    }
  }
  for (std::size_t l = 0; l < kLevels; ++l) {  // one list per level, shared by its rules
    if (act_history_[l].empty()) continue;
    std::vector<Cycle>& v = act_history_[l][timing_.node(level_at(l), a)];
    std::size_t old = 0;
    const Cycle floor = std::max(horizon_floor, v.empty() ? 0 : v.back() - act_window_);
    while (old < v.size() && v[old] < floor - act_horizon_) ++old;
    v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(old));
    v.insert(std::upper_bound(v.begin(), v.end(), c), c);
  }
  return c;
}

DramAddress FastEngine::bank_address(std::uint64_t bank) const {
  DramAddress a;
  for (std::size_t l = kLevels; l-- > 0;) {
    a.at[l] = static_cast<std::uint32_t>(bank % spec_.org.count[l]);
    bank /= spec_.org.count[l];
  }
  return a;
}

void FastEngine::add_run(std::uint64_t unit, const DramAddress& a, std::uint64_t n) {
  for (Run& r : runs_) {
    if (r.unit == unit && r.addr.row == a.row && r.addr.at == a.at) {
      r.bursts += n;
      return;
    }
  }
  runs_.push_back({unit, a, n, 0});
}

void FastEngine::split_small(std::uint64_t first, std::uint64_t n) {
  for (std::uint64_t i = 0; i < n; ++i) {
    const DramAddress a = mapping_.decode((first + i) % mapping_.bursts());
    add_run(timing_.node(spec_.data_bus_level, a), a, 1);
  }
}

namespace {
// Numbers x in [lo, hi) with x % period == residue.
std::uint64_t count_congruent(std::uint64_t lo, std::uint64_t hi, std::uint64_t residue,
                              std::uint64_t period) {
  const auto below = [&](std::uint64_t n) { return n / period + (n % period > residue ? 1 : 0); };
  return below(hi) - below(lo);
}
}  // namespace

void FastEngine::split_blocks(std::uint64_t first, std::uint64_t n, bool channel0_only) {
  // Inside one block (all digits below the lowest of Ro, Ba, Ra) the row and bank are fixed per
  // (channel, pseudo channel, bank group): count each combination's bursts in closed form.
  const auto& digits = mapping_.digits();
  const std::uint64_t block =
      block_position_ < digits.size() ? digits[block_position_].place : mapping_.bursts();
  std::array<Field, 3> enum_fields{};
  std::array<std::uint64_t, 3> radix{};
  std::size_t ne = 0;
  for (Field f : {Field::kChannel, Field::kPseudoChannel, Field::kBankGroup}) {
    const auto& d = mapping_.digit_of(f);
    if (d.place < block && d.radix > 1) {
      enum_fields[ne] = f;
      radix[ne] = d.radix;
      ++ne;
    }
  }
  AddressMapping::FieldMask fixed{};
  for (std::size_t k = 0; k < ne; ++k) fixed[static_cast<std::size_t>(enum_fields[k])] = true;
  // Values enumerated per field: channel 0 only when the other channels mirror it (lockstep).
  std::array<std::uint64_t, 3> limit = radix;
  for (std::size_t k = 0; k < ne; ++k) {
    if (channel0_only && enum_fields[k] == Field::kChannel) limit[k] = 1;
  }
  // When the enumerated fields are the lowest digits, a combination is a residue modulo their
  // product: count it in O(1) instead of digit by digit.
  std::uint64_t period = 1;
  bool low_fields = true;
  for (std::size_t k = 0; k < ne; ++k) {
    const auto& d = mapping_.digit_of(enum_fields[k]);
    low_fields = low_fields && d.place < block;
    period *= d.radix;
  }
  for (std::size_t k = 0; k < digits.size() && k < ne; ++k) {
    low_fields = low_fields && fixed[static_cast<std::size_t>(digits[k].field)];
  }
  const std::uint64_t end = first + n;
  for (std::uint64_t blk = first / block; blk * block < end; ++blk) {
    const std::uint64_t lo = std::max(first, blk * block);
    const std::uint64_t hi = std::min(end, (blk + 1) * block);
    const std::uint64_t key = (blk * block) % mapping_.bursts();
    std::array<std::uint64_t, 3> v{};
    for (;;) {
      AddressMapping::FieldValues values{};
      std::uint64_t combo = 0;
      for (std::size_t k = 0; k < ne; ++k) {
        values[static_cast<std::size_t>(enum_fields[k])] = v[k];
        combo += v[k] * mapping_.digit_of(enum_fields[k]).place;
      }
      const std::uint64_t count = low_fields ? count_congruent(lo, hi, combo, period)
                                             : mapping_.count(lo, hi, values, fixed);
      if (count > 0) {
        DramAddress a;
        const auto digit = [&](Field f) {
          const std::size_t i = static_cast<std::size_t>(f);
          return static_cast<std::uint32_t>(fixed[i] ? values[i] : mapping_.digit(key, f));
        };
        a[Level::kChannel] = digit(Field::kChannel);
        a[Level::kPseudoChannel] = digit(Field::kPseudoChannel);
        a[Level::kRank] = digit(Field::kRank);
        a[Level::kBankGroup] = digit(Field::kBankGroup);
        a[Level::kBank] = digit(Field::kBank);
        a.row = digit(Field::kRow);
        mapping_.hash(a);
        runs_.push_back({timing_.node(spec_.data_bus_level, a), a, count, blk});
      }
      bool done = true;  // advance the mixed counter, last field fastest
      for (std::size_t k = ne; k-- > 0;) {
        if (++v[k] < limit[k]) {
          done = false;
          break;
        }
        v[k] = 0;
      }
      if (done) break;
    }
  }
}

void FastEngine::catch_up_refresh(std::uint64_t scope, Cycle until) {
  Scope& s = scopes_[scope];
  const std::uint64_t first_bank = scope * banks_per_scope_;
  DramAddress sa = bank_address(first_bank);
  for (std::size_t l = index(spec_.refresh.level) + 1; l < kLevels; ++l) sa.at[l] = 0;
  while (s.due <= until) {
    if (spec_.refresh.mode == RefreshMode::kAllBank) {
      Cycle pre = s.due;
      bool open = false;
      for (std::uint64_t b = first_bank; b < first_bank + banks_per_scope_; ++b) {
        if (banks_[b].open_row < 0) continue;
        open = true;
        pre = std::max(pre, timing_.earliest(Command::kPRE, bank_address(b)));
        banks_[b].open_row = -1;
        banks_[b].prev_row = -1;
      }
      if (open) {
        timing_.issue(Command::kPREA, sa, pre);
        ++counters_.commands[index(Command::kPREA)];
      }
      const Cycle ref = std::max(s.due, timing_.earliest(Command::kREFab, sa));
      timing_.issue(Command::kREFab, sa, ref);
      ++counters_.commands[index(Command::kREFab)];
      counters_.refresh_cycles += static_cast<std::uint64_t>(spec_.refresh.duration);
      s.due += spec_.refresh.interval;
    } else {
      const std::uint64_t b = first_bank + s.next_bank;
      const DramAddress ba = bank_address(b);
      Cycle at = s.due;
      if (banks_[b].open_row >= 0) {
        at = std::max(at, timing_.earliest(Command::kPRE, ba));
        timing_.issue(Command::kPRE, ba, at);
        ++counters_.commands[index(Command::kPRE)];
        banks_[b].open_row = -1;
        banks_[b].prev_row = -1;
      }
      at = std::max(at, timing_.earliest(Command::kREFpb, ba));
      timing_.issue(Command::kREFpb, ba, at);
      ++counters_.commands[index(Command::kREFpb)];
      counters_.refresh_cycles += static_cast<std::uint64_t>(spec_.refresh.per_bank_duration);
      s.next_bank = static_cast<std::uint32_t>((s.next_bank + 1) % banks_per_scope_);
      s.due += spec_.refresh.per_bank_interval;
    }
  }
}

Cycle FastEngine::admit(std::size_t channel, bool write, Cycle t0) {
  // In-order admission (reads and writes share one arrival queue, as in the detailed
  // controller): a request enters the channel's read or write queue when the queue has a free
  // entry; an entry frees when its burst's column command issues. The request's later bursts are
  // taken to follow as entries free (they stream behind its first).
  std::vector<Cycle>& q = (write ? write_queue_ : read_queue_)[channel];
  const std::size_t cap = write ? spec_.controller.write_queue : spec_.controller.read_queue;
  Cycle t = std::max(t0, admitted_[channel]);
  while (!q.empty() && (q.size() >= cap || q.front() <= t)) {
    t = std::max(t, q.front());
    std::pop_heap(q.begin(), q.end(), std::greater<>());
    q.pop_back();
  }
  admitted_[channel] = t;
  queue_ = &q;
  queue_cap_ = cap;
  // Write draining: a channel serves writes in batches of (high - low watermark) bursts, and no
  // read while a batch drains. A batch starts once the ACTs already placed for reads on the
  // channel are issued; later writes join it until it is full; reads wait for its last column.
  if (!write) return std::max(t, batch_[channel].end);
  WriteBatch& w = batch_[channel];
  if (w.bursts == 0 || w.bursts + channel_bursts_ > batch_bursts_) {
    w.start = std::max(t, read_act_end_[channel]);
    w.bursts = 0;
  }
  w.bursts += channel_bursts_;
  return std::max(t, w.start);
}

void FastEngine::depart(Cycle at) {
  // Only the latest `cap` departures can matter to the next admission.
  std::vector<Cycle>& q = *queue_;
  if (q.size() >= queue_cap_) {
    if (at <= q.front()) return;
    std::pop_heap(q.begin(), q.end(), std::greater<>());
    q.back() = at;
  } else {
    q.push_back(at);
  }
  std::push_heap(q.begin(), q.end(), std::greater<>());
}

void FastEngine::schedule_group(std::size_t begin, std::size_t end, bool write, Cycle t0) {
  const std::uint64_t unit = runs_[begin].unit;
  const std::size_t channel = runs_[begin].addr[Level::kChannel];
  std::uint64_t total = 0;
  for (std::size_t k = begin; k < end; ++k) total += runs_[k].bursts;
  if (spec_.refresh.mode != RefreshMode::kNone) {
    const Cycle estimate =
        std::max(t0, last_col_[unit]) + static_cast<Cycle>(total) * spec_.burst_cycles;
    for (std::size_t k = begin; k < end; ++k) {
      catch_up_refresh(timing_.node(spec_.refresh.level, runs_[k].addr), estimate);
    }
  }
  const Command col = write ? Command::kWR : Command::kRD;
  const Cycle g_other_bg =
      std::max(spec_.gap(col, col, index(Level::kBankGroup)), spec_.burst_cycles);
  const Cycle g_same_bank = std::max(spec_.gap(col, col, kLevels), spec_.burst_cycles);
  const bool closed = spec_.controller.row_policy == RowPolicy::kClosed;
  Cycle first_ready = kNever;
  const Cycle switch_cycles = spec_.gap(Command::kRD, Command::kPRE, kLevels) +
                              spec_.gap(Command::kPRE, Command::kACT, kLevels) +
                              spec_.gap(Command::kACT, col, kLevels);
  // Row commands, run by run, at their earliest legal cycles; columns joining a closing row are
  // placed at once, the others below.
  std::array<Cycle, 64> ready_small{};  // per run (later runs: the first ready cycle)
  Cycle data_first = kNever;
  Cycle data_last = 0;
  for (std::size_t k = begin; k < end; ++k) {
    Run& r = runs_[k];
    const std::uint64_t b = timing_.node(Level::kBank, r.addr);
    Bank& bank = banks_[b];
    if (bank.open_row >= 0 && spec_.controller.row_policy == RowPolicy::kTimeout &&
        bank.last_column + spec_.controller.row_timeout < t0) {
      const Cycle pre = std::max(bank.last_column + spec_.controller.row_timeout,
                                 timing_.earliest(Command::kPRE, r.addr));
      timing_.issue(Command::kPRE, r.addr, pre);
      ++counters_.commands[index(Command::kPRE)];
      bank.open_row = -1;
    }
    const auto row = static_cast<std::int64_t>(r.addr.row);
    if (spec_.controller.scheduler == Scheduler::kFrFcfs && bank.open_row != row &&
        bank.prev_row == row && t0 < bank.prev_close && bank.joined + r.bursts <= window_bursts_) {
      // Served before the queued switch, as hits to the row still open at arrival.
      counters_.row_hits += r.bursts;
      const Cycle at = std::max(t0, bank.prev_last + g_same_bank);
      const auto [first, last] = place_columns(unit, col, r.addr, r.bursts, at, false);
      timing_.issue(col, r.addr, last);
      counters_.commands[index(col)] += r.bursts;
      const Cycle slide = std::max<Cycle>(last - bank.prev_last, 0);
      bank.prev_last = last;
      bank.joined += r.bursts;
      bank.prev_close += slide;
      bank.session_floor = std::max(bank.session_floor, last + switch_cycles);
      data_first = std::min(data_first, first);
      data_last = std::max(data_last, last);
      r.bursts = 0;  // issued: skipped by the column placement below
      continue;
    }
    if (bank.open_row == row) {
      counters_.row_hits += r.bursts;
    } else {
      Cycle at = t0;
      if (bank.open_row >= 0) {
        at = std::max(t0, timing_.earliest(Command::kPRE, r.addr));
        timing_.issue(Command::kPRE, r.addr, at);
        bank.prev_row = bank.open_row;
        bank.prev_close = at;
        bank.prev_last = bank.last_column;
        bank.joined = 0;
        ++counters_.commands[index(Command::kPRE)];
        ++counters_.row_conflicts;
      } else {
        ++counters_.row_misses;
      }
      counters_.row_hits += r.bursts - 1;
      at = place_act(r.addr, std::max(at, timing_.earliest(Command::kACT, r.addr)), t0);
      timing_.issue(Command::kACT, r.addr, at);
      if (!write) read_act_end_[channel] = std::max(read_act_end_[channel], at);
      ++counters_.commands[index(Command::kACT)];
      bank.open_row = r.addr.row;
    }
    const Cycle ready = std::max({t0, timing_.earliest(col, r.addr), bank.session_floor});
    if (k - begin < ready_small.size()) ready_small[k - begin] = ready;
    first_ready = std::min(first_ready, ready);
  }
  const Command last_cmd = closed ? (write ? Command::kWRA : Command::kRDA) : col;
  if (total <= kTrainBursts) {
    // Burst by burst on the bus's column timeline: each takes the earliest legal gap.
    for (std::size_t k = begin; k < end; ++k) {
      Run& r = runs_[k];
      if (r.bursts == 0) continue;
      const auto [first, last] =
          place_columns(unit, col, r.addr, r.bursts, ready_small[k - begin], closed);
      finish_run(r, last_cmd, last);
      data_first = std::min(data_first, first);
      data_last = std::max(data_last, last);
    }
  } else if (first_ready != kNever) {
    // A long stream: one interleaved train after every recorded column, in closed form — data
    // bus / tCCD_S across bank groups, tCCD_L within a bank.
    std::size_t head = begin;
    while (runs_[head].bursts == 0) ++head;
    const Cycle newest = columns_.newest(unit);
    first_ready = columns_.place(
        unit, col, runs_[head].addr,
        newest == ColumnTimeline::kNone ? first_ready : std::max(first_ready, newest + 1));
    std::uint64_t left = 0;
    Cycle stream_end = 0;
    for (std::size_t k = begin; k < end; ++k) {
      const Run& r = runs_[k];
      if (r.bursts == 0) continue;
      left += r.bursts;
      const Cycle ready =
          std::max(first_ready, k - begin < ready_small.size() ? ready_small[k - begin] : 0);
      stream_end = std::max(stream_end, ready + static_cast<Cycle>(r.bursts - 1) * g_same_bank);
    }
    stream_end = std::max(stream_end, first_ready + static_cast<Cycle>(left - 1) * g_other_bg);
    const std::size_t groups = end - begin;
    std::size_t tail = begin;
    for (std::size_t k = begin; k < end; ++k) {
      Run& r = runs_[k];
      if (r.bursts == 0) continue;
      tail = k;
      const std::size_t i = k - begin;
      const Cycle ready = std::max(first_ready, i < ready_small.size() ? ready_small[i] : 0);
      Cycle last = std::max(ready + static_cast<Cycle>(r.bursts - 1) * g_same_bank,
                            stream_end - static_cast<Cycle>(groups - 1 - i) * g_other_bg);
      finish_run(r, last_cmd, std::min(last, stream_end));
    }
    columns_.record_train(unit, last_cmd, runs_[tail].addr, first_ready, stream_end, g_other_bg);
    const std::uint64_t kept = std::min<std::uint64_t>(
        left, write ? spec_.controller.write_queue : spec_.controller.read_queue);
    for (std::uint64_t i = 0; i < kept; ++i) {  // the queue entries it holds last (<= capacity)
      depart(stream_end - static_cast<Cycle>(i) * g_other_bg);
    }
    data_first = std::min(data_first, first_ready);
    data_last = std::max(data_last, stream_end);
  }
  last_col_[unit] = std::max(last_col_[unit], data_last);
  if (write) batch_[channel].end = std::max(batch_[channel].end, data_last);
  const Cycle lat = write ? spec_.write_latency : spec_.read_latency;
  first_ = std::min(first_, data_first + lat);
  last_ = std::max(last_, data_last + lat + spec_.burst_cycles);
  const std::size_t channels = lockstep_ ? spec_.count(Level::kChannel) : channel + 1;
  for (std::size_t c = lockstep_ ? 0 : channel; c < channels; ++c) {  // mirrors: the same data
    record_data(c, spec_.cycles(data_first + lat),
                spec_.cycles(data_last + lat + spec_.burst_cycles),
                total * spec_.burst_bytes.count(), write);
  }
}

std::pair<Cycle, Cycle> FastEngine::place_columns(std::uint64_t unit, Command col,
                                                  const DramAddress& a, std::uint64_t n, Cycle from,
                                                  bool auto_pre) {
  const Command last_cmd = is_write(col) ? Command::kWRA : Command::kRDA;
  Cycle c = from;
  Cycle first = kNever;
  for (std::uint64_t i = 0; i < n; ++i) {
    const Command cmd = auto_pre && i + 1 == n ? last_cmd : col;
    c = columns_.place(unit, cmd, a, c);
    columns_.record(unit, cmd, a, c);
    depart(c);
    first = std::min(first, c);
  }
  return {first, c};
}

void FastEngine::finish_run(const Run& r, Command last_cmd, Cycle last) {
  // The bank-level rules (tRTP, tWR, auto-precharge) count from the run's last column.
  Bank& bank = banks_[timing_.node(Level::kBank, r.addr)];
  timing_.issue(last_cmd, r.addr, last);
  counters_.commands[index(last_cmd)] += 1;
  const Command col = is_write(last_cmd) ? Command::kWR : Command::kRD;
  counters_.commands[index(col)] += r.bursts - 1;
  bank.last_column = last;
  if (last_cmd == Command::kRDA || last_cmd == Command::kWRA) bank.open_row = -1;
}

DramResult FastEngine::serve(const DramRequest& r) {
  const std::uint64_t bb = spec_.burst_bytes.count();
  const std::uint64_t offset = r.address % bb;
  const std::uint64_t n = std::max<std::uint64_t>(1, (offset + r.bytes.count() + bb - 1) / bb);
  const std::uint64_t first = mapping_.burst_index(r.address);
  const Cycle t0 =
      (r.arrival.ps() + spec_.tck.ps() - 1) / spec_.tck.ps() + spec_.controller.front_latency;
  runs_.clear();
  // Whole stripes over the channels (the channel the lowest digit, the range aligned to the
  // channel count) give every channel the same runs: in lockstep only channel 0's are built.
  const std::uint64_t channels = spec_.count(Level::kChannel);
  const auto& ch_digit = mapping_.digit_of(Field::kChannel);
  const bool stripes = lockstep_ && n > kSmallRequestBursts && first + n <= mapping_.bursts() &&
                       ch_digit.place == 1 && ch_digit.radix == channels && first % channels == 0 &&
                       n % channels == 0;
  if (stripes) {
    split_blocks(first, n, true);
  } else if (n <= kSmallRequestBursts || first + n > mapping_.bursts()) {
    split_small(first, n);
    // Group runs by unit, keeping first-appearance order otherwise.
    std::stable_sort(runs_.begin(), runs_.end(),
                     [](const Run& a, const Run& b) { return a.unit < b.unit; });
  } else {
    split_blocks(first, n, false);
  }
  if (!stripes) {  // channel 0 only (stripes): one segment per block, set by split_blocks
    std::uint64_t seg = 0;
    for (std::size_t k = 1; k < runs_.size(); ++k) {
      if (runs_[k].addr[Level::kChannel] != runs_[k - 1].addr[Level::kChannel]) ++seg;
      runs_[k].segment = seg;
    }
    if (!runs_.empty()) runs_[0].segment = 0;
  }
  if (lockstep_ && !stripes && !runs_symmetric()) leave_lockstep();
  std::array<std::uint64_t, kCommands> before_cmds{};
  std::array<std::uint64_t, 4> before{};
  if (lockstep_) {
    before_cmds = counters_.commands;
    before = {counters_.row_hits, counters_.row_misses, counters_.row_conflicts,
              counters_.refresh_cycles};
    // Only channel 0's runs are timed; the others mirror them.
    if (!stripes) std::erase_if(runs_, [](const Run& x) { return x.addr[Level::kChannel] != 0; });
  }
  first_ = kNever;
  last_ = 0;
  // Blocks emit runs unit by unit; consecutive runs of one unit form one interleaved group.
  std::size_t begin = 0;
  std::uint64_t segment = std::numeric_limits<std::uint64_t>::max();
  Cycle t_channel = t0;
  for (std::size_t k = 1; k <= runs_.size(); ++k) {
    if (k == runs_.size() || runs_[k].unit != runs_[begin].unit ||
        runs_[k].segment != runs_[begin].segment) {
      if (runs_[begin].segment != segment) {
        // A new segment: admit the channel's bursts of it (its runs are adjacent).
        segment = runs_[begin].segment;
        channel_bursts_ = 0;
        for (std::size_t j = begin; j < runs_.size() && runs_[j].segment == segment; ++j) {
          channel_bursts_ += runs_[j].bursts;
        }
        t_channel = admit(runs_[begin].addr[Level::kChannel], r.write, t0);
      }
      schedule_group(begin, k, r.write, t_channel);
      begin = k;
    }
  }
  if (lockstep_) {
    const auto mirrors = spec_.count(Level::kChannel) - 1;
    for (std::size_t c = 0; c < kCommands; ++c) {
      counters_.commands[c] += (counters_.commands[c] - before_cmds[c]) * mirrors;
    }
    counters_.row_hits += (counters_.row_hits - before[0]) * mirrors;
    counters_.row_misses += (counters_.row_misses - before[1]) * mirrors;
    counters_.row_conflicts += (counters_.row_conflicts - before[2]) * mirrors;
    counters_.refresh_cycles += (counters_.refresh_cycles - before[3]) * mirrors;
  }
  if (r.write) return {spec_.cycles(last_), spec_.cycles(last_)};
  return {spec_.cycles(first_), spec_.cycles(last_)};
}

}  // namespace tiersim::models::dram
