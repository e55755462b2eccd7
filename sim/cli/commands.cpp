#include "sim/cli/commands.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>

#include "sim/config/config_error.h"
#include "sim/config/loader.h"
#include "sim/kernel/component.h"
#include "sim/replay/request_source.h"
#include "sim/run/experiment.h"
#include "sim/run/results_config.h"
#include "sim/trace/trace_reader.h"
#include "sim/trace/trace_writer.h"

namespace tiersim::cli {

namespace {

namespace fs = std::filesystem;
using config::ConfigError;
using config::Node;
using config::Origin;

constexpr int kOk = 0;
constexpr int kRuntimeError = 1;
constexpr int kConfigError = 2;
constexpr int kTraceError = 3;

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

struct ReplayArgs {
  std::string trace;
  std::string system;
  std::string source;
  std::string target;
  std::uint64_t max_outstanding = 64;
};

// Builds an experiment around a system file and one device trace.
Node replay_experiment(const ReplayArgs& a, const std::vector<std::string>& sets) {
  Node sysfile = config::load_file(a.system);
  const Node* sys = sysfile.find("system");
  if (sys == nullptr) {
    throw ConfigError(sysfile.origin(), "missing required key 'system' (a replay needs a file "
                                        "with a `system:` section)");
  }
  const Origin cli{"<command line>", 0, 0};
  Node root = Node::map(sysfile.origin());
  root.set("name", Node::scalar(fmt::format("replay {}", fs::path(a.trace).filename().string()), cli));
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

int guarded(const std::function<int()>& f) {
  try {
    return f();
  } catch (const ConfigError& e) {
    std::cerr << e.what() << "\n";
    return kConfigError;
  } catch (const trace::TraceError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kTraceError;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kRuntimeError;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tiersim: a simulator of the memory hierarchy behind LLM inference", "tiersim"};
  app.set_version_flag("--version", std::string("tiersim ") + TIERSIM_VERSION);
  app.require_subcommand(1);

  std::vector<std::string> sets;
  std::string out_path;
  bool quiet = false;
  bool no_progress = false;

  // run
  std::string experiment;
  auto* run_cmd = app.add_subcommand("run", "Run an experiment file (or repeat the run stored in "
                                            "a results .h5).");
  run_cmd->add_option("experiment", experiment, "Experiment YAML, or a results .h5 to repeat")
      ->required();
  run_cmd->add_option("-o,--output", out_path, "Results file (overrides output.path)");
  run_cmd->add_option("--set", sets, "Override a config key: path.to.key=value (repeatable)");
  run_cmd->add_flag("-q,--quiet", quiet, "No console summary");
  run_cmd->add_flag("--no-progress", no_progress, "No progress bar");

  // replay
  ReplayArgs rargs;
  auto* replay_cmd = app.add_subcommand("replay", "Replay a device trace against a system.");
  replay_cmd->add_option("trace", rargs.trace, "Device trace (text or HDF5)")->required();
  replay_cmd->add_option("--system", rargs.system, "YAML file with a `system:` section")
      ->required();
  replay_cmd->add_option("--source", rargs.source, "Issuing component (default: the only "
                                                   "endpoint)");
  replay_cmd->add_option("--target", rargs.target, "Serving component (default: the only one)");
  replay_cmd->add_option("--max-outstanding", rargs.max_outstanding, "Requests in flight")
      ->capture_default_str();
  replay_cmd->add_option("-o,--output", out_path, "Results file (overrides output.path)");
  replay_cmd->add_option("--set", sets, "Override a config key: path.to.key=value");
  replay_cmd->add_flag("-q,--quiet", quiet, "No console summary");
  replay_cmd->add_flag("--no-progress", no_progress, "No progress bar");

  // config
  auto* config_cmd = app.add_subcommand("config", "Inspect and check configs.");
  config_cmd->require_subcommand(1);
  std::string cfg_file;
  bool resolved = false;
  auto* show = config_cmd->add_subcommand("show", "Print a config.");
  show->add_flag("--resolved", resolved, "Fully resolved: extends merged, defaults filled, paths "
                                         "absolute");
  show->add_option("file", cfg_file, "Experiment YAML or results .h5")->required();
  show->add_option("--set", sets, "Override a config key: path.to.key=value");
  auto* validate = config_cmd->add_subcommand("validate", "Check a config; exit 0 if valid.");
  validate->add_option("file", cfg_file, "Experiment YAML")->required();
  validate->add_option("--set", sets, "Override a config key: path.to.key=value");
  auto* schema = config_cmd->add_subcommand("schema", "Print the config reference (Markdown).");

  // trace
  auto* trace_cmd = app.add_subcommand("trace", "Device-trace tools.");
  trace_cmd->require_subcommand(1);
  std::string tin;
  std::string tout;
  auto* convert = trace_cmd->add_subcommand("convert", "Convert text <-> HDF5 (by extension).");
  convert->add_option("input", tin, "Input trace")->required();
  convert->add_option("output", tout, "Output trace (.h5 for HDF5, else text)")->required();

  auto* list_cmd = app.add_subcommand("list", "List registered component and workload types.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kConfigError;
  }

  run::RunOptions opts;
  opts.output_path = out_path;
  opts.quiet = quiet;
  opts.progress = !no_progress;

  if (*run_cmd) {
    return guarded([&] {
      Node root = load_any(experiment, sets);
      run::run_experiment(root, experiment, opts);
      return kOk;
    });
  }
  if (*replay_cmd) {
    return guarded([&] {
      Node root = replay_experiment(rargs, sets);
      run::run_experiment(root, rargs.trace, opts);
      return kOk;
    });
  }
  if (*show) {
    return guarded([&] {
      if (resolved) {
        std::cout << config::to_yaml(load_any(cfg_file, sets));
      } else {
        Node root = config::parse_yaml(
            run::is_hdf5_file(cfg_file) ? run::read_resolved_config(cfg_file)
                                        : [&] {
                                            std::ifstream f(cfg_file);
                                            if (!f) {
                                              throw ConfigError(Origin{cfg_file, 0, 0},
                                                                "cannot open config file");
                                            }
                                            std::stringstream ss;
                                            ss << f.rdbuf();
                                            return ss.str();
                                          }(),
            cfg_file);
        std::cout << config::to_yaml(root);
      }
      return kOk;
    });
  }
  if (*validate) {
    return guarded([&] {
      (void)load_any(cfg_file, sets);
      std::cout << cfg_file << ": valid\n";
      return kOk;
    });
  }
  if (*schema) {
    std::cout << "# tiersim configuration reference\n\n"
              << "Generated by `tiersim config schema`. Units: see docs/config.md.\n\n"
              << config::describe(*run::experiment_schema(), 2);
    std::cout << "## Component types\n\n";
    for (const auto& t : kernel::ComponentRegistry::instance().names()) {
      std::cout << config::describe(*kernel::component_schema(t), 3);
    }
    std::cout << "## Workload types\n\n";
    for (const auto& t : replay::WorkloadRegistry::instance().names()) {
      std::cout << config::describe(*replay::workload_schema(t), 3);
    }
    return kOk;
  }
  if (*convert) {
    return guarded([&] {
      auto in = trace::open_trace(tin);
      auto out = trace::create_trace(tout);
      std::vector<std::uint16_t> map;
      trace::Record r;
      std::uint64_t n = 0;
      while (in->next(r)) {
        while (map.size() < in->streams().size()) {
          map.push_back(out->stream_id(in->streams()[map.size()]));
        }
        r.stream = map[r.stream];
        out->write(r);
        ++n;
      }
      out->close();
      std::cout << fmt::format("{} records written to {}\n", n, tout);
      return kOk;
    });
  }
  if (*list_cmd) {
    std::cout << "component types:\n";
    for (const auto& t : kernel::ComponentRegistry::instance().names()) {
      std::cout << fmt::format("  {:<16} {}\n", t, kernel::ComponentRegistry::instance().find(t)->doc);
    }
    std::cout << "workload types:\n";
    for (const auto& t : replay::WorkloadRegistry::instance().names()) {
      std::cout << fmt::format("  {:<16} {}\n", t, replay::WorkloadRegistry::instance().find(t)->doc);
    }
    return kOk;
  }
  return kConfigError;
}

}  // namespace tiersim::cli
