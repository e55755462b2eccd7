#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <memory>
#include <vector>

#include "sim/config/config_error.h"
#include "sim/config/loader.h"
#include "sim/kernel/interrupt.h"
#include "sim/kernel/sc_time_conv.h"
#include "sim/kernel/system.h"
#include "sim/replay/initiator.h"
#include "sim/run/experiment.h"
#include "sim/run/progress.h"
#include "sim/run/serving.h"
#include "sim/run/summary.h"
#include "sim/run/timeline_recording.h"
#include "sim/stats/chrome_trace.h"
#include "sim/stats/results_file.h"

namespace tiersim::run {

using config::ConfigError;
using config::Node;

namespace {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Collects completions: per-request rows, run totals, per-workload statistics.
class RunSink : public replay::CompletionSink {
 public:
  RunSink(stats::ResultsFile& file, ProgressBar& bar) : file_(file), bar_(bar) {
    streams_.push_back("default");
    index_.emplace("default", 0);
  }

  // Latencies are kept per workload and merged into totals.latency after the run.
  void on_complete(const replay::Completion& c) override {
    if (c.kind == kernel::TxnKind::kWrite) {
      ++totals.writes;
      totals.bytes_written += c.bytes.count();
    } else {
      ++totals.reads;
      totals.bytes_read += c.bytes.count();
    }
    totals.end = max(totals.end, c.complete);
    file_.append_request(stats::RequestRow{c.id, c.stream, static_cast<std::uint8_t>(c.kind),
                                           c.source, c.target, c.address, c.bytes.count(),
                                           c.arrival.ps(), c.issue.ps(), c.complete.ps()});
  }
  std::uint16_t stream_index(const std::string& tag) override {
    auto it = index_.find(tag);
    if (it != index_.end()) return it->second;
    if (streams_.size() >= 65535) throw std::runtime_error("more than 65535 stream tags");
    const auto id = static_cast<std::uint16_t>(streams_.size());
    streams_.push_back(tag);
    index_.emplace(tag, id);
    return id;
  }
  void tick() override { bar_.poll(); }

  RunTotals totals;
  const std::vector<std::string>& streams() const { return streams_; }

 private:
  stats::ResultsFile& file_;
  ProgressBar& bar_;
  std::vector<std::string> streams_;
  std::map<std::string, std::uint16_t> index_;
};

// Per-workload statistics wrapper: forwards to the run sink and keeps the workload's own stats.
class WorkloadSink : public replay::CompletionSink {
 public:
  WorkloadSink(RunSink& run, stats::StatGroup& g)
      : run_(run),
        requests_(g.counter("requests", "Requests completed")),
        bytes_(g.counter("bytes", "Bytes moved by completed requests")),
        latency_(g.histogram("latency", "Issue to completion")),
        backpressure_(g.histogram("backpressure", "Arrival to issue (waiting for a free slot)")),
        series_(g.series("bytes_completed", "B", "Bytes of requests completing per window")) {
    if (stats::ActivityRecorder* a = stats::activity()) track_ = a->track("workloads", g.name());
  }

  void on_complete(const replay::Completion& c) override {
    requests_.add();
    bytes_.add(c.bytes.count());
    latency_.add(c.complete - c.issue);
    backpressure_.add(c.issue - c.arrival);
    series_.add_at(c.complete, c.bytes.as_double());
    if (track_ >= 0) {
      stats::activity()->request(track_, c.id, c.issue, c.complete,
                                 c.kind == kernel::TxnKind::kWrite ? "write" : "read",
                                 c.bytes.count());
    }
    run_.on_complete(c);
  }
  std::uint16_t stream_index(const std::string& tag) override { return run_.stream_index(tag); }
  void tick() override { run_.tick(); }
  [[nodiscard]] const stats::LatencyHistogram& latency() const { return latency_; }

