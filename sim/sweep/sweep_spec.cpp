#include "sim/sweep/sweep_spec.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>

#include "sim/config/config_error.h"
#include "sim/config/loader.h"
#include "sim/config/schema.h"

namespace tiersim::sweep {

using config::ConfigError;
using config::Node;
using config::Type;

namespace fs = std::filesystem;

std::vector<std::string> Point::sets() const {
  std::vector<std::string> s;
  s.reserve(params.size());
  for (const auto& [k, v] : params) s.push_back(k + "=" + v);
  return s;
}

std::string hash_text(const std::string& text) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return fmt::format("{:016x}", h);
}

namespace {

config::SchemaPtr sweep_schema() {
  auto range = std::make_shared<config::Schema>("random", "Sampled points.");
  range->add("samples", Type::kUInt, "Number of points.").require().at_least(1);
  range->add("seed", Type::kUInt, "Seed of the sampler.").default_to("1");
  range->add("method", Type::kString, "uniform or lhs (Latin hypercube).")
      .default_to("uniform")
      .one_of({"uniform", "lhs"});
  range->add("ranges", Type::kDict, "key: [low, high] (same unit; integers give integers).")
      .require()
      .items(Type::kAny);

  auto s = std::make_shared<config::Schema>("sweep", "A parameter sweep (`tiersim sweep`).");
  s->add("base", Type::kPath, "The base experiment file.").require();
  s->add("name", Type::kString, "Sweep name.").default_to("sweep");
  s->add("output", Type::kString, "Output directory (relative to the working directory).")
      .default_to("sweep_results");
  s->add("timeout", Type::kTime, "Wall-clock limit per point; 0 = none.").default_to("0 s");
  s->add("set", Type::kList, "Overrides applied to every point (key=value).").items(Type::kString);
  s->add("grid", Type::kDict, "Axes crossed as a cartesian product: key: [values].")
      .items(Type::kAny);
  s->add("zip", Type::kDict, "Aligned axes (equal lengths), crossed with the grid.")
      .items(Type::kAny);
  s->add("points", Type::kList, "An explicit list of points (maps of key: value).")
      .items(Type::kAny);
  s->add("random", Type::kMap, "Sampled points.").nested(range);
  return s;
}

std::string scalar_text(const Node& n, const std::string& what) {
  if (n.is_scalar()) return n.text();
  if (n.is_seq() || n.is_map()) return config::to_yaml(n).substr(0, config::to_yaml(n).size() - 1);
  throw ConfigError(n.origin(), fmt::format("{}: expected a value", what));
}

std::vector<std::string> values_of(const Node& list, const std::string& key) {
  if (!list.is_seq() || list.items().empty()) {
    throw ConfigError(list.origin(), fmt::format("'{}': expected a non-empty list of values", key));
  }
  std::vector<std::string> v;
  for (const auto& i : list.items()) v.push_back(scalar_text(i, key));
  return v;
}

// "1.5 ns" -> (1.5, "ns"); "64" -> (64, ""). Throws at n's origin if not numeric.
std::pair<double, std::string> split_number(const Node& n, const std::string& key) {
  const std::string t = n.as_string();
  std::size_t pos = 0;
  double v = 0;
  try {
    v = std::stod(t, &pos);
  } catch (const std::exception&) {
    throw ConfigError(n.origin(),
                      fmt::format("'{}': '{}' is not a number with an optional unit", key, t));
  }
  std::string unit = t.substr(pos);
  unit.erase(0, unit.find_first_not_of(' '));
  return {v, unit};
}

struct Range {
  std::string key;
  double low;
  double high;
  std::string unit;
  bool integer;
};

std::string format_value(const Range& r, double x) {
  if (r.integer) {
    return fmt::format("{}{}{}", static_cast<long long>(std::llround(x)), r.unit.empty() ? "" : " ",
                       r.unit);
  }
  if (!r.unit.empty()) {
    // Three decimals, truncated (so a sample never leaves its stratum): "3.141 ns" stays a whole
    // number of picoseconds, and a quantity's resolution is at least 1/1000 of its unit.
    return fmt::format("{:.3f} {}", std::floor(x * 1000.0) / 1000.0, r.unit);
  }
  return fmt::format("{:.10g}", x);
}

std::vector<Point> sample(const Node& rnd) {
  const std::uint64_t n = rnd.get_uint("samples");
  const bool lhs = rnd.get_string("method") == "lhs";
  std::mt19937_64 rng(rnd.get_uint("seed"));
  const auto unit01 = [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
  std::vector<Range> ranges;
  for (const auto& e : rnd.at("ranges").entries()) {
    if (!e.value.is_seq() || e.value.items().size() != 2) {
      throw ConfigError(e.value.origin(), fmt::format("'{}': expected [low, high]", e.key));
    }
    const auto [lo, ulo] = split_number(e.value.items()[0], e.key);
    const auto [hi, uhi] = split_number(e.value.items()[1], e.key);
    if (ulo != uhi) {
      throw ConfigError(
          e.value.origin(),
          fmt::format("'{}': low and high need the same unit ('{}' vs '{}')", e.key, ulo, uhi));
    }
    if (!(hi >= lo)) {
      throw ConfigError(e.value.origin(), fmt::format("'{}': high must be >= low", e.key));
    }
    const auto is_int = [](const std::string& s) {
      return s.find_first_of(".eE") == std::string::npos;
    };
    // Unitless integer bounds sample integers; everything else samples continuously.
    ranges.push_back(
        {e.key, lo, hi, ulo,
         ulo.empty() && is_int(e.value.items()[0].text()) && is_int(e.value.items()[1].text())});
  }
  std::vector<Point> points(n);
  for (const auto& r : ranges) {
    // Latin hypercube: a random permutation of the n strata, one uniform draw inside each.
    std::vector<std::uint64_t> strata(n);
    for (std::uint64_t i = 0; i < n; ++i) strata[i] = i;
    if (lhs) {
      for (std::uint64_t i = n; i > 1; --i) std::swap(strata[i - 1], strata[rng() % i]);
    }
    for (std::uint64_t i = 0; i < n; ++i) {
      const double u =
          lhs ? (static_cast<double>(strata[i]) + unit01()) / static_cast<double>(n) : unit01();
      double x = r.low + u * (r.high - r.low);
      if (r.integer) x = std::min(std::floor(r.low + u * (r.high - r.low + 1.0)), r.high);
      points[i].params.emplace_back(r.key, format_value(r, x));
    }
  }
  return points;
}

}  // namespace

SweepSpec load_sweep(const std::string& path) {
  Node root = config::load_file(path);
  config::validate(root, *sweep_schema());
  SweepSpec s;
  s.file = path;
  s.name = root.get_string("name");
  s.base = root.get_string("base");
  s.output = root.get_string("output");
  s.timeout = root.get_time("timeout");
  if (const Node* set = root.find("set")) {
    for (const auto& i : set->items()) s.fixed_sets.push_back(i.as_string());
  }
  const Node* grid = root.find("grid");
  const Node* zip = root.find("zip");
  const Node* points = root.find("points");
  const Node* rnd = root.find("random");
  const int kinds = (grid || zip ? 1 : 0) + (points ? 1 : 0) + (rnd ? 1 : 0);
  if (kinds != 1) {
    throw ConfigError(root.origin(),
                      "a sweep needs exactly one of: grid and/or zip, points, random");
  }
  if (grid || zip) {
    // Start with one empty point; cross each grid axis, then the zip group.
    std::vector<Point> acc(1);
    if (grid) {
      for (const auto& e : grid->entries()) {
        s.axes.push_back(e.key);
        const auto vals = values_of(e.value, e.key);
        std::vector<Point> next;
        for (const auto& p : acc) {
          for (const auto& v : vals) {
            Point q = p;
            q.params.emplace_back(e.key, v);
            next.push_back(std::move(q));
          }
        }
        acc = std::move(next);
      }
    }
    if (zip) {
      std::size_t len = 0;
      std::vector<std::pair<std::string, std::vector<std::string>>> cols;
      for (const auto& e : zip->entries()) {
        s.axes.push_back(e.key);
        cols.emplace_back(e.key, values_of(e.value, e.key));
        if (len == 0) len = cols.back().second.size();
        if (cols.back().second.size() != len) {
          throw ConfigError(e.value.origin(),
                            fmt::format("zip axis '{}' has {} values, the first has {}", e.key,
                                        cols.back().second.size(), len));
        }
      }
      std::vector<Point> next;
      for (const auto& p : acc) {
        for (std::size_t i = 0; i < len; ++i) {
          Point q = p;
          for (const auto& [k, v] : cols) q.params.emplace_back(k, v[i]);
          next.push_back(std::move(q));
        }
      }
      acc = std::move(next);
    }
    s.points = std::move(acc);
  } else if (points) {
    for (const auto& item : points->items()) {
      if (!item.is_map()) throw ConfigError(item.origin(), "points: each point is a map");
      Point p;
      for (const auto& e : item.entries()) {
        if (std::find(s.axes.begin(), s.axes.end(), e.key) == s.axes.end()) s.axes.push_back(e.key);
        p.params.emplace_back(e.key, scalar_text(e.value, e.key));
      }
      s.points.push_back(std::move(p));
    }
  } else {
    for (const auto& e : rnd->at("ranges").entries()) s.axes.push_back(e.key);
    s.points = sample(*rnd);
  }
  return s;
}

}  // namespace tiersim::sweep
