#include "models/flash/nand.h"

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
  s->add("planes", Type::kUInt, "Planes per die (multi-plane operations), 1 to 8.")
      .require()
      .at_least(1);
  s->add("blocks_per_plane", Type::kUInt, "Erase blocks per plane.").require().at_least(1);
  s->add("pages_per_block", Type::kUInt, "Pages per erase block.").require().at_least(1);
  s->add("page_size", Type::kSize, "Bytes of one flash page (data area).").require();
  s->add("channel_rate", Type::kTransferRate, "Channel bus rate (ONFI NV-DDR/Toggle), MT/s.")
      .require();
  s->add("channel_width", Type::kUInt, "Channel bus width in bits.").default_to("8").at_least(1);
  s->add("command_overhead", Type::kTime,
         "Channel time per page transfer for command and address cycles.")
      .default_to("0 ns");
  s->add("cache_read", Type::kBool,
         "Cache read: sense the next page while the previous one streams out (detailed).")
      .default_to("true");
  s->add("cache_program", Type::kBool,
         "Cache program: stream the next page in while the die programs (detailed).")
      .default_to("true");
  s->add("read_retry_probability", Type::kFloat,
         "Probability that one read attempt of a page fails ECC and is retried.")
      .default_to("0");
  s->add("read_retry_max", Type::kUInt, "Most extra read attempts per page.").default_to("4");
  s->add("seed", Type::kUInt, "Seed of the read-retry draws.").default_to("1");
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
  if (g.planes > 8) {
    throw config::ConfigError(n.at("planes").origin(), "planes: at most 8 per die");
  }
  g.blocks_per_plane = static_cast<std::uint32_t>(n.get_uint("blocks_per_plane"));
  g.pages_per_block = static_cast<std::uint32_t>(n.get_uint("pages_per_block"));
  g.page_size = n.get_size("page_size");
  if (g.page_size.count() == 0) {
    throw config::ConfigError(n.at("page_size").origin(), "page_size: must be > 0");
  }
  p.channel_rate = n.at("channel_rate").as_transfer_rate();
  p.channel_width_bits = static_cast<std::uint32_t>(n.get_uint("channel_width"));
  p.command_overhead = n.get_time("command_overhead");
  p.cache_read = n.get_bool("cache_read");
  p.cache_program = n.get_bool("cache_program");
  p.read_retry_probability = n.get_double("read_retry_probability");
  if (p.read_retry_probability < 0.0 || p.read_retry_probability >= 1.0) {
    throw config::ConfigError(n.at("read_retry_probability").origin(),
                              "read_retry_probability: must be in [0, 1)");
  }
  p.read_retry_max = static_cast<std::uint32_t>(n.get_uint("read_retry_max"));
  p.seed = n.get_uint("seed");
  return p;
}

PagePlace place_page(const NandParams& p, std::uint64_t lpn) {
  const Geometry& g = p.geometry;
  const std::uint64_t c = g.channels;
  const std::uint64_t dpc = g.dies_per_channel();
  const std::uint64_t stripe = c * dpc;
  PagePlace pl{};
  pl.channel = static_cast<std::uint32_t>(lpn % c);
  pl.die = static_cast<std::uint32_t>(pl.channel * dpc + (lpn / c) % dpc);
  pl.plane = static_cast<std::uint32_t>((lpn / stripe) % g.planes);
  const std::uint64_t in_block = (lpn / (stripe * g.planes)) % g.pages_per_block;
  pl.type = static_cast<std::uint32_t>(in_block % bits_per_cell(p.cell));
  return pl;
}

}  // namespace tiersim::models::flash
