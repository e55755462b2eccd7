#include "models/flash/detailed_array.h"

#include <algorithm>
#include <utility>

namespace tiersim::models::flash {

namespace {
bool later(const auto& a, const auto& b) {
  return a.t != b.t ? a.t > b.t : a.seq > b.seq;
}
}  // namespace

DetailedFlash::DetailedFlash(NandParams p)
    : FlashBackend(std::move(p)),
      channels_(p_.geometry.channels),
      die_free_(p_.geometry.dies()),
      cache_free_(p_.geometry.dies()),
      die_busy_(p_.geometry.dies()),
      last_op_of_die_(p_.geometry.dies(), kNone) {}

void DetailedFlash::post(Time t, std::uint32_t op, Stage s) {
  heap_.push_back({t, seq_++, op, s});
  std::push_heap(heap_.begin(), heap_.end(),
                 [](const Event& a, const Event& b) { return later(a, b); });
}

Time DetailedFlash::page_transfer(std::uint64_t lpn) const {
  const std::uint64_t ps = p_.geometry.page_size.count();
  const std::uint64_t lo = std::max(req_address_, lpn * ps);
  const std::uint64_t hi = std::min(req_end_, (lpn + 1) * ps);
  return p_.command_overhead + channel_bw_.transfer_time(Bytes(hi - lo));
}

FlashTiming DetailedFlash::read(std::uint64_t address, Bytes bytes, Time earliest, Time now) {
  next_request();
  FlashTiming t = run(address, bytes, earliest, now, false);
  retries_ += t.retries;
  return t;
}

FlashTiming DetailedFlash::program(std::uint64_t address, Bytes bytes, Time earliest, Time now) {
  return run(address, bytes, earliest, now, true);
}

void DetailedFlash::book_busy(Time from, const std::vector<Time>& die_busy,
                              const std::vector<Time>& channel_busy) {
  for (std::uint32_t d = 0; d < die_free_.size() && d < die_busy.size(); ++d) {
    if (die_busy[d] <= Time::zero()) continue;
    die_free_[d] = max(die_free_[d], from) + die_busy[d];  // FIFO dies: queued behind the rest
    cache_free_[d] = max(cache_free_[d], die_free_[d]);
    die_busy_[d] += die_busy[d];
  }
  for (std::uint32_t c = 0; c < channels_.size() && c < channel_busy.size(); ++c) {
    book_block(channels_[c], from, channel_busy[c], &c);
  }
}

Time DetailedFlash::collect(std::uint32_t die, std::uint32_t moved, Time earliest) {
  // Copyback pairs on successive page types, then the erase, queued behind the die's work.
  Time total = p_.erase;
  const std::uint32_t types = bits_per_cell(p_.cell);
  for (std::uint32_t i = 0; i < moved; ++i) total += p_.read[i % types] + p_.program[i % types];
  const Time start = max(earliest, die_free_[die]);
  die_free_[die] = start + total;
  cache_free_[die] = max(cache_free_[die], die_free_[die]);
  die_busy_[die] += total;
  commands_ += 2ull * moved + 1;
  events_ += 2ull * moved + 1;
  return die_free_[die];
}

FlashTiming DetailedFlash::run(std::uint64_t address, Bytes bytes, Time earliest, Time now,
                               bool write) {
  if (now > forgotten_ + Time::us(100)) {
    for (auto& c : channels_) c.forget_before(now);
    forgotten_ = now;
  }
  FlashTiming t{Time::max(), earliest, Time::zero(), Time::zero(), 0, 0, 0};
  if (bytes.count() == 0) {
    t.first = earliest;
    return t;
  }
  const Geometry& g = p_.geometry;
  const std::uint64_t ps = g.page_size.count();
  req_address_ = address;
  req_end_ = address + bytes.count();
  const std::uint64_t first = address / ps;
  const std::uint64_t count = (req_end_ - 1) / ps - first + 1;
  const std::uint64_t stripe = std::uint64_t{g.channels} * g.dies_per_channel();
  const std::uint64_t lanes = std::min<std::uint64_t>(count, stripe);
  const std::uint64_t rounds = ((count + stripe - 1) / stripe + g.planes - 1) / g.planes;
  t.pages = count;
  // Build the operations, die by die in round order; chain each die's operations (FIFO).
  ops_.clear();
  heap_.clear();
  for (std::uint64_t round = 0; round < rounds; ++round) {
    for (std::uint64_t lane = 0; lane < lanes; ++lane) {
      const std::uint64_t lpn0 = first + lane + round * g.planes * stripe;
      if (lpn0 - first >= count) continue;
      Op op{};
      op.lpn0 = lpn0;
      const PagePlace head = place(lpn0);
      op.die = head.die;
      op.channel = head.channel;
      op.next = kNone;
      for (std::uint32_t k = 0; k < g.planes; ++k) {
        const std::uint64_t lpn = lpn0 + k * stripe;
        if (lpn - first >= count) break;
        const std::uint32_t type = place(lpn).type;
        if (write) {
          op.array = max(op.array, p_.program[type]);
        } else {
          const std::uint32_t r = retries_of(lpn);
          t.retries += r;
          op.tries[k] = 1 + r;
          op.array = max(op.array, p_.read[type] * (1 + r));
        }
        ++op.pages;
      }
      const auto idx = static_cast<std::uint32_t>(ops_.size());
      if (round > 0 && last_op_of_die_[op.die] != kNone) {
        ops_[last_op_of_die_[op.die]].next = idx;
      } else {
        post(earliest, idx, Stage::kIssue);
      }
      last_op_of_die_[op.die] = idx;
      ops_.push_back(op);
    }
  }
  for (const Op& op : ops_) last_op_of_die_[op.die] = kNone;
  t.ops = ops_.size();
  const auto cmp = [](const Event& a, const Event& b) { return later(a, b); };
  while (!heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end(), cmp);
    const Event e = heap_.back();
    heap_.pop_back();
    ++events_;
    Op& op = ops_[e.op];
    IntervalTimeline& bus = channels_[op.channel];
    const std::uint32_t d = op.die;
    switch (e.stage) {
      case Stage::kIssue: {
        if (!write) {
          // Address sequences (one per plane), then the sense.
          // Command and address cycles go ahead of queued data transfers (controllers keep
          // dies busy): the sense waits for their length only; their bus time takes the
          // channel's next free slot, so bus time is conserved.
          const Time cmd = p_.command_overhead * op.pages;
          const Time c = max(e.t, die_free_[d]);
          record_bus(op.channel, bus.reserve(c, cmd), cmd);
          const Time sense = c + cmd;
          die_free_[d] = sense + op.array;
          die_busy_[d] += op.array;
          commands_ += op.pages + 1;
          post(sense + op.array, e.op, Stage::kSensed);
        } else {
          // Data-in into the cache register (or, without cache program, into the idle die).
          Time x = max(e.t, p_.cache_program ? cache_free_[d] : die_free_[d]);
          for (std::uint32_t k = 0; k < op.pages; ++k) {
            const Time xfer = page_transfer(op.lpn0 + std::uint64_t{k} * stripe);
            const Time s = bus.reserve(x, xfer);
            record_bus(op.channel, s, xfer);
            t.first = min(t.first, s);
            x = s + xfer;
            t.transfer = xfer;
          }
          commands_ += op.pages;
          post(x, e.op, Stage::kLoaded);
        }
        break;
      }
      case Stage::kSensed: {
        const Time moved = p_.cache_read ? max(e.t, cache_free_[d]) : e.t;
        Time x = moved;
        for (std::uint32_t k = 0; k < op.pages; ++k) {
          const Time xfer = page_transfer(op.lpn0 + std::uint64_t{k} * stripe);
          for (std::uint32_t a = 0; a < op.tries[k]; ++a) {
            const Time s = bus.reserve(x, xfer);
            record_bus(op.channel, s, xfer);
            t.first = min(t.first, s);
            x = s + xfer;
          }
          if (x >= t.last) {
            t.last = x;
            t.array = op.array;
            t.transfer = xfer;
          }
        }
        commands_ += op.pages;
        cache_free_[d] = x;
        // The die is free for its next sense once the data left its data registers.
        const Time die_ready = p_.cache_read ? moved : x;
        die_free_[d] = max(die_free_[d], die_ready);
        if (op.next != kNone) post(die_ready, op.next, Stage::kIssue);
        break;
      }
      case Stage::kLoaded: {
        const Time start = max(e.t, die_free_[d]);
        const Time done = start + op.array;
        die_free_[d] = done;
        die_busy_[d] += op.array;
        cache_free_[d] = p_.cache_program ? start : done;
        ++commands_;
        if (done >= t.last) {
          t.last = done;
          t.array = op.array;
        }
        if (op.next != kNone) post(p_.cache_program ? start : done, op.next, Stage::kIssue);
        break;
      }
    }
  }
  return t;
}

}  // namespace tiersim::models::flash
