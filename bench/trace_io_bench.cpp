// Logical-trace streaming throughput and memory: writes N access records (default 10 M) to a
// temporary HDF5 (or JSONL) logical trace, reads them back, and prints records per second and
// the process's peak resident set (VmHWM) after each phase. The file is removed at the end.
//
//   build/bench/tiersim_trace_io_bench [records] [h5|jsonl]
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "sim/workload/logical_trace.h"

namespace {

using tiersim::Bytes;
using tiersim::workload::Access;
using tiersim::workload::AccessKind;

// Peak resident set of this process, in MiB (Linux /proc/self/status VmHWM).
double peak_rss_mib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("VmHWM:")) return std::stod(line.substr(6)) / 1024.0;
  }
  return -1.0;
}

Access record(std::uint64_t i) {
  Access a;
  a.step = i / 300;  // about one decode step of a 32-layer model per 300 records
  a.layer = static_cast<std::uint16_t>((i / 9) % 32);
  a.kind = static_cast<AccessKind>(1 + i % 7);
  a.request = a.kind == AccessKind::kKvRead || a.kind == AccessKind::kKvWrite
                  ? 0
                  : tiersim::workload::kNoRequest;
  a.index = static_cast<std::uint32_t>(i % 5);
  a.count = 1 + (i * 2654435761u) % 16384;
  a.bytes = Bytes(a.count * 16386);
  return a;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000;
  const std::string form = argc > 2 ? argv[2] : "h5";
  const auto dir =
      std::filesystem::temp_directory_path() / fmt::format("tiersim-trace-io-bench-{}", ::getpid());
  std::filesystem::create_directories(dir);
  const std::string path =
      (dir / ("bench." + std::string(form == "jsonl" ? "jsonl" : "h5"))).string();
  int status = 0;
  try {
    auto t0 = std::chrono::steady_clock::now();
    {
      auto w = tiersim::workload::create_logical_trace(path, {});
      tiersim::workload::Request r;
      w->write_request(r);
      for (std::uint64_t i = 0; i < n; ++i) w->write_access(record(i));
      w->close();
    }
    const double wt = seconds_since(t0);
    const double rss_w = peak_rss_mib();
    const auto size = std::filesystem::file_size(path);
    t0 = std::chrono::steady_clock::now();
    std::uint64_t got = 0;
    std::uint64_t bytes = 0;
    {
      auto rd = tiersim::workload::open_logical_trace(path);
      Access a;
      while (rd->next_access(a)) {
        ++got;
        bytes += a.bytes.count();
      }
    }
    const double rt = seconds_since(t0);
    const double rss_r = peak_rss_mib();
    std::cout << fmt::format("{} records, {} form, file {:.1f} MB ({:.2f} B/record)\n", n, form,
                             static_cast<double>(size) / 1e6,
                             static_cast<double>(size) / static_cast<double>(n));
    std::cout << fmt::format("write: {:.2f} s, {:.2f} M records/s, peak RSS {:.1f} MiB\n", wt,
                             static_cast<double>(n) / wt / 1e6, rss_w);
    std::cout << fmt::format("read:  {:.2f} s, {:.2f} M records/s, peak RSS {:.1f} MiB\n", rt,
                             static_cast<double>(got) / rt / 1e6, rss_r);
    if (got != n) {
      std::cerr << fmt::format("read {} records, expected {}\n", got, n);
      status = 1;
    }
    (void)bytes;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    status = 1;
  }
  std::filesystem::remove_all(dir);
  return status;
}
