#include "models/flash/flash_array.h"

#include <algorithm>
#include <utility>

#include "sim/config/config_error.h"

namespace tiersim::models::flash {

using config::Type;

CellType parse_cell(const std::string& s) {
  if (s == "slc") return CellType::kSlc;
  if (s == "mlc") return CellType::kMlc;
  if (s == "tlc") return CellType::kTlc;
  return CellType::kQlc;  // the schema admits only slc/mlc/tlc/qlc
}

Time NandParams::mean_read() const {
  std::int64_t sum = 0;
  for (const Time t : read) sum += t.ps();
  return Time::ps(sum / static_cast<std::int64_t>(read.size()));
}

Time NandParams::mean_program() const {
  std::int64_t sum = 0;
  for (const Time t : program) sum += t.ps();
  return Time::ps(sum / static_cast<std::int64_t>(program.size()));
}

config::SchemaPtr nand_schema() {
  auto s = std::make_shared<config::Schema>(
      "flash.nand", "NAND flash: cell type, per-page-type timing, geometry and channel bus.");
  s->add("cell", Type::kString, "Bits per cell: slc, mlc, tlc or qlc (page types per wordline).")
      .require()
      .one_of({"slc", "mlc", "tlc", "qlc"});
  s->add("read_times", Type::kList, "tR per page type, LSB first (one entry per bit per cell).")
      .items(Type::kTime)
      .require();
  s->add("program_times", Type::kList, "tPROG per page type, LSB first.")
      .items(Type::kTime)
      .require();
  s->add("erase_time", Type::kTime, "tBERS: block erase time.").require();
  s->add("channels", Type::kUInt, "Flash channels (independent buses) of the controller.")
      .require()
      .at_least(1);
  s->add("ways", Type::kUInt, "Chips (chip enables) per channel.").require().at_least(1);
  s->add("dies_per_way", Type::kUInt, "Dies per chip.").default_to("1").at_least(1);
  s->add("planes", Type::kUInt, "Planes per die (multi-plane operations).").require().at_least(1);
  s->add("blocks_per_plane", Type::kUInt, "Erase blocks per plane.").require().at_least(1);
  s->add("pages_per_block", Type::kUInt, "Pages per erase block.").require().at_least(1);
  s->add("page_size", Type::kSize, "Bytes of one flash page (data area).").require();
  s->add("channel_rate", Type::kTransferRate, "Channel bus rate (ONFI NV-DDR/Toggle), MT/s.")
      .require();
  s->add("channel_width", Type::kUInt, "Channel bus width in bits.").default_to("8").at_least(1);
  s->add("command_overhead", Type::kTime,
         "Channel time per page transfer for command and address cycles.")
      .default_to("0 ns");
  s->add("source", Type::kString, "Where the numbers come from.").default_to("assumed");
  return s;
}

namespace {
std::vector<Time> times(const config::Node& list, std::uint32_t want, const char* key) {
  std::vector<Time> out;
  for (const auto& item : list.items()) out.push_back(item.as_time());
  if (out.size() != want) {
    throw config::ConfigError(list.origin(), std::string(key) + ": need one time per page type (" +
                                                 std::to_string(want) + "), got " +
                                                 std::to_string(out.size()));
  }
  return out;
}
}  // namespace

NandParams nand_from_config(const config::Node& n) {
  NandParams p;
  p.cell = parse_cell(n.get_string("cell"));
  p.read = times(n.at("read_times"), bits_per_cell(p.cell), "read_times");
  p.program = times(n.at("program_times"), bits_per_cell(p.cell), "program_times");
  p.erase = n.get_time("erase_time");
  Geometry& g = p.geometry;
  g.channels = static_cast<std::uint32_t>(n.get_uint("channels"));
  g.ways = static_cast<std::uint32_t>(n.get_uint("ways"));
  g.dies_per_way = static_cast<std::uint32_t>(n.get_uint("dies_per_way"));
  g.planes = static_cast<std::uint32_t>(n.get_uint("planes"));
  g.blocks_per_plane = static_cast<std::uint32_t>(n.get_uint("blocks_per_plane"));
  g.pages_per_block = static_cast<std::uint32_t>(n.get_uint("pages_per_block"));
  g.page_size = n.get_size("page_size");
  if (g.page_size.count() == 0) {
    throw config::ConfigError(n.at("page_size").origin(), "page_size: must be > 0");
  }
  p.channel_rate = n.at("channel_rate").as_transfer_rate();
  p.channel_width_bits = static_cast<std::uint32_t>(n.get_uint("channel_width"));
  p.command_overhead = n.get_time("command_overhead");
  return p;
}

FlashArray::FlashArray(NandParams p)
    : p_(std::move(p)),
      channel_bw_(p_.channel_bandwidth()),
      channels_(p_.geometry.channels),
      dies_(p_.geometry.dies()) {}

Bandwidth FlashArray::aggregate_channel_bandwidth() const {
  return Bandwidth::bytes_per_second(channel_bw_.bytes_per_second() * p_.geometry.channels);
}

PagePlace FlashArray::place(std::uint64_t lpn) const {
  const Geometry& g = p_.geometry;
  const std::uint64_t c = g.channels;
  const std::uint64_t dpc = g.dies_per_channel();
  const std::uint64_t stripe = c * dpc;
  PagePlace pl{};
  pl.channel = static_cast<std::uint32_t>(lpn % c);
  pl.die = static_cast<std::uint32_t>(pl.channel * dpc + (lpn / c) % dpc);
  pl.plane = static_cast<std::uint32_t>((lpn / stripe) % g.planes);
  const std::uint64_t in_block = (lpn / (stripe * g.planes)) % g.pages_per_block;
  pl.type = static_cast<std::uint32_t>(in_block % bits_per_cell(p_.cell));
  return pl;
}

FlashTiming FlashArray::read(std::uint64_t address, Bytes bytes, Time earliest, Time now) {
  return run(address, bytes, earliest, now, false);
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
  FlashTiming t{Time::max(), earliest, Time::zero(), Time::zero(), 0, 0};
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
      for (std::uint64_t k = k0; k < k0 + g.planes; ++k) {
        const std::uint64_t idx = lane + k * stripe;
        if (idx >= count) break;
        const PagePlace pl = place(first + idx);
        array_time = max(array_time, write ? p_.program[pl.type] : p_.read[pl.type]);
        ++in_op;
      }
      if (in_op == 0) continue;
      ++t.ops;
      const PagePlace head = place(first + lane + k0 * stripe);
      IntervalTimeline& die = dies_[head.die];
      IntervalTimeline& chan = channels_[head.channel];
      if (!write) {
        const Time sensed = die.reserve(earliest, array_time) + array_time;
        for (std::uint64_t k = k0; k < k0 + in_op; ++k) {
          const Time xfer = p_.command_overhead +
                            channel_bw_.transfer_time(page_bytes(first + lane + k * stripe));
          const Time s = chan.reserve(sensed, xfer);
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
