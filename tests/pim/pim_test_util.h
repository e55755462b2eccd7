// Loads a configs/pim/ preset (with optional YAML overrides) for the PIM tests.
#pragma once

#include <string>

#include "models/pim/pim_spec.h"

namespace tiersim::models::pim::test {

inline PimPreset preset(const std::string& file, const std::string& overrides = "") {
  return load_pim_preset(std::string(TIERSIM_SOURCE_DIR) + "/configs/pim/" + file, overrides);
}

}  // namespace tiersim::models::pim::test
