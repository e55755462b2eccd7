#include "sim/config/config_error.h"

#include <fmt/format.h>

namespace tiersim::config {

std::string Origin::str() const {
  if (line <= 0) return file;
  return fmt::format("{}:{}:{}", file, line, column);
}

namespace {
std::string compose(const Origin& o, const std::string& message, const std::string& note) {
  std::string s = fmt::format("{}: error: {}", o.str(), message);
  if (!note.empty()) s += fmt::format("\n  note: {}", note);
  return s;
}
}  // namespace

ConfigError::ConfigError(const Origin& origin, const std::string& message, const std::string& note)
    : std::runtime_error(compose(origin, message, note)), origin_(origin), message_(message) {}

}  // namespace tiersim::config
