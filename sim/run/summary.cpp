#include "sim/run/summary.h"

#include <fmt/format.h>

#include "sim/run/experiment.h"

namespace tiersim::run {

std::string human_bytes(double b) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  int u = 0;
  while (b >= 1024.0 && u < 5) {
    b /= 1024.0;
    ++u;
  }
  return u == 0 ? fmt::format("{:.0f} B", b) : fmt::format("{:.2f} {}", b, units[u]);
}

std::string human_time(Time t) {
  const double ps = static_cast<double>(t.ps());
  if (ps < 1e3) return fmt::format("{:.0f} ps", ps);
  if (ps < 1e6) return fmt::format("{:.3f} ns", ps * 1e-3);
  if (ps < 1e9) return fmt::format("{:.3f} us", ps * 1e-6);
  if (ps < 1e12) return fmt::format("{:.3f} ms", ps * 1e-9);
  return fmt::format("{:.3f} s", ps * 1e-12);
}

std::vector<stats::Attr> summary_attributes(const std::string& name, std::uint64_t seed,
                                            const RunTotals& t) {
  const std::uint64_t bytes = t.bytes_read + t.bytes_written;
  const double bw = t.end.ps() > 0 ? static_cast<double>(bytes) / t.end.as_seconds() * 1e-9 : 0.0;
  return {
      {"name", name},
      {"seed", seed},
      {"sim_time_ps", t.end.ps()},
      {"requests", t.reads + t.writes},
      {"reads", t.reads},
      {"writes", t.writes},
      {"bytes_read", t.bytes_read},
      {"bytes_written", t.bytes_written},
      {"bandwidth_GBps", bw},
      {"latency_mean_ps", t.latency.mean().ps()},
      {"latency_min_ps", t.latency.count() ? t.latency.min().ps() : std::int64_t{0}},
      {"latency_p50_ps", t.latency.percentile(0.50).ps()},
      {"latency_p90_ps", t.latency.percentile(0.90).ps()},
      {"latency_p99_ps", t.latency.percentile(0.99).ps()},
      {"latency_p999_ps", t.latency.percentile(0.999).ps()},
      {"latency_max_ps", t.latency.max().ps()},
  };
}

void print_summary(const std::string& name, std::uint64_t seed, const RunTotals& t,
                   kernel::System& system, const stats::StatsRegistry& registry,
                   const RunResult& result) {
  (void)registry;
  const std::uint64_t n = t.reads + t.writes;
  const std::uint64_t bytes = t.bytes_read + t.bytes_written;
  const double bw = t.end.ps() > 0 ? static_cast<double>(bytes) / t.end.as_seconds() * 1e-9 : 0.0;
  fmt::print("tiersim {} | experiment '{}' | seed {}\n", TIERSIM_VERSION, name, seed);
  fmt::print("  {:<18}{}\n", "simulated time", human_time(t.end));
  fmt::print("  {:<18}{} ({} reads, {} writes)\n", "requests", n, t.reads, t.writes);
  fmt::print("  {:<18}{} read, {} written\n", "bytes",
             human_bytes(static_cast<double>(t.bytes_read)),
             human_bytes(static_cast<double>(t.bytes_written)));
  fmt::print("  {:<18}{:.3f} GB/s\n", "bandwidth", bw);
  fmt::print("  {:<18}mean {}  p50 {}  p99 {}  max {}\n", "latency", human_time(t.latency.mean()),
             human_time(t.latency.percentile(0.5)), human_time(t.latency.percentile(0.99)),
             human_time(t.latency.max()));
  fmt::print("  {:<18}{:.3f} s ({:.2f} M requests/s)\n", "wall time", result.wall_seconds,
             result.wall_seconds > 0 ? static_cast<double>(n) / result.wall_seconds * 1e-6 : 0.0);
  const auto& links = system.fabric().links();
  if (!links.empty()) {
    fmt::print("\n  {:<20}{:>14}{:>14}{:>10}{:>10}\n", "link", "bytes a->b", "bytes b->a",
               "util a->b", "util b->a");
    for (const auto& l : links) {
      auto util = [&](int d) {
        return t.end.ps() > 0 ? 100.0 * static_cast<double>(l->direction(d).busy_time().ps()) /
                                    static_cast<double>(t.end.ps())
                              : 0.0;
      };
      auto moved = [&](int d) { return human_bytes(static_cast<double>(l->bytes_carried(d))); };
      fmt::print("  {:<20}{:>14}{:>14}{:>9.1f}%{:>9.1f}%\n", l->name(), moved(0), moved(1), util(0),
                 util(1));
    }
  }
  fmt::print("\n  results written to {}\n", result.results_path);
}

}  // namespace tiersim::run
