#include "sim/trace/stream_table.h"

namespace tiersim::trace {

namespace {

[[nodiscard]] constexpr bool is_tag_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

[[nodiscard]] constexpr bool is_tag_char(char c) {
  return is_tag_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

}  // namespace

bool is_valid_stream_tag(std::string_view tag) {
  if (tag.empty() || !is_tag_start(tag.front())) return false;
  for (char c : tag.substr(1)) {
    if (!is_tag_char(c)) return false;
  }
  return true;
}

StreamTable::StreamTable() {
  tags_.emplace_back(kDefaultStream);
  index_.emplace(std::string(kDefaultStream), std::uint16_t{0});
}

std::optional<std::uint16_t> StreamTable::find(std::string_view tag) const {
  const auto it = index_.find(tag);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::uint16_t> StreamTable::intern(std::string_view tag) {
  if (const auto found = find(tag)) return found;
  if (tags_.size() >= kMaxStreams) return std::nullopt;
  const auto id = static_cast<std::uint16_t>(tags_.size());
  tags_.emplace_back(tag);
  index_.emplace(std::string(tag), id);
  return id;
}

}  // namespace tiersim::trace
