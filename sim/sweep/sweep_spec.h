// Sweep files: a base experiment plus axes over any config key, expanded into points.
//
//   base: ../experiments/quickstart.yaml    # relative to this file
//   name: quickstart_sweep
//   output: sweeps/quickstart               # relative to the working directory
//   timeout: 10 min                         # per point
//   set: ["output.requests=false"]          # overrides applied to every point
//   grid:                                   # cartesian product of the axes
//     workloads.0.max_outstanding: [1, 4, 16, 64]
//   zip:                                    # aligned lists, crossed with the grid
//     workloads.1.interval: [1 ns, 2 ns]
//     workloads.1.requests: [2000, 1000]
//   points:                                 # or: an explicit list of points
//     - {workloads.0.max_outstanding: 8}
//   random:                                 # or: sampling with a seed
//     samples: 20
//     seed: 1
//     method: uniform | lhs                 # Latin hypercube: one sample per stratum per axis
//     ranges: {workloads.1.interval: [1 ns, 10 ns], workloads.0.max_outstanding: [1, 64]}
//
// Contract:
//  - expand() is deterministic: the same file gives the same points in the same order.
//  - grid and zip combine (product); points and random are alternatives to them and each other.
//  - Sampled values keep the unit of the range, three decimals ("3.250 ns"); unitless integer
//    ranges sample integers.
//  - Errors are config::ConfigErrors naming file:line:col.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/config/node.h"
#include "sim/units/units.h"

namespace tiersim::sweep {

// One point: the overrides that make it, in axis order (key, YAML value text).
struct Point {
  std::vector<std::pair<std::string, std::string>> params;
  [[nodiscard]] std::vector<std::string> sets() const;  // "key=value" for --set
};

struct SweepSpec {
  std::string file;  // the sweep file
  std::string name;
  std::string base;                     // absolute path of the base experiment
  std::string output;                   // output directory
  Time timeout;                         // per point; zero = none
  std::vector<std::string> fixed_sets;  // applied to every point, before the point's own
  std::vector<std::string> axes;        // the swept keys, in order (table columns)
  std::vector<Point> points;
};

[[nodiscard]] SweepSpec load_sweep(const std::string& path);

// FNV-1a 64 of the text, as 16 hex digits: a point's identity is the hash of its resolved config.
[[nodiscard]] std::string hash_text(const std::string& text);

}  // namespace tiersim::sweep
