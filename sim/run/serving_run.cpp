// run_serving (serving.h): builds the system, the executor, the policy and the scheduler from a
// validated experiment, runs the serving loop under SystemC, and writes the results.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>

#include "sim/config/loader.h"
#include "sim/kernel/interrupt.h"
#include "sim/kernel/sc_time_conv.h"
#include "sim/kernel/system.h"
#include "sim/policies/fabric_executor.h"
#include "sim/policies/policy.h"
#include "sim/run/progress.h"
#include "sim/run/serving.h"
#include "sim/run/serving_loop.h"
#include "sim/run/serving_metrics.h"
#include "sim/run/serving_sources.h"
#include "sim/run/summary.h"
#include "sim/run/timeline_recording.h"
#include "sim/scheduler/scheduler.h"
#include "sim/stats/chrome_trace.h"
#include "sim/stats/results_file.h"
#include "sim/workload/rng.h"

namespace tiersim::run {

using config::Node;

namespace {

// Sum of every component's `energy_total_pJ` counter; -1 when none reports energy.
double total_energy_pj(const stats::StatsRegistry& reg) {
  double e = -1;
  for (const auto& g : reg.groups()) {
    for (const auto& c : g.counters()) {
      if (c.name != "energy_total_pJ") continue;
      e = (e < 0 ? 0 : e) + static_cast<double>(c.value.value);
    }
  }
  return e;
}

policies::PlacementRequest placement_request(const Node& sv, const workload::ModelSpec& model) {
  policies::PlacementRequest pr;
  const Node& sched = sv.at("scheduler");
  const StreamShape shape = stream_shape(sv.at("requests"), model);
  if (sched.get_string("type") == "static") {
    pr.batch = static_cast<std::uint32_t>(sched.get_uint("batch"));
  } else if (const Node* mb = sched.find("max_batch"); mb != nullptr) {
    pr.batch = static_cast<std::uint32_t>(mb->as_uint());
  }
  if (shape.count > 0 && shape.count < pr.batch) pr.batch = static_cast<std::uint32_t>(shape.count);
  pr.prompt_tokens = shape.max_prompt;
  pr.output_tokens = shape.max_output;
  return pr;
}

}  // namespace

RunResult run_serving(const Node& resolved, const std::string& source_file,
                      const RunOptions& opts) {
  const auto wall_start = std::chrono::steady_clock::now();
  kernel::init_systemc();
  kernel::install_interrupt_handlers();

  const std::string name = resolved.get_string("name");
  const std::uint64_t seed = resolved.get_uint("seed");
  const Node& out_cfg = resolved.at("output");
  const std::string out_path =
      opts.output_path.empty() ? out_cfg.get_string("path") : opts.output_path;
  const Node& sv = resolved.at("serving");

  // The timeline recorder must exist before the models are built (they register their tracks).
  TimelineRecording timeline(opts.timeline_path);

  stats::StatsRegistry registry(resolved.at("stats").get_time("window"));
  kernel::System system(resolved.at("system"), registry);
  const std::vector<std::string> components = system.names();
  stats::ResultsFile file(out_path, /*write_requests=*/false);
  file.write_config(config::to_yaml(resolved), source_file);

  const workload::ModelSpec model = serving_model(sv);
  policies::FabricExecutor exec("serving_executor", system);
  const Node& pcfg = sv.at("policy");
  const auto* pentry = policies::PolicyRegistry::instance().find(pcfg.get_string("type"));
  auto policy = pentry->make(policies::PolicyContext{pcfg, model, exec, registry.group("policy"),
                                                     workload::derive_seed(seed, 2)});

  ServingMetrics metrics;
  std::string oom;
  std::unique_ptr<scheduler::Scheduler> sched;
  std::unique_ptr<workload::RequestSource> source;
  std::unique_ptr<ServingLoop> loop;
  try {
    const policies::Capacity cap = policy->place(placement_request(sv, model));
    const Node& scfg = sv.at("scheduler");
    sched = scheduler::SchedulerRegistry::instance()
                .find(scfg.get_string("type"))
                ->make(scheduler::SchedulerContext{scfg, cap.kv_tokens, cap.max_batch});
  } catch (const policies::OutOfMemory& e) {
    oom = e.what();
  } catch (const scheduler::CapacityExceeded& e) {
    oom = e.what();
  }

  const StreamShape shape = stream_shape(sv.at("requests"), model);
  ProgressBar bar(fmt::format("tiersim {}", name), opts.progress, [&metrics, &shape] {
    return shape.count == 0
               ? 0.0
               : static_cast<double>(metrics.finished().size()) / static_cast<double>(shape.count);
  });
  if (oom.empty()) {
    source = make_request_source(sv.at("requests"), model, workload::derive_seed(seed, 3));
    policies::SparsityOptions sparsity;
    sparsity.sparse_ffn = sv.at("sparsity").get_bool("sparse_ffn");
    sparsity.active_neuron_share = sv.at("sparsity").get_double("active_neuron_share");
    sparsity.seed = workload::derive_seed(seed, 1);
    loop = std::make_unique<ServingLoop>(
        "serving_loop",
        ServingParts{*source, *sched, *policy, model, sparsity, metrics,
                     resolved.at("kernel").get_time("quantum"), [&bar] { bar.poll(); },
                     sv.at("requests").get_string("source") == "closed_loop"});
    sc_core::sc_start();
    bar.finish();
    if (loop->error()) {
      try {
        std::rethrow_exception(loop->error());
      } catch (const policies::OutOfMemory& e) {
        oom = e.what();
      } catch (const scheduler::CapacityExceeded& e) {
        oom = e.what();
      }
    }
  }

  const Time end = metrics.end_time();
  for (std::size_t c = 0; c < system.size(); ++c) {
    system.component(static_cast<kernel::ComponentId>(c)).finalize(end);
  }
  const double energy = total_energy_pj(registry);
  std::vector<stats::Attr> summary{{"name", name},
                                   {"seed", seed},
                                   {"model", model.name},
                                   {"policy", pcfg.get_string("type")},
                                   {"scheduler", sv.at("scheduler").get_string("type")}};
  for (auto& a : metrics.summary(components, &exec, energy)) {
    if (a.name == "oom") {
      a.value = std::uint64_t{oom.empty() ? 0U : 1U};
      summary.push_back(a);
      if (!oom.empty()) summary.push_back({"oom_message", oom});
      continue;
    }
    summary.push_back(std::move(a));
  }
  file.write_names("components", components);
  file.write_summary(summary);
  metrics.write_tables(file, components, &exec, out_cfg.get_bool("requests"));
  file.write_stats(registry);

  RunResult result;
  result.results_path = out_path;
  result.requests = metrics.finished().size();
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  char host[256] = {0};
  ::gethostname(host, sizeof(host) - 1);
  file.write_run_info({{"wall_seconds", result.wall_seconds},
                       {"host", std::string(host)},
                       {"tiersim_version", std::string(TIERSIM_VERSION)}});
  file.commit();
  timeline.close();
  if (!opts.quiet) {
    fmt::print("tiersim {} | experiment '{}' | seed {} | serving {} on {} ({} scheduler)\n",
               TIERSIM_VERSION, name, seed, model.name, pcfg.get_string("type"),
               sv.at("scheduler").get_string("type"));
    if (!oom.empty()) fmt::print("  OUT OF MEMORY: {}\n", oom);
    metrics.print(components, &exec, energy);
    fmt::print("  {:<18}{:.3f} s\n", "wall time", result.wall_seconds);
    fmt::print("\n  results written to {}\n", result.results_path);
  }
  return result;
}

}  // namespace tiersim::run
