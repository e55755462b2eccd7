// Reading the resolved config stored in a results file, so a run can be repeated exactly.
#pragma once

#include <string>

namespace tiersim::run {

// True if `path` starts with the HDF5 signature.
[[nodiscard]] bool is_hdf5_file(const std::string& path);
// The YAML text of /config/resolved; throws std::runtime_error naming the file if absent.
[[nodiscard]] std::string read_resolved_config(const std::string& results_path);

}  // namespace tiersim::run
