// Helpers for the flash tests: load an `ssd` preset (validated by the component schema) into an
// SsdModel, and a closed-loop queue-depth driver over the model (no SystemC, no events).
#pragma once

#include <functional>
#include <queue>
#include <string>
#include <vector>

#include "models/flash/ssd.h"
#include "sim/config/loader.h"

namespace tiersim::models::flash::test {

inline config::Node load_ssd_node(const std::string& path, const std::string& overrides = "") {
  config::Node n = config::load_file(std::string(TIERSIM_SOURCE_DIR) + "/" + path);
  if (!overrides.empty()) config::merge_into(n, config::parse_yaml(overrides, "<overrides>"));
  config::validate(n, *Ssd::schema());
  return n;
}

inline SsdModel load_ssd(const std::string& path, const std::string& overrides = "") {
  const config::Node n = load_ssd_node(path, overrides);
  return SsdModel(nand_from_config(n.at("nand")), controller_from_config(n.at("controller")),
                  parse_fidelity(n.get_string("fidelity")));
}

struct LoopResult {
  Time end;  // completion of the last request
  std::uint64_t ios = 0;
  Time latency_sum;  // sum of (completion - arrival)
};

// Keeps `qd` requests outstanding; request i is issued when a slot frees (the first qd at
// `start`). issue(i, arrival) returns its completion time.
inline LoopResult closed_loop(std::uint32_t qd, std::uint64_t n,
                              const std::function<Time(std::uint64_t, Time)>& issue,
                              Time start = Time::zero()) {
  std::priority_queue<std::int64_t, std::vector<std::int64_t>, std::greater<>> done;
  LoopResult r;
  for (std::uint64_t i = 0; i < n; ++i) {
    Time arrival = start;
    if (done.size() == qd) {
      arrival = Time::ps(done.top());
      done.pop();
    }
    const Time c = issue(i, arrival);
    r.latency_sum += c - arrival;
    r.end = max(r.end, c);
    done.push(c.ps());
    ++r.ios;
  }
  return r;
}

}  // namespace tiersim::models::flash::test
