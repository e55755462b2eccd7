// tiersim trace gen | import | info | head — logical traces and request traces.
// (`trace import-device` is the device-trace importer, sim/cli/trace_import_command.cpp.)
// (docs/workloads.md, traces/FORMAT.md "Logical trace").
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "sim/cli/commands.h"
#include "sim/config/config_error.h"
#include "sim/config/units_parse.h"
#include "sim/workload/generator.h"
#include "sim/workload/importers.h"
#include "sim/workload/logical_jsonl.h"
#include "sim/workload/model_io.h"
#include "sim/workload/request_filter.h"
#include "sim/workload/request_stats.h"
#include "sim/workload/synthetic.h"

namespace tiersim::cli {

namespace {

namespace wl = tiersim::workload;

struct FilterArgs {
  std::string window_start = "0 s";
  std::string window_end = "0 s";
  double rate_scale = 1.0;
  double length_scale = 1.0;
  std::uint32_t max_prompt = 0;
  std::uint32_t max_output = 0;
  std::uint32_t max_context = 0;
  bool clip_to_model = false;
};

void add_filter_options(CLI::App* cmd, FilterArgs& f) {
  cmd->add_option("--window-start", f.window_start, "Drop requests before this time ('10 s')");
  cmd->add_option("--window-end", f.window_end, "Stop at this time ('0 s' = no end)");
  cmd->add_option("--rate-scale", f.rate_scale, "Multiply the arrival rate (2 = twice as fast)");
  cmd->add_option("--length-scale", f.length_scale, "Multiply prompt and output lengths");
  cmd->add_option("--max-prompt", f.max_prompt, "Clip prompt lengths (0 = no clip)");
  cmd->add_option("--max-output", f.max_output, "Clip output lengths (0 = no clip)");
  cmd->add_option("--max-context", f.max_context, "Clip prompt + output to this many tokens");
}

wl::RequestFilterOptions filter_options(const FilterArgs& f, std::uint32_t model_context) {
  wl::RequestFilterOptions o;
  try {
    o.window_start = config::parse_time(f.window_start);
    o.window_end = config::parse_time(f.window_end);
  } catch (const config::UnitError& e) {
    throw config::ConfigError(config::Origin{"--window-start/--window-end", 0, 0}, e.what());
  }
  o.rate_scale = f.rate_scale;
  o.length_scale = f.length_scale;
  o.max_prompt = f.max_prompt;
  o.max_output = f.max_output;
  o.max_context = f.max_context > 0 ? f.max_context : model_context;
  return o;
}

// A preset path (.yaml), a Hugging Face config.json, or a preset name under configs/models/.
wl::ModelSpec resolve_model(const std::string& m) {
  if (m.ends_with(".json")) return wl::import_hf_config(m);
  if (m.ends_with(".yaml") || m.ends_with(".yml")) return wl::load_model(m);
  const std::string preset = "configs/models/" + m + ".yaml";
  if (std::filesystem::exists(preset)) return wl::load_model(preset);
  throw config::ConfigError(config::Origin{"--model", 0, 0},
                            fmt::format("no model '{}' (give a .yaml preset, a config.json, or "
                                        "a name under configs/models/)",
                                        m));
}

struct GenArgs {
  std::string out;
  std::string model;
  std::string requests;
  std::string format = "auto";
  std::uint64_t synthetic = 0;
  std::uint64_t users = 0;
  std::uint64_t per_user = 1;
  std::string think = "exp:1";
  std::string arrivals = "poisson:1";
  std::string prompt = "fixed:128";
  std::string output = "fixed:256";
  std::uint64_t seed = 1;
  std::string routing = "uniform";
  double sparsity = 0.97;
  double new_fraction = 0.024;
  std::uint32_t window = 5;
  bool dense_ffn = false;
  double attention_ratio = 0;  // 0: dense attention
  double attention_recent = 0.5;
  double attention_run = 1.53;
  double attention_keep = 0;
  std::uint64_t page_bytes = 4096;
  FilterArgs filter;
};

std::unique_ptr<wl::RequestSource> request_source(const GenArgs& a, std::uint32_t context) {
  std::unique_ptr<wl::RequestSource> src;
  if (!a.requests.empty()) {
    src = wl::open_requests(a.requests, a.format);
  } else if (a.users > 0) {
    wl::ClosedLoopOptions o;
    o.users = a.users;
    o.per_user = a.per_user;
    o.seed = a.seed;
    o.think = wl::parse_think(a.think);
    o.prompt = wl::parse_length_dist(a.prompt);
    o.output = wl::parse_length_dist(a.output);
    src = std::make_unique<wl::ClosedLoopSource>(o);
  } else {
    wl::SyntheticOptions o;
    o.count = a.synthetic;
    o.seed = a.seed;
    o.arrivals = wl::parse_arrivals(a.arrivals);
    o.prompt = wl::parse_length_dist(a.prompt);
    o.output = wl::parse_length_dist(a.output);
    src = std::make_unique<wl::SyntheticSource>(o);
  }
  return std::make_unique<wl::FilteredSource>(std::move(src), filter_options(a.filter, context));
}

int run_gen(const GenArgs& a) {
  if (int{!a.requests.empty()} + int{a.synthetic > 0} + int{a.users > 0} != 1) {
    throw config::ConfigError(config::Origin{"trace gen", 0, 0},
                              "give exactly one of --requests FILE, --synthetic N and --users N");
  }
  const wl::ModelSpec model = resolve_model(a.model);
  auto src = request_source(a, a.filter.clip_to_model ? model.max_context : 0);
  wl::GeneratorOptions o;
  o.seed = a.seed;
  o.sparse_ffn = !a.dense_ffn;
  o.activation = wl::ActivationParams::calibrate(a.sparsity, a.new_fraction, a.window);
  o.routing = a.routing;
  if (a.attention_ratio > 0) {
    o.attention = wl::AttentionParams{a.attention_ratio, a.attention_recent, a.attention_run,
                                      a.attention_keep};
    o.attention->validate();
  }
  if (a.page_bytes == 0) throw std::invalid_argument("--page-bytes must be > 0");
  o.page_bytes = Bytes(a.page_bytes);
  auto w = wl::create_logical_trace(
      a.out, wl::LogicalHeader{wl::model_yaml(model), wl::generator_yaml(o, model)});
  const auto res = wl::generate_trace(model, *src, o, *w);
  w->close();
  std::cout << fmt::format("{} requests, {} steps, {} records written to {}\n", res.requests,
                           res.steps, res.accesses, a.out);
  return kOk;
}

struct ImportArgs {
  std::string in;
  std::string out;
  std::string format = "auto";
  FilterArgs filter;
};

int run_import(const ImportArgs& a) {
  wl::FilteredSource src(wl::open_requests(a.in, a.format), filter_options(a.filter, 0));
  auto w = wl::create_logical_trace(a.out, wl::LogicalHeader{"", "imported: " + a.in + "\n"});
  wl::Request r;
  std::uint64_t n = 0;
  while (src.next(r)) {
    w->write_request(r);
    ++n;
  }
  w->close();
  std::cout << fmt::format("{} requests written to {}\n", n, a.out);
  return kOk;
}

void print_lengths(const char* what, const wl::LengthSummary& s) {
  std::cout << fmt::format("{:<16} mean {:.2f}  median {:.1f}  p99 {:.2f}  min {}  max {}\n", what,
                           s.mean, s.median, s.p99, s.min, s.max);
}

int run_info(const std::string& path, const std::string& format) {
  const std::string f = format == "auto" ? wl::detect_request_format(path) : format;
  wl::RequestStats stats;
  wl::Request r;
  std::unique_ptr<wl::LogicalTraceReader> logical;
  if (f == "logical") {
    logical = wl::open_logical_trace(path);
    while (logical->next_request(r)) stats.add(r);
  } else {
    auto src = wl::open_requests(path, f);
    while (src->next(r)) stats.add(r);
  }
  std::cout << fmt::format("{} ({})\n", path, f);
  std::cout << fmt::format("requests         {}\n", stats.count());
  print_lengths("prompt tokens", stats.prompt());
  print_lengths("output tokens", stats.output());
  std::cout << fmt::format("arrival rate     {:.4f} requests/s over {:.3f} s\n",
                           stats.arrival_rate(),
                           (stats.last_arrival() - stats.first_arrival()).as_seconds());
  std::cout << fmt::format(
      "prefix reuse     {:.4f} ({} of {} {}-token block references repeat an earlier "
      "request's block; {} distinct blocks)\n",
      stats.prefix_reuse_ratio(), stats.reused_block_refs(), stats.block_refs(),
      wl::kPrefixBlockTokens, stats.distinct_blocks());
  if (stats.users() > 0) {
    std::cout << fmt::format(
        "closed loop      {} users; {} requests wait for a previous one (mean think {:.3f} s)\n",
        stats.users(), stats.dependent(), stats.mean_think_seconds());
  }
  if (!logical) return kOk;
  std::map<std::string_view, std::uint64_t> bytes;  // by kind, in name order
  std::uint64_t steps = 0;
  std::uint64_t records = 0;
  std::uint64_t sparse_reads = 0;  // sparse kv_read records
  std::uint64_t sparse_bytes = 0;
  std::uint64_t pages = 0;
  std::uint64_t page_bytes = 0;
  wl::Access a;
  while (logical->next_access(a)) {
    ++records;
    if (a.kind == wl::AccessKind::kStep) ++steps;
    if (a.kind == wl::AccessKind::kKvRead && a.index == wl::kKvReadSparse) {
      ++sparse_reads;
      sparse_bytes += a.bytes.count();
    }
    if (a.kind == wl::AccessKind::kKvPages) {
      pages += a.count;
      page_bytes += a.bytes.count();
    }
    if (a.kind != wl::AccessKind::kStep && a.kind != wl::AccessKind::kCompute) {
      bytes[wl::access_kind_name(a.kind)] += a.bytes.count();
    }
  }
  std::cout << fmt::format("steps            {} ({} records)\n", steps, records);
  if (steps == 0) return kOk;
  std::cout << "bytes per step (mean):\n";
  std::uint64_t total = 0;
  for (const auto& [kind, b] : bytes) {
    total += b;
    std::cout << fmt::format("  {:<12} {:>16.0f}\n", kind,
                             static_cast<double>(b) / static_cast<double>(steps));
  }
  std::cout << fmt::format("  {:<12} {:>16.0f}\n", "total",
                           static_cast<double>(total) / static_cast<double>(steps));
  if (sparse_reads > 0) {
    std::cout << fmt::format(
        "sparse attention {} sparse kv_read records; {:.1f} pages touched per record; page "
        "amplification {:.3f} (page bytes / selected K and V bytes)\n",
        sparse_reads, static_cast<double>(pages) / static_cast<double>(sparse_reads),
        sparse_bytes == 0 ? 0.0
                          : static_cast<double>(page_bytes) / static_cast<double>(sparse_bytes));
  }
  return kOk;
}

int run_head(const std::string& path, const std::string& format, std::uint64_t n) {
  const std::string f = format == "auto" ? wl::detect_request_format(path) : format;
  std::uint64_t printed = 0;
  wl::Request r;
  if (f != "logical") {
    auto src = wl::open_requests(path, f);
    while (printed < n && src->next(r)) {
      std::cout << wl::format_request(r) << "\n";
      ++printed;
    }
    return kOk;
  }
  auto reader = wl::open_logical_trace(path);
  std::cout << wl::format_header(reader->header()) << "\n";
  while (printed < n && reader->next_request(r)) {
    std::cout << wl::format_request(r) << "\n";
    ++printed;
  }
  wl::Access a;
  while (printed < n && reader->next_access(a)) {
    std::cout << wl::format_access(a) << "\n";
    ++printed;
  }
  return kOk;
}

// Library argument errors (bad distribution specs) are usage errors.
int usage_guarded(const std::function<int()>& f) {
  return guarded([&] {
    try {
      return f();
    } catch (const std::invalid_argument& e) {
      std::cerr << "error: " << e.what() << "\n";
      return kConfigError;
    }
  });
}

}  // namespace

void add_workload_trace_commands(CLI::App& trace_cmd, Context& ctx) {
  auto g = std::make_shared<GenArgs>();
  auto* gen = trace_cmd.add_subcommand(
      "gen", "Generate a logical trace: a model plus requests (imported or synthetic).");
  gen->add_option("output", g->out, "Logical trace to write (.h5 for HDF5, else JSONL)")
      ->required();
  gen->add_option("--model", g->model, "Model preset (.yaml), config.json, or preset name")
      ->required();
  gen->add_option("--requests", g->requests, "Request trace (Azure, Mooncake, BurstGPT, logical)");
  gen->add_option("--format", g->format, "Request trace format (auto, azure, mooncake, ...)");
  gen->add_option("--synthetic", g->synthetic, "Generate N synthetic requests instead");
  gen->add_option("--users", g->users,
                  "Closed loop: N users, each issuing its next request a think time after its "
                  "previous one completes");
  gen->add_option("--requests-per-user", g->per_user, "Closed loop: requests per user");
  gen->add_option("--think", g->think,
                  "Closed loop think times (s): exp:MEAN, gamma:MEAN:CV or fixed:S");
  gen->add_option("--arrivals", g->arrivals, "poisson:RATE, gamma:RATE:CV or fixed:RATE");
  gen->add_option("--prompt", g->prompt,
                  "Prompt lengths: fixed:N, uniform:A:B, normal:M:SD, "
                  "lognormal:MEDIAN:SIGMA");
  gen->add_option("--output-tokens", g->output, "Output lengths (same forms as --prompt)");
  gen->add_option("--seed", g->seed, "Seed of every random draw");
  gen->add_option("--routing", g->routing, "MoE routing: uniform, zipf:A, locality:P, zipf:A:P");
  gen->add_option("--sparsity", g->sparsity, "FFN neuron sparsity (ReLU-family models)");
  gen->add_option("--new-fraction", g->new_fraction,
                  "FFN fraction newly loaded per token with the window");
  gen->add_option("--window", g->window, "Window (tokens) of --new-fraction");
  gen->add_flag("--dense-ffn", g->dense_ffn, "No neuron sparsity: read the whole FFN");
  gen->add_option("--sparse-attention", g->attention_ratio,
                  "Top-k sparse attention in decode: fraction k/n of cached tokens (0 = dense)");
  gen->add_option("--attention-recent", g->attention_recent,
                  "Share of k in the recent window (H2O: 0.5)");
  gen->add_option("--attention-run", g->attention_run,
                  "Mean run length of older selected tokens (locality; 1.53 = InstInfer SparF)");
  gen->add_option("--attention-keep", g->attention_keep,
                  "P(a run persists to the next step) (heavy hitters)");
  gen->add_option("--page-bytes", g->page_bytes, "Page size of the kv_pages locality count");
  gen->add_flag("--clip-to-model", g->filter.clip_to_model,
                "Clip prompt + output to the model's max_context");
  add_filter_options(gen, g->filter);
  gen->callback([g, &ctx] { ctx.exit_code = usage_guarded([&] { return run_gen(*g); }); });

  auto im = std::make_shared<ImportArgs>();
  auto* imp = trace_cmd.add_subcommand(
      "import",
      "Import a request trace (Azure CSV, Mooncake JSONL, BurstGPT CSV) as a logical "
      "trace of requests.");
  imp->add_option("input", im->in, "Request trace")->required();
  imp->add_option("output", im->out, "Logical trace to write (.h5 for HDF5, else JSONL)")
      ->required();
  imp->add_option("--format", im->format, "auto, azure, mooncake, burstgpt or logical");
  add_filter_options(imp, im->filter);
  imp->callback([im, &ctx] { ctx.exit_code = usage_guarded([&] { return run_import(*im); }); });

  auto info_args = std::make_shared<std::pair<std::string, std::string>>("", "auto");
  auto* info = trace_cmd.add_subcommand(
      "info", "Request count, length statistics, arrival rate, prefix reuse, bytes per step.");
  info->add_option("file", info_args->first, "Request trace or logical trace")->required();
  info->add_option("--format", info_args->second, "auto, azure, mooncake, burstgpt or logical");
  info->callback([info_args, &ctx] {
    ctx.exit_code = usage_guarded([&] { return run_info(info_args->first, info_args->second); });
  });

  struct HeadArgs {
    std::string file;
    std::string format = "auto";
    std::uint64_t n = 10;
  };
  auto h = std::make_shared<HeadArgs>();
  auto* head = trace_cmd.add_subcommand("head", "Print the first records as JSONL.");
  head->add_option("file", h->file, "Request trace or logical trace")->required();
  head->add_option("-n", h->n, "Records to print (after the header line)");
  head->add_option("--format", h->format, "auto, azure, mooncake, burstgpt or logical");
  head->callback([h, &ctx] {
    ctx.exit_code = usage_guarded([&] { return run_head(h->file, h->format, h->n); });
  });
}

}  // namespace tiersim::cli
