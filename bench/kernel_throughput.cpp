// End-to-end kernel throughput: completed requests per second through ideal_memory on one core.
//
// Builds host -> link -> ideal_memory from YAML, replays a synthetic stream of 64 B reads with the
// full stack (SystemC kernel, TLM-2.0 sockets, fabric, link and memory timelines, per-workload
// statistics, summary histogram), writes the HDF5 results (without the per-request table) and
// prints requests per wall-clock second. SystemC elaborates once per process, so each
// configuration is one invocation:
//   kernel_throughput [requests] [quantum, e.g. "1 us" or "0 ns"] [pattern] [max_outstanding]
#include <fmt/format.h>

#include <unistd.h>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <systemc>

#include "sim/kernel/sc_entry.h"

#include "sim/config/loader.h"
#include "sim/run/experiment.h"

int sc_main(int argc, char* argv[]) {
  const std::string requests = argc > 1 ? argv[1] : "20000000";
  const std::string quantum = argc > 2 ? argv[2] : "1 us";
  const std::string pattern = argc > 3 ? argv[3] : "sequential";
  const std::string outstanding = argc > 4 ? argv[4] : "64";
  const std::string yaml = fmt::format(R"(
name: kernel_throughput
kernel: {{quantum: {}}}
system:
  components:
    host: {{type: endpoint}}
    mem: {{type: ideal_memory, bandwidth: 3.35 TB/s, latency: 100 ns}}
  links:
    - {{between: [host, mem], bandwidth: 4 TB/s, latency: 20 ns}}
workloads:
  - {{type: synthetic, pattern: {}, requests: {}, size: 64 B, source: host, target: mem,
     max_outstanding: {}}}
stats: {{window: 10 us}}
output: {{requests: false}}
)",
                                       quantum, pattern, requests, outstanding);
  const auto out =
      std::filesystem::temp_directory_path() / fmt::format("tiersim-bench-{}.h5", ::getpid());
  tiersim::config::Node root = tiersim::config::parse_yaml(yaml, "<bench>");
  tiersim::run::validate_experiment(root);
  tiersim::run::RunOptions opts;
  opts.output_path = out.string();
  opts.quiet = true;
  opts.progress = false;
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = tiersim::run::run_experiment(root, "<bench>", opts);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::filesystem::remove(out);
  fmt::print(
      "requests={} quantum='{}' pattern={} max_outstanding={} wall={:.3f} s  "
      "throughput={:.2f} M requests/s\n",
      r.requests, quantum, pattern, outstanding, s, static_cast<double>(r.requests) / s * 1e-6);
  return 0;
}

int main(int argc, char* argv[]) {
  return tiersim::kernel::systemc_main(argc, argv);
}
