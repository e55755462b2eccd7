#include "sim/cli/experiment_loading.h"

#include <fmt/format.h>

#include <filesystem>

#include "sim/config/config_error.h"
#include "sim/config/loader.h"
#include "sim/run/experiment.h"
#include "sim/run/results_config.h"

namespace tiersim::cli {

namespace fs = std::filesystem;
using config::ConfigError;
using config::Node;
using config::Origin;

// An experiment from a YAML file, or the resolved config stored in a results file.
Node load_any(const std::string& path, const std::vector<std::string>& sets) {
  if (run::is_hdf5_file(path)) {
    Node root = config::parse_yaml(run::read_resolved_config(path), path + ":/config/resolved");
    for (const auto& s : sets) config::apply_override(root, s);
    run::validate_experiment(root);
    return root;
  }
  return run::load_experiment(path, sets);
}

// Builds an experiment around a system file and one device trace.
Node replay_experiment(const ReplayArgs& a, const std::vector<std::string>& sets) {
  Node sysfile = config::load_file(a.system);
  const Node* sys = sysfile.find("system");
  if (sys == nullptr) {
    throw ConfigError(sysfile.origin(),
                      "missing required key 'system' (a replay needs a file "
                      "with a `system:` section)");
  }
  const Origin cli{"<command line>", 0, 0};
  Node root = Node::map(sysfile.origin());
  root.set("name",
           Node::scalar(fmt::format("replay {}", fs::path(a.trace).filename().string()), cli));
  root.set("system", *sys);
  // Defaults for source/target: the only endpoint / the only component that serves requests.
  std::string source = a.source;
  std::string target = a.target;
  if (const Node* comps = sys->find("components"); comps != nullptr && comps->is_map()) {
    std::vector<std::string> endpoints;
    std::vector<std::string> servers;
    for (const auto& e : comps->entries()) {
      const Node* t = e.value.find("type");
      if (t != nullptr && t->is_scalar() && t->text() == "endpoint") {
        endpoints.push_back(e.key);
      } else {
        servers.push_back(e.key);
      }
    }
    if (source.empty() && endpoints.size() == 1) source = endpoints[0];
    if (target.empty() && servers.size() == 1) target = servers[0];
    if (source.empty()) {
      throw ConfigError(Origin{a.system, 0, 0},
                        fmt::format("cannot tell which component issues the trace; pass --source "
                                    "(endpoints: {})",
                                    fmt::join(endpoints, ", ")));
    }
    if (target.empty()) {
      throw ConfigError(Origin{a.system, 0, 0},
                        fmt::format("cannot tell which component serves the trace; pass --target "
                                    "(candidates: {})",
                                    fmt::join(servers, ", ")));
    }
  }
  Node w = Node::map(cli);
  w.set("type", Node::scalar("device_trace", cli));
  w.set("source", Node::scalar(source, cli));
  w.set("target", Node::scalar(target, cli));
  w.set("trace", Node::scalar(fs::absolute(a.trace).lexically_normal().string(), cli));
  w.set("max_outstanding", Node::scalar(std::to_string(a.max_outstanding), cli));
  Node list = Node::seq(cli);
  list.push(std::move(w));
  root.set("workloads", std::move(list));
  for (const char* section : {"kernel", "stats", "output"}) {
    if (const Node* s = sysfile.find(section)) root.set(section, *s);
  }
  for (const auto& s : sets) config::apply_override(root, s);
  run::validate_experiment(root);
  return root;
}

}  // namespace tiersim::cli
