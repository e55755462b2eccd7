// The one exception type for bad configuration.
//
// what() is the complete user-facing message:  "<file>:<line>:<col>: error: <message>"
// (or "<file>: error: <message>" when the position is unknown), followed, when present, by
// "\n  note: <note>" lines. The CLI prints what() verbatim and exits with status 2.
#pragma once

#include <stdexcept>
#include <string>

#include "sim/config/origin.h"

namespace tiersim::config {

class ConfigError : public std::runtime_error {
 public:
  ConfigError(const Origin& origin, const std::string& message, const std::string& note = "");
  [[nodiscard]] const Origin& origin() const { return origin_; }
  [[nodiscard]] const std::string& message() const { return message_; }

 private:
  Origin origin_;
  std::string message_;
};

}  // namespace tiersim::config
