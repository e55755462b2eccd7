#include "sim/run/serving_metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "sim/run/summary.h"

namespace tiersim::run {

using kernel::TxnKind;

std::int64_t percentile(std::vector<std::int64_t>& v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double rank = std::ceil(q * static_cast<double>(v.size()));
  const auto i = static_cast<std::size_t>(std::max(rank, 1.0)) - 1;
  return v[std::min(i, v.size() - 1)];
}

namespace {

std::int64_t mean(const std::vector<std::int64_t>& v) {
  if (v.empty()) return 0;
  long double s = 0;
  for (auto x : v) s += static_cast<long double>(x);
  return static_cast<std::int64_t>(std::llround(static_cast<double>(s / v.size())));
}

const char* kind_name(TxnKind k) {
  switch (k) {
    case TxnKind::kRead:
      return "read";
    case TxnKind::kWrite:
      return "write";
    case TxnKind::kCompute:
      return "compute";
  }
  return "?";
}

struct Latencies {
  std::vector<std::int64_t> ttft, tpot, e2e;
};

Latencies latencies(const std::vector<scheduler::Finished>& done) {
  Latencies l;
  for (const auto& f : done) {
    l.ttft.push_back((f.first_token - f.arrival).ps());
    l.e2e.push_back((f.end - f.arrival).ps());
    if (f.output_tokens >= 2)
      l.tpot.push_back((f.end - f.first_token).ps() / (f.output_tokens - 1));
  }
  return l;
}

void add_dist(std::vector<stats::Attr>& a, const std::string& name, std::vector<std::int64_t> v) {
  a.push_back({name + "_mean_ps", mean(v)});
  a.push_back({name + "_p50_ps", percentile(v, 0.50)});
  a.push_back({name + "_p90_ps", percentile(v, 0.90)});
  a.push_back({name + "_p99_ps", percentile(v, 0.99)});
  a.push_back({name + "_max_ps", v.empty() ? std::int64_t{0} : v.back()});
}

// Bytes of reads and writes served by each component, and compute traffic per unit.
std::map<std::string, std::uint64_t> per_tier(const std::vector<std::string>& names,
                                              const policies::FabricExecutor* exec, bool compute) {
  std::map<std::string, std::uint64_t> m;
  if (exec == nullptr) return m;
  for (const auto& [k, v] : exec->moved()) {
    const bool is_compute = std::get<2>(k) == TxnKind::kCompute;
    if (is_compute != compute) continue;
    m[names.at(std::get<1>(k))] += v.bytes;
  }
  return m;
}

}  // namespace

std::uint64_t ServingMetrics::generated_tokens() const {
  std::uint64_t n = 0;
  for (const auto& f : done_) n += f.output_tokens;
  return n;
}

Time ServingMetrics::busy_time() const {
  Time t;
  for (const auto& s : steps_) t += s.end - s.start;
  return t;
}

std::vector<stats::Attr> ServingMetrics::summary(const std::vector<std::string>& components,
                                                 const policies::FabricExecutor* exec,
                                                 double energy_pj) const {
  std::vector<stats::Attr> a;
  std::uint64_t prompt = 0;
  for (const auto& f : done_) prompt += f.prompt_tokens;
  Time prefill, decode, compute, weight, kv, other;
  std::uint64_t prefill_steps = 0, preemptions = 0;
  for (const auto& s : steps_) {
    if (s.prefill_entries > 0) {
      prefill += s.end - s.start;
      ++prefill_steps;
    } else {
      decode += s.end - s.start;
    }
    compute += s.breakdown.compute;
    weight += s.breakdown.weight_io;
    kv += s.breakdown.kv_io;
    other += s.breakdown.other;
    preemptions += s.preemptions;
  }
  const Time busy = busy_time();
  const Time end = end_time();
  const double gen = static_cast<double>(generated_tokens());
  a.push_back({"oom", std::uint64_t{0}});
  a.push_back({"requests", std::uint64_t{done_.size()}});
  a.push_back({"prompt_tokens", prompt});
  a.push_back({"generated_tokens", generated_tokens()});
  a.push_back({"steps", std::uint64_t{steps_.size()}});
  a.push_back({"prefill_steps", prefill_steps});
  a.push_back({"preemptions", preemptions});
  a.push_back({"sim_time_ps", end.ps()});
  a.push_back({"busy_time_ps", busy.ps()});
  a.push_back({"prefill_time_ps", prefill.ps()});
  a.push_back({"decode_time_ps", decode.ps()});
  a.push_back({"throughput_tok_s", busy.ps() > 0 ? gen / busy.as_seconds() : 0.0});
  a.push_back({"throughput_e2e_tok_s", end.ps() > 0 ? gen / end.as_seconds() : 0.0});
  Latencies l = latencies(done_);
  add_dist(a, "ttft", std::move(l.ttft));
  add_dist(a, "tpot", std::move(l.tpot));
  add_dist(a, "tbt", tbt_);
  add_dist(a, "e2e", std::move(l.e2e));
  a.push_back({"compute_ps", compute.ps()});
  a.push_back({"weight_io_ps", weight.ps()});
  a.push_back({"kv_io_ps", kv.ps()});
  a.push_back({"other_ps", other.ps()});
  for (const auto& [name, b] : per_tier(components, exec, false)) {
    a.push_back({"bytes_" + name, b});
  }
  for (const auto& [name, b] : per_tier(components, exec, true)) {
    a.push_back({"compute_bytes_" + name, b});
  }
  if (energy_pj >= 0) a.push_back({"energy_J", energy_pj * 1e-12});
  return a;
}

void ServingMetrics::write_tables(stats::ResultsFile& file,
                                  const std::vector<std::string>& components,
                                  const policies::FabricExecutor* exec, bool requests) const {
  if (requests) {
    std::vector<scheduler::Finished> by_id = done_;
    std::sort(by_id.begin(), by_id.end(),
              [](const auto& a, const auto& b) { return a.request < b.request; });
    std::vector<std::uint64_t> id, prompt, output;
    std::vector<std::int64_t> arrival, first, end, ttft, tpot, e2e;
    for (const auto& f : by_id) {
      id.push_back(f.request);
      prompt.push_back(f.prompt_tokens);
      output.push_back(f.output_tokens);
      arrival.push_back(f.arrival.ps());
      first.push_back(f.first_token.ps());
      end.push_back(f.end.ps());
      ttft.push_back((f.first_token - f.arrival).ps());
      tpot.push_back(f.output_tokens >= 2 ? (f.end - f.first_token).ps() / (f.output_tokens - 1)
                                          : std::int64_t{-1});
      e2e.push_back((f.end - f.arrival).ps());
    }
    file.write_table("/serving/requests",
                     {{"id", id, "request id (source order); rows in id order"},
                      {"arrival_ps", arrival, "arrival (release for closed-loop requests)"},
                      {"first_token_ps", first, "end of the step that produced the first token"},
                      {"end_ps", end, "end of the step that produced the last token"},
                      {"prompt_tokens", prompt, ""},
                      {"output_tokens", output, ""},
                      {"ttft_ps", ttft, "first_token - arrival"},
                      {"tpot_ps", tpot, "(end - first_token) / (output - 1); -1 if output < 2"},
                      {"e2e_ps", e2e, "end - arrival"}});
  }
  {
    std::vector<std::uint64_t> index, entries, pentries, ptok, dtok, pre;
    std::vector<std::int64_t> start, end, compute, weight, kv, other;
    for (const auto& s : steps_) {
      index.push_back(s.index);
      start.push_back(s.start.ps());
      end.push_back(s.end.ps());
      entries.push_back(s.entries);
      pentries.push_back(s.prefill_entries);
      ptok.push_back(s.prefill_tokens);
      dtok.push_back(s.decode_tokens);
      pre.push_back(s.preemptions);
      compute.push_back(s.breakdown.compute.ps());
      weight.push_back(s.breakdown.weight_io.ps());
      kv.push_back(s.breakdown.kv_io.ps());
      other.push_back(s.breakdown.other.ps());
    }
    file.write_table("/serving/steps",
                     {{"index", index, ""},
                      {"start_ps", start,
                       "when the step started (after its preemption transfers "
                       "were issued)"},
                      {"end_ps", end, ""},
                      {"entries", entries, "sequences in the step"},
                      {"prefill_entries", pentries, ""},
                      {"prefill_tokens", ptok, ""},
                      {"decode_tokens", dtok, ""},
                      {"preemptions", pre, "sequences preempted before the step"},
                      {"compute_ps", compute, "breakdown along the critical path"},
                      {"weight_io_ps", weight, ""},
                      {"kv_io_ps", kv, ""},
                      {"other_ps", other, "incl. preemption (swap) transfers"}});
  }
  {
    std::vector<std::string> source, target, kind;
    std::vector<std::uint64_t> bytes, txns;
    if (exec != nullptr) {
      for (const auto& [k, v] : exec->moved()) {
        source.push_back(components.at(std::get<0>(k)));
        target.push_back(components.at(std::get<1>(k)));
        kind.push_back(kind_name(std::get<2>(k)));
        bytes.push_back(v.bytes);
        txns.push_back(v.transactions);
      }
    }
    file.write_table("/serving/bytes_moved",
                     {{"source", source, ""},
                      {"target", target, "the memory served, or the compute unit"},
                      {"kind", kind, "read, write, or compute (its memory traffic)"},
                      {"bytes", bytes, ""},
                      {"transactions", txns, ""}});
  }
}

void ServingMetrics::print(const std::vector<std::string>& components,
                           const policies::FabricExecutor* exec, double energy_pj) const {
  const Time busy = busy_time();
  const double gen = static_cast<double>(generated_tokens());
  Latencies l = latencies(done_);
  std::vector<std::int64_t> tbt = tbt_;
  auto dist = [](std::vector<std::int64_t>& v) {
    if (v.empty()) return std::string("-");
    return fmt::format("p50 {}  p90 {}  p99 {}", human_time(Time::ps(percentile(v, 0.5))),
                       human_time(Time::ps(percentile(v, 0.9))),
                       human_time(Time::ps(percentile(v, 0.99))));
  };
  fmt::print("  {:<18}{} requests, {} generated tokens, {} steps\n", "served", done_.size(),
             generated_tokens(), steps_.size());
  fmt::print("  {:<18}{} (busy {})\n", "simulated time", human_time(end_time()), human_time(busy));
  fmt::print("  {:<18}{:.1f} tokens/s\n", "throughput",
             busy.ps() > 0 ? gen / busy.as_seconds() : 0.0);
  fmt::print("  {:<18}{}\n", "TTFT", dist(l.ttft));
  fmt::print("  {:<18}{}\n", "TPOT", dist(l.tpot));
  fmt::print("  {:<18}{}\n", "TBT", dist(tbt));
  fmt::print("  {:<18}{}\n", "end-to-end", dist(l.e2e));
  Time c, w, k, o;
  for (const auto& s : steps_) {
    c += s.breakdown.compute;
    w += s.breakdown.weight_io;
    k += s.breakdown.kv_io;
    o += s.breakdown.other;
  }
  const double tot = static_cast<double>((c + w + k + o).ps());
  auto pct = [tot](Time t) { return tot > 0 ? 100.0 * static_cast<double>(t.ps()) / tot : 0.0; };
  fmt::print("  {:<18}compute {:.1f}%  weight I/O {:.1f}%  KV I/O {:.1f}%  other {:.1f}%\n",
             "step time", pct(c), pct(w), pct(k), pct(o));
  for (const auto& [name, b] : per_tier(components, exec, false)) {
    fmt::print("  {:<18}{}\n", "bytes to " + name, human_bytes(static_cast<double>(b)));
  }
  for (const auto& [name, b] : per_tier(components, exec, true)) {
    fmt::print("  {:<18}{}\n", "traffic of " + name, human_bytes(static_cast<double>(b)));
  }
  if (energy_pj >= 0) {
    fmt::print("  {:<18}{:.3f} J\n", "energy", energy_pj * 1e-12);
  } else {
    fmt::print("  {:<18}not reported by these components\n", "energy");
  }
}

}  // namespace tiersim::run
