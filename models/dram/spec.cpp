#include "models/dram/spec.h"

#include <fmt/format.h>

#include <cctype>

#include "sim/config/config_error.h"
#include "sim/config/units_parse.h"

namespace tiersim::models::dram {

using config::ConfigError;
using config::Node;

std::optional<Command> parse_command(std::string_view name) {
  if (name == "REFsb") return Command::kREFpb;
  for (std::size_t i = 0; i < kCommands; ++i) {
    if (kCommandNames[i] == name) return command_at(i);
  }
  return std::nullopt;
}

std::optional<Level> parse_level(std::string_view name) {
  for (std::size_t i = 0; i < kLevels; ++i) {
    if (kLevelNames[i] == name) return level_at(i);
  }
  return std::nullopt;
}

Cycle evaluate_cycles(const std::string& expr, const std::map<std::string, Cycle>& params,
                      const config::Origin& origin) {
  Cycle total = 0;
  int sign = 1;
  bool expect_term = true;
  std::size_t i = 0;
  while (i < expr.size()) {
    const char c = expr[i];
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      ++i;
      continue;
    }
    if (!expect_term && (c == '+' || c == '-')) {
      sign = c == '+' ? 1 : -1;
      expect_term = true;
      ++i;
      continue;
    }
    if (!expect_term) break;
    std::size_t j = i;
    while (j < expr.size() &&
           (std::isalnum(static_cast<unsigned char>(expr[j])) != 0 || expr[j] == '_')) {
      ++j;
    }
    if (j == i) break;
    const std::string term = expr.substr(i, j - i);
    Cycle v = 0;
    if (std::isdigit(static_cast<unsigned char>(term[0])) != 0) {
      for (char d : term) {
        if (std::isdigit(static_cast<unsigned char>(d)) == 0) {
          throw ConfigError(origin, fmt::format("bad number '{}' in '{}'", term, expr));
        }
        v = v * 10 + (d - '0');
      }
    } else {
      auto it = params.find(term);
      if (it == params.end()) {
        throw ConfigError(origin, fmt::format("unknown timing parameter '{}' in '{}'", term, expr));
      }
      v = it->second;
    }
    total += sign * v;
    expect_term = false;
    i = j;
  }
  if (expect_term || i != expr.size()) {
    throw ConfigError(origin, fmt::format("cannot read cycles expression '{}' (use integers and "
                                          "parameter names joined by + and -)",
                                          expr));
  }
  if (total < 0) {
    throw ConfigError(origin, fmt::format("'{}' evaluates to {} cycles (< 0)", expr, total));
  }
  return total;
}

std::uint64_t DramSpec::nodes(Level l) const {
  std::uint64_t n = 1;
  for (std::size_t i = 0; i <= index(l); ++i) n *= org.count[i];
  return n;
}

std::uint64_t DramSpec::banks_per_channel() const {
  return nodes(Level::kBank) / org.count[index(Level::kChannel)];
}

Bytes DramSpec::capacity() const {
  return Bytes(nodes(Level::kBank) * org.rows * org.columns * burst_bytes.count());
}

Bandwidth DramSpec::peak_bandwidth() const {
  const double buses = static_cast<double>(nodes(data_bus_level));
  const double per_bus =
      burst_bytes.as_double() / (static_cast<double>(burst_cycles) * tck.as_seconds());
  return Bandwidth::bytes_per_second(buses * per_bus);
}

