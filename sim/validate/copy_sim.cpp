#include "sim/validate/copy_sim.h"

#include <fcntl.h>
#include <hdf5.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace tiersim::validate {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kChunk = 2u << 20;  // the copy engine's chunk (bench/pcie_bandwidth.py)

std::string workload(const HostCopy& c, unsigned index) {
  const std::uint64_t bytes = c.bytes.count();
  const std::uint64_t chunk = std::min(bytes, kChunk);
  return fmt::format(
      "{{type: synthetic, name: copy{}, source: gpu, target: {}, pattern: sequential, "
      "requests: {}, size: {} B, footprint: {} B, read_fraction: {}, max_outstanding: 2, "
      "start: 2 us}}",
      index, c.pageable ? "pageable" : "host_mem", (bytes + chunk - 1) / chunk, chunk,
      (bytes + chunk - 1) / chunk * chunk, c.to_device ? "1.0" : "0.0");
}

std::int64_t read_sim_time_ps(const std::string& h5) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const hid_t f = H5Fopen(h5.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) throw std::runtime_error("cannot open " + h5);
  std::int64_t ps = -1;
  const hid_t a = H5Aopen_by_name(f, "/summary", "sim_time_ps", H5P_DEFAULT, H5P_DEFAULT);
  if (a >= 0) {
    if (H5Aread(a, H5T_NATIVE_INT64, &ps) < 0) ps = -1;
    H5Aclose(a);
  }
  H5Fclose(f);
  if (ps < 0) throw std::runtime_error(h5 + ": no /summary sim_time_ps");
  return ps;
}

}  // namespace

CopySimulator::CopySimulator(std::string tiersim, std::string system)
    : tiersim_(std::move(tiersim)), system_(std::move(system)) {
  std::string templ = (fs::temp_directory_path() / "tiersim-validate-XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr) {
    throw std::runtime_error("cannot make a temp directory: " + std::string(std::strerror(errno)));
  }
  dir_ = templ;
}

CopySimulator::~CopySimulator() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

Time CopySimulator::simulate_copies(const std::vector<HostCopy>& copies) {
  std::string w = "workloads=[";
  for (unsigned i = 0; i < copies.size(); ++i) w += (i ? ", " : "") + workload(copies[i], i);
  w += "]";
  const std::string out = dir_ + "/run" + std::to_string(runs_) + ".h5";
  const std::string log = dir_ + "/run" + std::to_string(runs_) + ".log";
  ++runs_;
  std::vector<std::string> args = {
      tiersim_, "run", system_, "-q", "--no-progress", "-o", out, "--set", "kernel.quantum=0 ns",
      "--set",  w};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, tiersim_.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error("cannot start " + tiersim_ + ": " + std::strerror(rc));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error("waitpid: " + std::string(std::strerror(errno)));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::ifstream in(log);
    std::stringstream ss;
    ss << in.rdbuf();
    throw std::runtime_error("simulating a copy failed (" + tiersim_ + " run " + system_ +
                             "): " + ss.str());
  }
  const std::int64_t ps = read_sim_time_ps(out);
  std::error_code ec;
  fs::remove(out, ec);
  fs::remove(log, ec);
  return Time::ps(ps);
}

}  // namespace tiersim::validate
