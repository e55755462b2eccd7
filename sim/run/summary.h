// Run totals, the /summary attributes, and the console summary table.
#pragma once

#include <string>
#include <vector>

#include "sim/kernel/system.h"
#include "sim/stats/histogram.h"
#include "sim/stats/results_file.h"

namespace tiersim::run {

struct RunResult;

struct RunTotals {
  std::uint64_t reads = 0;
  std::uint64_t writes = 0;
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_written = 0;
  Time end;  // completion of the last request
  stats::LatencyHistogram latency;
};

// /summary attributes, in a fixed order (docs/output.md lists them).
[[nodiscard]] std::vector<stats::Attr> summary_attributes(const std::string& name,
                                                          std::uint64_t seed, const RunTotals& t);

void print_summary(const std::string& name, std::uint64_t seed, const RunTotals& t,
                   kernel::System& system, const stats::StatsRegistry& registry,
                   const RunResult& result);

// "1.5 GiB", "64 B": a size for people.
[[nodiscard]] std::string human_bytes(double bytes);
// "1.234 ms", "87 ns": a time for people.
[[nodiscard]] std::string human_time(Time t);

}  // namespace tiersim::run
