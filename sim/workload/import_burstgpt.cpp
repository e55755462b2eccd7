#include <fmt/format.h>

#include "sim/trace/record_rules.h"
#include "sim/workload/importers.h"

namespace tiersim::workload {

BurstGptCsvSource::BurstGptCsvSource(const std::string& path) : text_(path) {
  std::string_view header;
  if (!text_.next_line(header, false) || !header.starts_with("Timestamp,Model,Request tokens")) {
    throw trace::TraceError(
        fmt::format("{}: not a BurstGPT trace (expected the header 'Timestamp,Model,Request tokens,"
                    "Response tokens,Total tokens,Log Type')",
                    path));
  }
}

bool BurstGptCsvSource::next(Request& out) {
  std::string_view line;
  if (!text_.next_line(line)) return false;
  const auto f = split_csv(line);
  if (f.size() < 4) throw text_.error(fmt::format("expected 6 fields, got {}", f.size()));
  const auto ps = parse_decimal_ps(f[0], 1'000'000'000'000);
  if (!ps) throw text_.error(fmt::format("bad Timestamp {} (seconds)", trace::quoted(f[0])));
  const auto req = parse_tokens(f[2]);
  if (!req) throw text_.error(fmt::format("bad Request tokens {}", trace::quoted(f[2])));
  const auto resp = parse_tokens(f[3]);
  if (!resp) throw text_.error(fmt::format("bad Response tokens {}", trace::quoted(f[3])));
  if (!first_ps_) first_ps_ = *ps;
  const Time t = Time::ps(*ps - *first_ps_);
  check_arrival_order(text_, t, previous_);
  previous_ = t;
  out.id = id_++;
  out.arrival = t;
  out.prompt_tokens = *req;
  out.output_tokens = *resp;
  out.prefix_blocks.clear();
  return true;
}

}  // namespace tiersim::workload
