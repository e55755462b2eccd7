// The config tree: YAML after loading, with the file/line/column of every key and value.
//
// Contract:
//  - Maps keep insertion order (deterministic output) and have unique keys.
//  - Scalars keep their text exactly as written; typed getters parse on demand and throw
//    ConfigError naming the value's origin when the text does not parse as asked.
//  - get_*(key) on a map throws ConfigError "missing required key" at the map's origin when the
//    key is absent; the *_or(key, fallback) forms return the fallback instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config/origin.h"
#include "sim/units/units.h"

namespace tiersim::config {

class Node {
 public:
  enum class Kind { kNull, kScalar, kMap, kSeq };
  struct Entry;

  Node() = default;
  static Node scalar(std::string text, Origin origin, bool quoted = false);
  static Node map(Origin origin);
  static Node seq(Origin origin);
  static Node null(Origin origin);

  [[nodiscard]] Kind kind() const { return kind_; }
  [[nodiscard]] bool is_map() const { return kind_ == Kind::kMap; }
  [[nodiscard]] bool is_seq() const { return kind_ == Kind::kSeq; }
  [[nodiscard]] bool is_scalar() const { return kind_ == Kind::kScalar; }
  [[nodiscard]] bool is_null() const { return kind_ == Kind::kNull; }
  [[nodiscard]] const Origin& origin() const { return origin_; }
  void set_origin(Origin o) { origin_ = std::move(o); }
  [[nodiscard]] std::string_view kind_name() const;

  // Scalars.
  [[nodiscard]] const std::string& text() const { return text_; }
  [[nodiscard]] bool quoted() const { return quoted_; }
  void set_text(std::string t) { text_ = std::move(t); }

  // Maps.
  [[nodiscard]] const std::vector<Entry>& entries() const { return entries_; }
  [[nodiscard]] std::vector<Entry>& entries() { return entries_; }
  [[nodiscard]] const Node* find(std::string_view key) const;
  [[nodiscard]] Node* find(std::string_view key);
  [[nodiscard]] const Entry* find_entry(std::string_view key) const;
  [[nodiscard]] bool has(std::string_view key) const { return find(key) != nullptr; }
  // Inserts or replaces; returns the stored value.
  Node& set(std::string key, Node value, Origin key_origin = {});
  bool erase(std::string_view key);
  [[nodiscard]] std::vector<std::string> keys() const;

  // Sequences.
  [[nodiscard]] const std::vector<Node>& items() const { return items_; }
  [[nodiscard]] std::vector<Node>& items() { return items_; }
  Node& push(Node n);

  // Child access for maps: throws ConfigError if missing.
  [[nodiscard]] const Node& at(std::string_view key) const;

  // Typed views of this scalar (throw ConfigError at origin()).
  [[nodiscard]] std::string as_string() const;
  [[nodiscard]] bool as_bool() const;
  [[nodiscard]] std::int64_t as_int() const;
  [[nodiscard]] std::uint64_t as_uint() const;
  [[nodiscard]] double as_double() const;
  [[nodiscard]] Time as_time() const;
  [[nodiscard]] Bytes as_size() const;
  [[nodiscard]] Bandwidth as_bandwidth() const;
  [[nodiscard]] Frequency as_frequency() const;
  [[nodiscard]] TransferRate as_transfer_rate() const;
  [[nodiscard]] Energy as_energy() const;

  // Typed children of a map.
  [[nodiscard]] std::string get_string(std::string_view key) const { return at(key).as_string(); }
  [[nodiscard]] bool get_bool(std::string_view key) const { return at(key).as_bool(); }
  [[nodiscard]] std::int64_t get_int(std::string_view key) const { return at(key).as_int(); }
  [[nodiscard]] std::uint64_t get_uint(std::string_view key) const { return at(key).as_uint(); }
  [[nodiscard]] double get_double(std::string_view key) const { return at(key).as_double(); }
  [[nodiscard]] Time get_time(std::string_view key) const { return at(key).as_time(); }
  [[nodiscard]] Bytes get_size(std::string_view key) const { return at(key).as_size(); }
  [[nodiscard]] Bandwidth get_bandwidth(std::string_view key) const {
    return at(key).as_bandwidth();
  }
  [[nodiscard]] Frequency get_frequency(std::string_view key) const {
    return at(key).as_frequency();
  }
  [[nodiscard]] Energy get_energy(std::string_view key) const { return at(key).as_energy(); }
  [[nodiscard]] std::string get_string_or(std::string_view key, std::string fallback) const;
  [[nodiscard]] std::uint64_t get_uint_or(std::string_view key, std::uint64_t fallback) const;
  [[nodiscard]] bool get_bool_or(std::string_view key, bool fallback) const;

 private:
  Kind kind_ = Kind::kNull;
  Origin origin_;
  std::string text_;
  bool quoted_ = false;
  std::vector<Entry> entries_;
  std::vector<Node> items_;
};

struct Node::Entry {
  std::string key;
  Origin key_origin;
  Node value;
};

}  // namespace tiersim::config
