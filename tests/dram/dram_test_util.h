// Helpers for the DRAM tests: load a preset from configs/dram/ (validated by the component's
// schema, with optional YAML overrides merged on top) into a DramSpec.
#pragma once

#include <string>

#include "models/dram/spec.h"
#include "sim/config/loader.h"

namespace tiersim::models::dram::test {

// `overrides` is a YAML map merged onto the preset (e.g. "refresh: {mode: none}").
inline DramSpec load_preset(const std::string& file, const std::string& overrides = "") {
  config::Node n = config::load_file(std::string(TIERSIM_SOURCE_DIR) + "/configs/dram/" + file);
  if (!overrides.empty()) config::merge_into(n, config::parse_yaml(overrides, "<overrides>"));
  config::validate(n, *dram_schema());
  return spec_from_config(n);
}

}  // namespace tiersim::models::dram::test
