#include "sim/run/serving_sources.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "sim/config/config_error.h"
#include "sim/workload/importers.h"
#include "sim/workload/request_filter.h"
#include "sim/workload/synthetic.h"

namespace tiersim::run {

namespace {

using config::ConfigError;
using config::Node;

std::string length_spec(const Node& n) {
  const std::string s = n.as_string();
  if (!s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return "fixed:" + s;
  }
  return s;
}

template <class F>
auto parse_at(const Node& n, F&& parse) {
  try {
    return parse(n.as_string());
  } catch (const std::invalid_argument& e) {
    throw ConfigError(n.origin(), e.what());
  }
}

workload::LengthDist length(const Node& requests, const char* key) {
  const Node& n = requests.at(key);
  try {
    return workload::parse_length_dist(length_spec(n));
  } catch (const std::invalid_argument& e) {
    throw ConfigError(n.origin(), e.what());
  }
}

std::uint32_t upper_bound(const workload::LengthDist& d) {
  using K = workload::LengthDist::Kind;
  if (d.kind == K::kFixed) return static_cast<std::uint32_t>(std::llround(d.a));
  if (d.kind == K::kUniform) return static_cast<std::uint32_t>(std::llround(d.b));
  return 0;
}

class ZeroArrivals final : public workload::RequestSource {
 public:
  explicit ZeroArrivals(std::unique_ptr<workload::RequestSource> in) : in_(std::move(in)) {}
  bool next(workload::Request& out) override {
    if (!in_->next(out)) return false;
    out.arrival = Time::zero();
    return true;
  }
  std::string name() const override { return in_->name(); }

 private:
  std::unique_ptr<workload::RequestSource> in_;
};

class Limited final : public workload::RequestSource {
 public:
  Limited(std::unique_ptr<workload::RequestSource> in, std::uint64_t n)
      : in_(std::move(in)), left_(n) {}
  bool next(workload::Request& out) override {
    if (left_ == 0 || !in_->next(out)) return false;
    --left_;
    return true;
  }
  std::string name() const override { return in_->name(); }

 private:
  std::unique_ptr<workload::RequestSource> in_;
  std::uint64_t left_;
};

}  // namespace

std::unique_ptr<workload::RequestSource> make_request_source(const Node& r,
                                                             const workload::ModelSpec& model,
                                                             std::uint64_t seed) {
  const std::string src = r.get_string("source");
  if (src == "synthetic") {
    workload::SyntheticOptions o;
    o.count = r.get_uint("count");
    o.seed = seed;
    o.prompt = length(r, "prompt_tokens");
    o.output = length(r, "output_tokens");
    const Node& arr = r.at("arrivals");
    const bool at_once = arr.as_string() == "all_at_once";
    o.arrivals =
        at_once ? workload::parse_arrivals("fixed:1")
                : parse_at(arr, [](const std::string& s) { return workload::parse_arrivals(s); });
    auto s = std::make_unique<workload::SyntheticSource>(o);
    if (at_once) return std::make_unique<ZeroArrivals>(std::move(s));
    return s;
  }
  if (src == "closed_loop") {
    workload::ClosedLoopOptions o;
    o.users = r.get_uint("users");
    o.per_user = r.get_uint("per_user");
    o.seed = seed;
    o.think =
        parse_at(r.at("think"), [](const std::string& s) { return workload::parse_think(s); });
    o.prompt = length(r, "prompt_tokens");
    o.output = length(r, "output_tokens");
    return std::make_unique<workload::ClosedLoopSource>(o);
  }
  workload::RequestFilterOptions f;
  f.rate_scale = r.get_double("rate_scale");
  f.max_prompt = static_cast<std::uint32_t>(r.get_uint("max_prompt"));
  f.max_output = static_cast<std::uint32_t>(r.get_uint("max_output"));
  f.max_context = model.max_context;
  std::unique_ptr<workload::RequestSource> s = std::make_unique<workload::FilteredSource>(
      workload::open_requests(r.get_string("path"), r.get_string("format")), f);
  const std::uint64_t count = r.get_uint("count");
  if (count > 0) {
    s = std::make_unique<Limited>(std::move(s), count);
  }
  return s;
}

StreamShape stream_shape(const Node& r, const workload::ModelSpec& model) {
  StreamShape s;
  const std::string src = r.get_string("source");
  if (src == "synthetic") s.count = r.get_uint("count");
  if (src == "closed_loop") s.count = r.get_uint("users") * r.get_uint("per_user");
  if (src == "trace") {
    s.max_prompt = static_cast<std::uint32_t>(r.get_uint("max_prompt"));
    s.max_output = static_cast<std::uint32_t>(r.get_uint("max_output"));
    if (s.max_prompt == 0) s.max_prompt = model.max_context;
    if (s.max_output == 0) s.max_output = model.max_context;
    return s;
  }
  s.max_prompt = upper_bound(length(r, "prompt_tokens"));
  s.max_output = upper_bound(length(r, "output_tokens"));
  return s;
}

}  // namespace tiersim::run
