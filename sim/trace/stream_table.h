// The stream-tag table shared by trace readers and writers (traces/FORMAT.md).
//
// Contract:
//  - Index 0 is always "default"; further tags get the next index in order of addition.
//  - Tags match [A-Za-z_][A-Za-z0-9_.-]* (is_valid_stream_tag); the table holds at most 65536
//    tags, since a Record stores the index as uint16.
//  - find() does not allocate, so readers can look tags up per record.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tiersim::trace {

inline constexpr std::string_view kDefaultStream = "default";
inline constexpr std::size_t kMaxStreams = 65536;
inline constexpr std::string_view kStreamTagPattern = "[A-Za-z_][A-Za-z0-9_.-]*";

[[nodiscard]] bool is_valid_stream_tag(std::string_view tag);

class StreamTable {
 public:
  StreamTable();

  // Index of `tag`, if present.
  [[nodiscard]] std::optional<std::uint16_t> find(std::string_view tag) const;
  // Index of `tag`, adding it if new. Returns nullopt if the tag is new and the table is full.
  // The caller validates the tag first (is_valid_stream_tag).
  [[nodiscard]] std::optional<std::uint16_t> intern(std::string_view tag);

  [[nodiscard]] const std::vector<std::string>& tags() const { return tags_; }
  [[nodiscard]] std::size_t size() const { return tags_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    [[nodiscard]] std::size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>{}(s);
    }
  };
  std::vector<std::string> tags_;
  std::unordered_map<std::string, std::uint16_t, Hash, std::equal_to<>> index_;
};

}  // namespace tiersim::trace
