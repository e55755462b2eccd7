#include "models/flash/flash_array.h"

#include <algorithm>
#include <utility>

namespace tiersim::models::flash {

FlashArray::FlashArray(NandParams p)
    : FlashBackend(std::move(p)), channels_(p_.geometry.channels), dies_(p_.geometry.dies()) {}

Time FlashArray::collect(std::uint32_t die, std::uint32_t moved, Time earliest) {
  commands_ += 2ull * moved + 1;
  return occupy_die(die, earliest, (p_.mean_read() + p_.mean_program()) * moved + p_.erase);
}

void FlashArray::book_busy(Time from, const std::vector<Time>& die_busy,
                           const std::vector<Time>& channel_busy) {
  for (std::uint32_t d = 0; d < dies_.size() && d < die_busy.size(); ++d) {
    book_block(dies_[d], from, die_busy[d], nullptr);
  }
  for (std::uint32_t c = 0; c < channels_.size() && c < channel_busy.size(); ++c) {
    book_block(channels_[c], from, channel_busy[c], &c);
  }
}

FlashTiming FlashArray::read(std::uint64_t address, Bytes bytes, Time earliest, Time now) {
  next_request();
  FlashTiming t = run(address, bytes, earliest, now, false);
  retries_ += t.retries;
  return t;
}

FlashTiming FlashArray::program(std::uint64_t address, Bytes bytes, Time earliest, Time now) {
  return run(address, bytes, earliest, now, true);
}

FlashTiming FlashArray::run(std::uint64_t address, Bytes bytes, Time earliest, Time now,
                            bool write) {
  // Bookings that ended before `now` can never be asked for again (callers are time-ordered).
  if (now > forgotten_ + Time::us(100)) {
    for (auto& t : channels_) t.forget_before(now);
    for (auto& t : dies_) t.forget_before(now);
    forgotten_ = now;
  }
  FlashTiming t{Time::max(), earliest, Time::zero(), Time::zero(), 0, 0, 0};
  if (bytes.count() == 0) {
    t.first = earliest;
    return t;
  }
  const Geometry& g = p_.geometry;
  const std::uint64_t ps = g.page_size.count();
  const std::uint64_t end_addr = address + bytes.count();
  const std::uint64_t first = address / ps;
  const std::uint64_t count = (end_addr - 1) / ps - first + 1;
  const std::uint64_t stripe = std::uint64_t{g.channels} * g.dies_per_channel();
  const std::uint64_t lanes = std::min<std::uint64_t>(count, stripe);  // dies touched
  const std::uint64_t per_die_max = (count + stripe - 1) / stripe;     // pages on busiest die
  const std::uint64_t rounds = (per_die_max + g.planes - 1) / g.planes;
  t.pages = count;
  auto page_bytes = [&](std::uint64_t lpn) {
    const std::uint64_t lo = std::max(address, lpn * ps);
    const std::uint64_t hi = std::min(end_addr, (lpn + 1) * ps);
    return Bytes(hi - lo);
  };
  for (std::uint64_t round = 0; round < rounds; ++round) {
    for (std::uint64_t lane = 0; lane < lanes; ++lane) {
      // Pages of this die in this request: first + lane + k * stripe, k = round*P .. +P.
      const std::uint64_t k0 = round * g.planes;
      std::uint64_t in_op = 0;
      Time array_time;
      std::uint32_t tries[8] = {};  // attempts per page of the operation (reads; planes <= 8)
      for (std::uint64_t k = k0; k < k0 + g.planes; ++k) {
        const std::uint64_t idx = lane + k * stripe;
        if (idx >= count) break;
        const PagePlace pl = place(first + idx);
        if (write) {
          array_time = max(array_time, p_.program[pl.type]);
        } else {
          const std::uint32_t r = retries_of(first + idx);
          t.retries += r;
          tries[in_op % 8] = 1 + r;
          array_time = max(array_time, p_.read[pl.type] * (1 + r));
        }
        ++in_op;
      }
      if (in_op == 0) continue;
      ++t.ops;
      commands_ += 1 + in_op;  // one array command plus one transfer per page
      const PagePlace head = place(first + lane + k0 * stripe);
      IntervalTimeline& die = dies_[head.die];
      IntervalTimeline& chan = channels_[head.channel];
      if (!write) {
        const Time sensed = die.reserve(earliest, array_time) + array_time;
        for (std::uint64_t k = k0; k < k0 + in_op; ++k) {
          const Time xfer = (p_.command_overhead +
                             channel_bw_.transfer_time(page_bytes(first + lane + k * stripe))) *
                            tries[(k - k0) % 8];
          const Time s = chan.reserve(sensed, xfer);
          record_bus(head.channel, s, xfer);
          t.first = min(t.first, s);
          if (s + xfer >= t.last) {
            t.last = s + xfer;
            t.array = array_time;
            t.transfer = xfer;
          }
        }
      } else {
        Time loaded = earliest;
        Time xfer_last;
        for (std::uint64_t k = k0; k < k0 + in_op; ++k) {
          const Time xfer = p_.command_overhead +
                            channel_bw_.transfer_time(page_bytes(first + lane + k * stripe));
          const Time s = chan.reserve(earliest, xfer);
          record_bus(head.channel, s, xfer);
          t.first = min(t.first, s);
          loaded = max(loaded, s + xfer);
          xfer_last = xfer;
        }
        const Time done = die.reserve(loaded, array_time) + array_time;
        if (done >= t.last) {
          t.last = done;
          t.array = array_time;
          t.transfer = xfer_last;
        }
      }
    }
  }
  return t;
}

}  // namespace tiersim::models::flash
