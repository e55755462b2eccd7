#include "sim/workload/json_line.h"

#include <fmt/format.h>
#include <charconv>
#include <cstdint>

namespace tiersim::workload::json {

const Value* Object::find(std::string_view key) const {
  for (const Member& m : members) {
    if (m.key == key) return &m.value;
  }
  return nullptr;
}

namespace {

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  std::optional<std::string> object(Object& out) {
    out.members.clear();
    skip();
    if (!eat('{')) return "expected '{' at the start of the line";
    skip();
    if (eat('}')) return end();
    for (;;) {
      skip();
      Member m;
      if (auto e = string(m.key)) return e;
      if (out.find(m.key) != nullptr) return fmt::format("duplicate key {}", quote(m.key));
      skip();
      if (!eat(':')) return fmt::format("expected ':' after key {}", quote(m.key));
      skip();
      if (auto e = value(m.value)) return fmt::format("value of {}: {}", quote(m.key), *e);
      out.members.push_back(std::move(m));
      skip();
      if (eat('}')) return end();
      if (!eat(',')) return "expected ',' or '}'";
    }
  }

 private:
  std::optional<std::string> end() {
    skip();
    if (pos_ != s_.size()) return "unexpected text after the object";
    return std::nullopt;
  }
  void skip() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\r' || s_[pos_] == '\n')) {
      ++pos_;
    }
  }
  bool eat(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool word(std::string_view w) {
    if (s_.substr(pos_, w.size()) != w) return false;
    pos_ += w.size();
    return true;
  }
  // Four hex digits after "\\u"; false if they are not there.
  bool hex4(std::uint32_t& v) {
    if (pos_ + 4 > s_.size()) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = s_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    return true;
  }
  // "\\uXXXX" (after the 'u'), a surrogate pair as two escapes; appended to `out` as UTF-8.
  std::optional<std::string> unicode_escape(std::string& out) {
    std::uint32_t cp = 0;
    if (!hex4(cp)) return std::string("\\u needs four hex digits");
    if (cp >= 0xd800 && cp <= 0xdbff) {
      std::uint32_t lo = 0;
      if (s_.substr(pos_, 2) != "\\u") return std::string("unpaired surrogate in \\u escape");
      pos_ += 2;
      if (!hex4(lo) || lo < 0xdc00 || lo > 0xdfff) {
        return std::string("unpaired surrogate in \\u escape");
      }
      cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
    } else if (cp >= 0xdc00 && cp <= 0xdfff) {
      return std::string("unpaired surrogate in \\u escape");
    }
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xc0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xe0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    }
    return std::nullopt;
  }
  std::optional<std::string> string(std::string& out) {
    if (!eat('"')) return "expected a string";
    out.clear();
    while (pos_ < s_.size()) {
      const char c = s_[pos_++];
      if (c == '"') return std::nullopt;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size()) break;
      const char e = s_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u':
          if (auto err = unicode_escape(out)) return err;
          break;
        default:
          return fmt::format("unsupported escape '\\{}'", e);
      }
    }
    return "unterminated string";
  }
  std::optional<std::string> number(std::string& out) {
    const std::size_t start = pos_;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
        ++pos_;
      } else {
        break;
      }
    }
    out = std::string(s_.substr(start, pos_ - start));
    if (out.empty() || !as_double(out)) return "expected a value";
    return std::nullopt;
  }
  std::optional<std::string> value(Value& v) {
    if (pos_ >= s_.size()) return "missing value";
    const char c = s_[pos_];
    if (c == '"') {
      v.kind = Value::Kind::kString;
      return string(v.text);
    }
    if (word("true") || word("false")) {
      v.kind = Value::Kind::kBool;
      v.flag = s_[pos_ - 1] == 'e' && s_[pos_ - 2] == 'u';
      return std::nullopt;
    }
    if (word("null")) {
      v.kind = Value::Kind::kNull;
      return std::nullopt;
    }
    if (c == '[') {
      ++pos_;
      v.kind = Value::Kind::kNumberArray;
      skip();
      if (eat(']')) return std::nullopt;
      for (;;) {
        skip();
        std::string n;
        if (number(n)) return "arrays may hold numbers only";
        v.numbers.push_back(std::move(n));
        skip();
        if (eat(']')) return std::nullopt;
        if (!eat(',')) return "expected ',' or ']' in an array";
      }
    }
    if (c == '{') return "nested objects are not supported";
    v.kind = Value::Kind::kNumber;
    return number(v.text);
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<std::string> parse_object(std::string_view line, Object& out) {
  return Parser(line).object(out);
}

std::optional<std::uint64_t> as_uint(std::string_view number) {
  std::uint64_t v = 0;
  const auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
  if (ec != std::errc() || p != number.data() + number.size()) return std::nullopt;
  return v;
}

std::optional<std::int64_t> as_int(std::string_view number) {
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
  if (ec != std::errc() || p != number.data() + number.size()) return std::nullopt;
  return v;
}

std::optional<double> as_double(std::string_view number) {
  double v = 0;
  const auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
  if (ec != std::errc() || p != number.data() + number.size()) return std::nullopt;
  return v;
}

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace tiersim::workload::json
