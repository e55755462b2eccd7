#include "sim/config/node.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

#include "sim/config/config_error.h"
#include "sim/config/units_parse.h"

namespace tiersim::config {

Node Node::scalar(std::string text, Origin origin, bool quoted) {
  Node n;
  n.kind_ = Kind::kScalar;
  n.text_ = std::move(text);
  n.origin_ = std::move(origin);
  n.quoted_ = quoted;
  return n;
}

Node Node::map(Origin origin) {
  Node n;
  n.kind_ = Kind::kMap;
  n.origin_ = std::move(origin);
  return n;
}

Node Node::seq(Origin origin) {
  Node n;
  n.kind_ = Kind::kSeq;
  n.origin_ = std::move(origin);
  return n;
}

Node Node::null(Origin origin) {
  Node n;
  n.origin_ = std::move(origin);
  return n;
}

std::string_view Node::kind_name() const {
  switch (kind_) {
    case Kind::kNull:
      return "null";
    case Kind::kScalar:
      return "scalar";
    case Kind::kMap:
      return "map";
    case Kind::kSeq:
      return "list";
  }
  return "?";
}

const Node::Entry* Node::find_entry(std::string_view key) const {
  for (const auto& e : entries_) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

const Node* Node::find(std::string_view key) const {
  const Entry* e = find_entry(key);
  return e ? &e->value : nullptr;
}

Node* Node::find(std::string_view key) {
  for (auto& e : entries_) {
    if (e.key == key) return &e.value;
  }
  return nullptr;
}

Node& Node::set(std::string key, Node value, Origin key_origin) {
  if (kind_ == Kind::kNull) kind_ = Kind::kMap;
  for (auto& e : entries_) {
    if (e.key == key) {
      e.value = std::move(value);
      if (!key_origin.file.empty()) e.key_origin = std::move(key_origin);
      return e.value;
    }
  }
  entries_.push_back(Entry{std::move(key), std::move(key_origin), std::move(value)});
  return entries_.back().value;
}

bool Node::erase(std::string_view key) {
  auto it =
      std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.key == key; });
  if (it == entries_.end()) return false;
  entries_.erase(it);
  return true;
}

std::vector<std::string> Node::keys() const {
  std::vector<std::string> k;
  k.reserve(entries_.size());
  for (const auto& e : entries_) k.push_back(e.key);
  return k;
}

Node& Node::push(Node n) {
  if (kind_ == Kind::kNull) kind_ = Kind::kSeq;
  items_.push_back(std::move(n));
  return items_.back();
}

const Node& Node::at(std::string_view key) const {
  const Node* n = is_map() ? find(key) : nullptr;
  if (n == nullptr) {
    throw ConfigError(origin_, fmt::format("missing required key '{}'", key));
  }
  return *n;
}

namespace {

[[noreturn]] void wrong(const Node& n, std::string_view what, std::string_view example) {
  if (!n.is_scalar()) {
    throw ConfigError(
        n.origin(), fmt::format("expected {} such as {}, got a {}", what, example, n.kind_name()));
  }
  throw ConfigError(n.origin(),
                    fmt::format("expected {} such as {}, got '{}'", what, example, n.text()));
}

template <class F>
auto with_origin(const Node& n, std::string_view what, std::string_view example, F&& f) {
  if (!n.is_scalar()) wrong(n, what, example);
  try {
    return f(n.text());
  } catch (const UnitError& e) {
    throw ConfigError(n.origin(), e.what());
  }
}

}  // namespace

std::string Node::as_string() const {
  if (!is_scalar()) wrong(*this, "a string", "'hbm'");
  return text_;
}

bool Node::as_bool() const {
  if (is_scalar() && !quoted_) {
    if (text_ == "true" || text_ == "True" || text_ == "yes" || text_ == "on") return true;
    if (text_ == "false" || text_ == "False" || text_ == "no" || text_ == "off") return false;
  }
  wrong(*this, "a boolean", "true or false");
}

std::int64_t Node::as_int() const {
  if (is_scalar() && !quoted_) {
    std::int64_t v = 0;
    const char* b = text_.data();
    const char* e = b + text_.size();
    auto [p, ec] = std::from_chars(b, e, v);
    if (ec == std::errc() && p == e) return v;
  }
  wrong(*this, "an integer", "42");
}

std::uint64_t Node::as_uint() const {
  if (is_scalar() && !quoted_) {
    std::uint64_t v = 0;
    const char* b = text_.data();
    const char* e = b + text_.size();
    auto [p, ec] = std::from_chars(b, e, v);
    if (ec == std::errc() && p == e) return v;
  }
  wrong(*this, "a non-negative integer", "42");
}

double Node::as_double() const {
  if (is_scalar() && !quoted_) {
    double v = 0;
    const char* b = text_.data();
    const char* e = b + text_.size();
    auto [p, ec] = std::from_chars(b, e, v);
    if (ec == std::errc() && p == e) return v;
  }
  wrong(*this, "a number", "0.5");
}

Time Node::as_time() const {
  return with_origin(*this, "a time", "'120 ns'",
                     [](const std::string& t) { return parse_time(t); });
}
Bytes Node::as_size() const {
  return with_origin(*this, "a size", "'64 KiB'",
                     [](const std::string& t) { return parse_size(t); });
}
Bandwidth Node::as_bandwidth() const {
  return with_origin(*this, "a bandwidth", "'25 GB/s'",
                     [](const std::string& t) { return parse_bandwidth(t); });
}
Frequency Node::as_frequency() const {
  return with_origin(*this, "a frequency", "'1.6 GHz'",
                     [](const std::string& t) { return parse_frequency(t); });
}
TransferRate Node::as_transfer_rate() const {
  return with_origin(*this, "a transfer rate", "'6400 MT/s'",
                     [](const std::string& t) { return parse_transfer_rate(t); });
}
Energy Node::as_energy() const {
  return with_origin(*this, "an energy", "'0.9 nJ'",
                     [](const std::string& t) { return parse_energy(t); });
}

std::string Node::get_string_or(std::string_view key, std::string fallback) const {
  const Node* n = find(key);
  return n ? n->as_string() : fallback;
}
std::uint64_t Node::get_uint_or(std::string_view key, std::uint64_t fallback) const {
  const Node* n = find(key);
  return n ? n->as_uint() : fallback;
}
bool Node::get_bool_or(std::string_view key, bool fallback) const {
  const Node* n = find(key);
  return n ? n->as_bool() : fallback;
}

}  // namespace tiersim::config
