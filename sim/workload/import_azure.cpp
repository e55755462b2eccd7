#include <fmt/format.h>

#include "sim/trace/record_rules.h"
#include "sim/workload/importers.h"

namespace tiersim::workload {

void check_arrival_order(const TextSource& text, Time t, Time previous) {
  if (t < previous) throw text.error(trace::time_order_message(t, previous));
}

AzureCsvSource::AzureCsvSource(const std::string& path) : text_(path) {
  std::string_view header;
  if (!text_.next_line(header, false) ||
      !header.starts_with("TIMESTAMP,ContextTokens,GeneratedTokens")) {
    throw trace::TraceError(
        fmt::format("{}: not an Azure LLM inference trace (expected the header "
                    "'TIMESTAMP,ContextTokens,GeneratedTokens')",
                    path));
  }
}

bool AzureCsvSource::next(Request& out) {
  std::string_view line;
  if (!text_.next_line(line)) return false;
  const auto f = split_csv(line);
  if (f.size() < 3) {
    throw text_.error(
        fmt::format("expected 3 fields (TIMESTAMP,ContextTokens,GeneratedTokens), "
                    "got {}",
                    f.size()));
  }
  const auto when = parse_datetime(f[0]);
  if (!when) {
    throw text_.error(
        fmt::format("timestamp {} is not 'YYYY-MM-DD HH:MM:SS.fffffff'", trace::quoted(f[0])));
  }
  const auto context = parse_tokens(f[1]);
  if (!context) throw text_.error(fmt::format("bad ContextTokens {}", trace::quoted(f[1])));
  const auto generated = parse_tokens(f[2]);
  if (!generated) throw text_.error(fmt::format("bad GeneratedTokens {}", trace::quoted(f[2])));
  if (!first_) first_ = *when;
  const Time t = Time::ps(ps_between(*first_, *when));
  check_arrival_order(text_, t, previous_);
  previous_ = t;
  out.id = id_++;
  out.arrival = t;
  out.prompt_tokens = *context;
  out.output_tokens = *generated;
  out.prefix_blocks.clear();
  return true;
}

}  // namespace tiersim::workload
