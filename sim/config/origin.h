// Where a config value came from: file, 1-based line and column.
#pragma once

#include <string>

namespace tiersim::config {

struct Origin {
  std::string file;  // path as the user gave it, or "<--set>" / "<default>"
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown

  // "file:line:col", or just "file" when the position is unknown.
  [[nodiscard]] std::string str() const;
};

}  // namespace tiersim::config
