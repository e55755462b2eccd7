#include <fmt/format.h>

#include "sim/config/config_error.h"
#include "sim/config/did_you_mean.h"
#include "sim/config/loader.h"
#include "sim/kernel/system.h"
#include "sim/replay/request_source.h"
#include "sim/run/experiment.h"
#include "sim/run/serving.h"

namespace tiersim::run {

using config::Schema;
using config::Type;

config::SchemaPtr experiment_schema() {
  static const config::SchemaPtr s = [] {
    auto kernel = std::make_shared<Schema>("kernel", "Event-kernel settings.");
    kernel
        ->add("quantum", Type::kTime,
              "How far an initiator may run ahead of SystemC time (TLM-2.0 temporal "
              "decoupling). Results with one initiator do not depend on it; with several, 0 "
              "orders their requests exactly.")
        .default_to("1 us");

    auto stats = std::make_shared<Schema>("stats", "Statistics collection.");
    stats->add("window", Type::kTime, "Width of one time-series sample window.").default_to("1 us");

    auto output = std::make_shared<Schema>("output", "Results file and console output.");
    output
        ->add("path", Type::kString,
              "HDF5 results file, relative to the working directory (`-o` overrides).")
        .default_to("results.h5");
    output->add("requests", Type::kBool, "Write the per-request table /requests.")
        .default_to("true");

    auto e = std::make_shared<Schema>("experiment",
                                      "The top level of an experiment file (`tiersim run`).");
    e->add("name", Type::kString, "Experiment name (shown in the summary and stored).")
        .default_to("experiment");
    e->add("description", Type::kString, "Free text.");
    e->add("seed", Type::kUInt, "Seed of every random choice; same seed, same results.")
        .default_to("1");
    e->add("kernel", Type::kMap, "Event-kernel settings.").nested(kernel);
    e->add("system", Type::kMap, "The hardware: components and links.")
        .require()
        .nested(kernel::system_schema());
    e->add("workloads", Type::kList,
           "What the initiators replay, each from a source component "
           "to a target component (device-level replay). Give `workloads` or `serving`.")
        .items_by(replay::resolve_workload);
    e->add("serving", Type::kMap,
           "An LLM serving run (docs/serving.md): requests through a batching scheduler and a "
           "placement policy. Give `workloads` or `serving`.")
        .nested(serving_schema());
    e->add("stats", Type::kMap, "Statistics collection.").nested(stats);
    e->add("output", Type::kMap, "Results file and console output.").nested(output);
    return e;
  }();
  return s;
}

namespace {

// A reference to a component by name must name one (checked before anything is built).
void check_component_ref(const config::Node& ref, const std::vector<std::string>& names,
                         const std::string& path) {
  for (const auto& n : names) {
    if (n == ref.text()) return;
  }
  const std::string hint = config::closest(ref.text(), names);
  throw config::ConfigError(
      ref.origin(),
      fmt::format("{}: no component named '{}'{}", path, ref.text(),
                  hint.empty() ? "" : fmt::format("; did you mean '{}'?", hint)),
      fmt::format("components: {}", fmt::join(names, ", ")));
}

}  // namespace

void validate_experiment(config::Node& root) {
  config::validate(root, *experiment_schema());
  const config::Node* wp = root.find("workloads");
  config::Node* serving = root.find("serving");
  if ((wp == nullptr) == (serving == nullptr)) {
    throw config::ConfigError(
        root.origin(), wp == nullptr
                           ? "missing required key 'workloads' (device-level replay) or 'serving' "
                             "(an LLM serving run)"
                           : "give `workloads` (device-level replay) or `serving` (an LLM "
                             "serving run), not both");
  }
  if (serving != nullptr) validate_serving(*serving);
  const config::Node& sys = root.at("system");
  const std::vector<std::string> names = sys.at("components").keys();
  if (const config::Node* links = sys.find("links"); links != nullptr && links->is_seq()) {
    for (std::size_t i = 0; i < links->items().size(); ++i) {
      const config::Node& between = links->items()[i].at("between");
      for (std::size_t j = 0; j < between.items().size(); ++j) {
        check_component_ref(between.items()[j], names,
                            fmt::format("system.links.{}.between.{}", i, j));
      }
    }
  }
  if (wp == nullptr) return;
  const config::Node& w = *wp;
  if (w.items().empty()) {
    throw config::ConfigError(w.origin(), "workloads: at least one workload is needed");
  }
  for (std::size_t i = 0; i < w.items().size(); ++i) {
    for (const char* key : {"source", "target"}) {
      check_component_ref(w.items()[i].at(key), names, fmt::format("workloads.{}.{}", i, key));
    }
  }
}

config::Node load_experiment(const std::string& path, const std::vector<std::string>& overrides) {
  config::Node root = config::load_with_overrides(path, overrides);
  validate_experiment(root);
  return root;
}

}  // namespace tiersim::run