namespace {

CommandMask commands_of(const Node& list, const std::string& what) {
  CommandMask m = 0;
  for (const Node& item : list.items()) {
    auto c = parse_command(item.text());
    if (!c) {
      throw ConfigError(item.origin(),
                        fmt::format("unknown DRAM command '{}' in {} (known: ACT, PRE, PREA, RD, "
                                    "WR, RDA, WRA, REFab, REFpb, ACTab, MACab, MACbg, RDbb)",
                                    item.text(), what));
    }
    m = static_cast<CommandMask>(m | bit(*c));
  }
  return m;
}

Level level_of(const Node& n) {
  auto l = parse_level(n.text());
  if (!l) throw ConfigError(n.origin(), fmt::format("unknown level '{}'", n.text()));
  return *l;
}

Cycle expr_at(const Node& map, std::string_view key, const std::map<std::string, Cycle>& p) {
  const Node& n = map.at(key);
  return evaluate_cycles(n.text(), p, n.origin());
}

void derive_gaps(DramSpec& s) {
  for (const Constraint& c : s.constraints) {
    if (c.window > 1) continue;
    for (std::size_t f = 0; f < kCommands; ++f) {
      if ((c.from & (1U << f)) == 0) continue;
      for (std::size_t t = 0; t < kCommands; ++t) {
        if ((c.to & (1U << t)) == 0) continue;
        for (std::size_t rel = 0; rel <= kLevels; ++rel) {
          const bool applies = c.sibling ? rel == index(c.level) : rel > index(c.level);
          if (applies) {
            Cycle& g = s.gaps[f][t][rel];
            g = std::max(g, c.cycles);
          }
        }
      }
    }
  }
}

}  // namespace

