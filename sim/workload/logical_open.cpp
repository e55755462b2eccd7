#include <algorithm>
#include <cctype>
#include <fstream>

#include "sim/workload/logical_hdf5.h"
#include "sim/workload/logical_jsonl.h"

namespace tiersim::workload {

std::unique_ptr<LogicalTraceWriter> create_logical_trace(const std::string& path,
                                                         const LogicalHeader& h) {
  std::string lower = path;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.ends_with(".h5") || lower.ends_with(".hdf5")) {
    return std::make_unique<h5::Hdf5LogicalWriter>(path, h);
  }
  return std::make_unique<JsonlLogicalWriter>(path, h);
}

std::unique_ptr<LogicalTraceReader> open_logical_trace(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char sig[8] = {};
  in.read(sig, sizeof sig);
  if (in.gcount() == 8 && std::string_view(sig, 8) == std::string_view("\x89HDF\r\n\x1a\n", 8)) {
    return std::make_unique<h5::Hdf5LogicalReader>(path);
  }
  return std::make_unique<JsonlLogicalReader>(path);
}

}  // namespace tiersim::workload
