// Loading an experiment for the CLI: from YAML, from a results file, or around a replayed trace.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/config/node.h"

namespace tiersim::cli {

// An experiment from a YAML file, or the resolved config stored in a results .h5, with --set
// overrides applied and validated.
[[nodiscard]] config::Node load_any(const std::string& path, const std::vector<std::string>& sets);

struct ReplayArgs {
  std::string trace;
  std::string system;
  std::string source;  // default: the only endpoint
  std::string target;  // default: the only component that serves requests
  std::uint64_t max_outstanding = 64;
};

// An experiment replaying one device trace against the `system:` of a YAML file.
[[nodiscard]] config::Node replay_experiment(const ReplayArgs& a,
                                             const std::vector<std::string>& sets);

}  // namespace tiersim::cli