DramSpec spec_from_config(const Node& cfg) {
  DramSpec s;
  s.standard = cfg.get_string("standard");
  s.source = cfg.get_string("source");

  const Node& org = cfg.at("organization");
  s.org.count[index(Level::kChannel)] = static_cast<std::uint32_t>(org.get_uint("channels"));
  s.org.count[index(Level::kPseudoChannel)] =
      static_cast<std::uint32_t>(org.get_uint("pseudo_channels"));
  s.org.count[index(Level::kRank)] = static_cast<std::uint32_t>(org.get_uint("ranks"));
  s.org.count[index(Level::kBankGroup)] = static_cast<std::uint32_t>(org.get_uint("bank_groups"));
  s.org.count[index(Level::kBank)] = static_cast<std::uint32_t>(org.get_uint("banks"));
  s.org.rows = static_cast<std::uint32_t>(org.get_uint("rows"));
  const std::uint64_t width = org.get_uint("data_width");
  const std::uint64_t bl = org.get_uint("burst_length");
  if (width * bl % 8 != 0) {
    throw ConfigError(org.at("data_width").origin(), "data_width * burst_length must be bytes");
  }
  s.burst_bytes = Bytes(width * bl / 8);
  const Bytes row = org.get_size("row_bytes");
  if (row.count() == 0 || row.count() % s.burst_bytes.count() != 0) {
    throw ConfigError(org.at("row_bytes").origin(),
                      fmt::format("row_bytes must be a non-zero multiple of the burst ({} B)",
                                  s.burst_bytes.count()));
  }
  s.org.columns = static_cast<std::uint32_t>(row.count() / s.burst_bytes.count());
  s.data_bus_level = level_of(org.at("data_bus_level"));
  s.dual_command_bus = org.get_bool("dual_command_bus");

  const Node& timing = cfg.at("timing");
  s.tck = timing.get_time("tCK");
  if (s.tck <= Time::zero()) throw ConfigError(timing.at("tCK").origin(), "tCK must be > 0");
  for (const auto& e : timing.at("params").entries()) {
    s.params[e.key] = static_cast<Cycle>(e.value.as_uint());
  }
  s.read_latency = expr_at(timing, "read_latency", s.params);
  s.write_latency = expr_at(timing, "write_latency", s.params);
  s.burst_cycles = expr_at(timing, "burst_cycles", s.params);
  if (s.burst_cycles <= 0) {
    throw ConfigError(timing.at("burst_cycles").origin(), "burst_cycles must be > 0");
  }

  for (const Node& item : cfg.at("constraints").items()) {
    Constraint c;
    c.name = item.get_string("name");
    c.level = level_of(item.at("level"));
    c.from = commands_of(item.at("from"), "from");
    c.to = commands_of(item.at("to"), "to");
    c.expression = item.at("cycles").text();
    c.cycles = expr_at(item, "cycles", s.params);
    c.window = static_cast<std::uint32_t>(item.get_uint("window"));
    c.sibling = item.get_bool("sibling");
    if (c.sibling && c.level == Level::kChannel) {
      throw ConfigError(item.at("sibling").origin(), "a channel-level rule cannot be sibling");
    }
    s.constraints.push_back(std::move(c));
  }
  derive_gaps(s);

  const Node& ref = cfg.at("refresh");
  const std::string mode = ref.get_string("mode");
  s.refresh.mode = mode == "none"       ? RefreshMode::kNone
                   : mode == "per_bank" ? RefreshMode::kPerBank
                                        : RefreshMode::kAllBank;
  s.refresh.level = level_of(ref.at("level"));
  if (s.refresh.mode != RefreshMode::kNone) {
    s.refresh.interval = expr_at(ref, "interval", s.params);
    s.refresh.duration = expr_at(ref, "duration", s.params);
    if (s.refresh.interval <= 0) {
      throw ConfigError(ref.at("interval").origin(), "refresh interval must be > 0");
    }
  }
  if (s.refresh.mode == RefreshMode::kPerBank) {
    s.refresh.per_bank_interval = expr_at(ref, "per_bank_interval", s.params);
    s.refresh.per_bank_duration = expr_at(ref, "per_bank_duration", s.params);
    if (s.refresh.per_bank_interval <= 0) {
      throw ConfigError(ref.at("per_bank_interval").origin(),
                        "per_bank_interval must be > 0 in per_bank mode");
    }
  }

  const Node& ctl = cfg.at("controller");
  s.controller.scheduler =
      ctl.get_string("scheduler") == "fcfs" ? Scheduler::kFcfs : Scheduler::kFrFcfs;
  const std::string policy = ctl.get_string("row_policy");
  s.controller.row_policy = policy == "closed"    ? RowPolicy::kClosed
                            : policy == "timeout" ? RowPolicy::kTimeout
                                                  : RowPolicy::kOpen;
  const auto to_cycles = [&s](Time t) { return (t.ps() + s.tck.ps() - 1) / s.tck.ps(); };
  s.controller.row_timeout = to_cycles(ctl.get_time("row_timeout"));
  s.controller.front_latency = to_cycles(ctl.get_time("latency"));
  s.controller.read_queue = static_cast<std::uint32_t>(ctl.get_uint("read_queue"));
  s.controller.write_queue = static_cast<std::uint32_t>(ctl.get_uint("write_queue"));
  s.controller.write_high = static_cast<std::uint32_t>(ctl.get_uint("write_high_watermark"));
  s.controller.write_low = static_cast<std::uint32_t>(ctl.get_uint("write_low_watermark"));
  if (s.controller.write_low > s.controller.write_high ||
      s.controller.write_high > s.controller.write_queue) {
    throw ConfigError(ctl.origin(),
                      "need write_low_watermark <= write_high_watermark <= write_queue");
  }

  const Node& map = cfg.at("mapping");
  s.mapping = map.get_string("order");
  s.xor_bank = map.get_bool("xor_bank");

  const Node& en = cfg.at("energy");
  s.energy.act = en.get_energy("ACT");
  s.energy.pre = en.get_energy("PRE");
  s.energy.rd = en.get_energy("RD");
  s.energy.wr = en.get_energy("WR");
  s.energy.ref_ab = en.get_energy("REFab");
  s.energy.ref_pb = en.get_energy("REFpb");
  s.energy.column_access = en.get_energy("column_access");
  s.energy.bank_group_bus = en.get_energy("bank_group_bus");
  s.energy.tsv = en.get_energy("tsv");
  s.energy.background_watts_per_channel = config::parse_power_watts(en.at("background").text());
  return s;
}

}  // namespace tiersim::models::dram