 private:
  RunSink& run_;
  stats::Counter& requests_;
  stats::Counter& bytes_;
  stats::LatencyHistogram& latency_;
  stats::LatencyHistogram& backpressure_;
  stats::TimeSeries& series_;
  int track_ = -1;  // timeline track when recording
};

}  // namespace

RunResult run_experiment(const Node& resolved, const std::string& source_file,
                         const RunOptions& opts) {
  if (resolved.find("serving") != nullptr) return run_serving(resolved, source_file, opts);
  const auto wall_start = std::chrono::steady_clock::now();
  kernel::init_systemc();
  kernel::install_interrupt_handlers();

  const std::string name = resolved.get_string("name");
  const std::uint64_t seed = resolved.get_uint("seed");
  const Node& out_cfg = resolved.at("output");
  const std::string out_path =
      opts.output_path.empty() ? out_cfg.get_string("path") : opts.output_path;

  // The timeline recorder must exist before the models are built (they register their tracks).
  TimelineRecording timeline(opts.timeline_path);

  stats::StatsRegistry registry(resolved.at("stats").get_time("window"));
  kernel::System system(resolved.at("system"), registry);

  stats::ResultsFile file(out_path, out_cfg.get_bool("requests"));
  file.write_config(config::to_yaml(resolved), source_file);

  std::vector<std::unique_ptr<replay::Initiator>> initiators;
  std::vector<std::unique_ptr<WorkloadSink>> sinks;
  ProgressBar bar(fmt::format("tiersim {}", name), opts.progress, [&initiators] {
    double f = 0;
    for (const auto& i : initiators) f += i->source().progress();
    return initiators.empty() ? 0.0 : f / static_cast<double>(initiators.size());
  });
  RunSink run_sink(file, bar);

  const Time quantum = resolved.at("kernel").get_time("quantum");
  const Node& workloads = resolved.at("workloads");
  if (workloads.items().size() > 65535) {
    throw ConfigError(workloads.origin(), "workloads: at most 65535 workloads");
  }
  for (std::size_t i = 0; i < workloads.items().size(); ++i) {
    const Node& w = workloads.items()[i];
    const std::string wname = w.get_string_or("name", fmt::format("workload{}", i));
    const Node& src_node = w.at("source");
    const Node& dst_node = w.at("target");
    const auto src = system.id_of(src_node.as_string(), src_node.origin());
    const auto dst = system.id_of(dst_node.as_string(), dst_node.origin());
    if (!system.component(dst).serves_requests()) {
      throw ConfigError(
          dst_node.origin(),
          fmt::format("'{}' cannot be a target: it serves no requests", dst_node.as_string()));
    }
    if (system.fabric().route(src, dst) == nullptr) {
      throw ConfigError(dst_node.origin(),
                        fmt::format("no path from '{}' to '{}': add a link between them "
                                    "(system.links)",
                                    src_node.as_string(), dst_node.as_string()));
    }
    const auto* entry = replay::WorkloadRegistry::instance().find(w.get_string("type"));
    auto source = entry->make(replay::WorkloadContext{wname, w, splitmix64(seed + i)});
    replay::InitiatorParams p;
    p.name = wname;
    p.index = static_cast<std::uint16_t>(i);
    p.source = src;
    p.target = dst;
    p.target_name = dst_node.as_string();
    p.target_capacity = system.component(dst).capacity_bytes();
    p.max_outstanding = w.get_uint("max_outstanding");
    p.start = w.get_time("start");
    p.quantum = quantum;
    sinks.push_back(std::make_unique<WorkloadSink>(run_sink, registry.group(wname)));
    auto init = std::make_unique<replay::Initiator>(
        sc_core::sc_module_name(fmt::format("initiator_{}", wname).c_str()), std::move(source), p,
        *sinks.back());
    init->socket.bind(system.fabric().in);
    initiators.push_back(std::move(init));
  }

  sc_core::sc_start();
  bar.finish();
  for (const auto& i : initiators) {
    if (i->error()) std::rethrow_exception(i->error());
  }

  for (const auto& s : sinks) run_sink.totals.latency.merge(s->latency());
  const Time end = run_sink.totals.end;
  for (std::size_t c = 0; c < system.size(); ++c) {
    system.component(static_cast<kernel::ComponentId>(c)).finalize(end);
  }
  file.write_names("components", system.names());
  file.write_names("streams", run_sink.streams());
  file.write_summary(summary_attributes(name, seed, run_sink.totals));
  file.write_stats(registry);

  RunResult result;
  result.results_path = out_path;
  result.requests = run_sink.totals.reads + run_sink.totals.writes;
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  char host[256] = {0};
  ::gethostname(host, sizeof(host) - 1);
  file.write_run_info({{"wall_seconds", result.wall_seconds},
                       {"host", std::string(host)},
                       {"tiersim_version", std::string(TIERSIM_VERSION)}});
  file.commit();
  timeline.close();
  if (!opts.quiet) print_summary(name, seed, run_sink.totals, system, registry, result);
  return result;
}

}  // namespace tiersim::run
