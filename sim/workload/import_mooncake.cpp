#include <fmt/format.h>

#include "sim/trace/record_rules.h"
#include "sim/workload/importers.h"
#include "sim/workload/json_line.h"

namespace tiersim::workload {

MooncakeJsonlSource::MooncakeJsonlSource(const std::string& path) : text_(path) {}

bool MooncakeJsonlSource::next(Request& out) {
  std::string_view line;
  if (!text_.next_line(line)) return false;
  json::Object obj;
  if (const auto e = json::parse_object(line, obj)) throw text_.error(*e);
  auto field = [&](std::string_view key) -> const json::Value& {
    const json::Value* v = obj.find(key);
    if (v == nullptr) throw text_.error(fmt::format("missing field '{}'", key));
    return *v;
  };
  auto count = [&](std::string_view key) {
    const json::Value& v = field(key);
    const auto n = v.kind == json::Value::Kind::kNumber ? parse_tokens(v.text) : std::nullopt;
    if (!n) throw text_.error(fmt::format("'{}' is not a token count", key));
    return *n;
  };
  const json::Value& ts = field("timestamp");
  const auto ps = ts.kind == json::Value::Kind::kNumber ? parse_decimal_ps(ts.text, 1'000'000'000)
                                                        : std::nullopt;
  if (!ps) throw text_.error("'timestamp' is not a non-negative number of milliseconds");
  out.prompt_tokens = count("input_length");
  out.output_tokens = count("output_length");
  out.prefix_blocks.clear();
  if (const json::Value* h = obj.find("hash_ids")) {
    if (h->kind != json::Value::Kind::kNumberArray) throw text_.error("'hash_ids' is not an array");
    for (const std::string& n : h->numbers) {
      const auto id = json::as_uint(n);
      if (!id) throw text_.error(fmt::format("hash id {} is not an unsigned integer", n));
      out.prefix_blocks.push_back(*id);
    }
  }
  if (!first_ps_) first_ps_ = *ps;
  const Time t = Time::ps(*ps - *first_ps_);
  check_arrival_order(text_, t, previous_);
  previous_ = t;
  out.id = id_++;
  out.arrival = t;
  return true;
}

}  // namespace tiersim::workload
