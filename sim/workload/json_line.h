// A minimal parser for one-line JSON objects (Mooncake traces, the logical trace's JSONL form).
//
// Contract:
//  - Accepts one object whose values are numbers, strings, true/false/null, or arrays of numbers;
//    anything else (nested objects, arrays of strings) is an error. Whitespace is allowed between
//    tokens. Keys keep file order; duplicates are an error.
//  - Numbers are kept as their text; as_uint()/as_int() accept only integers (no sign / '-'
//    allowed for as_int, no fraction, no exponent); as_double() accepts any JSON number.
//  - Errors return a message (no exception) so readers can prefix the file, line and record.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tiersim::workload::json {

struct Value {
  enum class Kind { kNumber, kString, kBool, kNull, kNumberArray } kind = Kind::kNull;
  std::string text;                  // number text, or the decoded string
  bool flag = false;                 // kBool
  std::vector<std::string> numbers;  // kNumberArray: each element's text
};

struct Member {
  std::string key;
  Value value;
};

struct Object {
  std::vector<Member> members;
  [[nodiscard]] const Value* find(std::string_view key) const;
};

// Parses `line` into `out`; returns an error message, or nullopt on success.
[[nodiscard]] std::optional<std::string> parse_object(std::string_view line, Object& out);

[[nodiscard]] std::optional<std::uint64_t> as_uint(std::string_view number);
[[nodiscard]] std::optional<std::int64_t> as_int(std::string_view number);
[[nodiscard]] std::optional<double> as_double(std::string_view number);

// `s` as a JSON string literal, with quotes and escapes.
[[nodiscard]] std::string quote(std::string_view s);

}  // namespace tiersim::workload::json
