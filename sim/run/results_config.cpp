#include "sim/run/results_config.h"

#include <H5Cpp.h>
#include <fmt/format.h>

#include <array>
#include <fstream>
#include <stdexcept>

namespace tiersim::run {

bool is_hdf5_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::array<char, 8> sig{};
  if (!f.read(sig.data(), sig.size())) return false;
  return std::string(sig.data(), sig.size()) == std::string("\x89HDF\r\n\x1a\n", 8);
}

std::string read_resolved_config(const std::string& results_path) {
  H5::Exception::dontPrint();
  try {
    H5::H5File file(results_path, H5F_ACC_RDONLY);
    H5::DataSet ds = file.openDataSet("/config/resolved");
    std::string text;
    ds.read(text, ds.getStrType(), ds.getSpace());
    return text;
  } catch (const H5::Exception& e) {
    throw std::runtime_error(
        fmt::format("{}: cannot read /config/resolved (not a tiersim results file?): {}",
                    results_path, e.getDetailMsg()));
  }
}

}  // namespace tiersim::run
