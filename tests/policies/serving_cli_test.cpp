// End-to-end serving runs through the `tiersim` binary (docs/serving.md): gpu_only on the H100
// system, metrics checked against the per-step and per-request tables and against the hardware's
// stated figures; out-of-memory as a result; preemption by swap and by recompute.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/common/h5_results.h"
#include "tests/common/test_util.h"

namespace tiersim::test {
namespace {

using h5::f64;
using h5::i64;
using h5::u64;

template <class T>
std::vector<T> read_column(const std::string& file, const std::string& dataset) {
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) throw std::runtime_error("cannot open " + file);
  const hid_t d = H5Dopen2(f, dataset.c_str(), H5P_DEFAULT);
  if (d < 0) {
    H5Fclose(f);
    throw std::runtime_error("no dataset " + dataset);
  }
  const hid_t s = H5Dget_space(d);
  const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(s));
  std::vector<T> v(n);
  const hid_t t = std::is_same_v<T, std::int64_t> ? H5T_NATIVE_INT64 : H5T_NATIVE_UINT64;
  if (n > 0 && H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) < 0) {
    throw std::runtime_error("cannot read " + dataset);
  }
  H5Sclose(s);
  H5Dclose(d);
  H5Fclose(f);
  return v;
}

// A serving experiment on the H100 + host system; `serving` is the section's body.
std::string experiment(const std::string& serving) {
  return fmt::format(
      "extends: {}/configs/systems/gpu_h100_host.yaml\nname: t\nserving:\n"
      "  model: {}/configs/models/llama-2-7b.yaml\n{}",
      source_dir(), source_dir(), serving);
}

struct ServingRun {
  CommandResult cmd;
  std::string results;
  h5::Attrs summary;
};

ServingRun run_serving(const TempDir& dir, const std::string& name, const std::string& yaml) {
  const auto cfg = dir.write(name + ".yaml", yaml);
  ServingRun r;
  r.results = (dir.path() / (name + ".h5")).string();
  r.cmd = run_tiersim(
      fmt::format("run {} -o {} --no-progress", shell_quote(cfg.string()), shell_quote(r.results)));
  EXPECT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  if (r.cmd.exit_code == 0) r.summary = h5::read_group_attrs(r.results, "/summary");
  return r;
}

const char* const kStaticBatch = R"(  requests: {count: 4, prompt_tokens: 128, output_tokens: 16}
  scheduler: {type: static, batch: 4}
  policy: {type: gpu_only, hbm_capacity: 80 GB}
)";

// Llama-2-7B, static batch 4: a decode step's kernels read every layer's weights and the LM head
// once from HBM, i.e. total weights less the (untied) token embedding table:
//   13,476,831,232 - 32000 x 4096 x 2 = 13,214,687,232 B
// at the H100 preset's effective HBM bandwidth 3.35 TB/s x hbm_efficiency 0.917 = 3.072 TB/s:
//   4.302 ms. On top: 161 kernel launches x 1.3 us (CUDA graph) = 0.209 ms; the memory ramp
// (7.48 us, calibrated on the measured H100) that every operator pays at most once and every
// weight GEMM (>= 32 of them, one per layer at least, each streaming > 7.48 us) pays in full;
// and 32 decode attention kernels over ~140 tokens (0.3 MB of KV: a few us each, mostly fixed
// cost, < 0.15 ms).
TEST(ServingCli, GpuOnlyDecodeStepIsWeightBytesOverEffectiveHbmBandwidth) {
  TempDir dir;
  const ServingRun r = run_serving(dir, "static", experiment(kStaticBatch));
  ASSERT_EQ(r.cmd.exit_code, 0);
  const auto start = read_column<std::int64_t>(r.results, "/serving/steps/start_ps");
  const auto end = read_column<std::int64_t>(r.results, "/serving/steps/end_ps");
  const auto prefill = read_column<std::uint64_t>(r.results, "/serving/steps/prefill_entries");
  ASSERT_EQ(start.size(), 16U);  // 1 prefill step + 15 decode steps
  EXPECT_EQ(prefill[0], 4U);
  const double weight_time_ps = 13214687232.0 / (3.35e12 * 0.917) * 1e12;
  const double launches_ps = 161 * 1.3e6, ramp_ps = 7.48e6;
  for (std::size_t i = 1; i < start.size(); ++i) {
    EXPECT_EQ(prefill[i], 0U);
    const auto d = static_cast<double>(end[i] - start[i]);
    EXPECT_GT(d, weight_time_ps + launches_ps + 32 * ramp_ps) << "step " << i;
    EXPECT_LT(d, weight_time_ps + launches_ps + 161 * ramp_ps + 0.15e9) << "step " << i;
  }
  // Decode steps are weight-streaming: the breakdown says so.
  EXPECT_GT(static_cast<double>(i64(r.summary, "weight_io_ps")),
            0.9 * static_cast<double>(i64(r.summary, "busy_time_ps") - (end[0] - start[0])));
}

TEST(ServingCli, ThroughputAndLatenciesRecomputeFromTheTables) {
  TempDir dir;
  const ServingRun r = run_serving(dir, "static", experiment(kStaticBatch));
  ASSERT_EQ(r.cmd.exit_code, 0);
  const auto start = read_column<std::int64_t>(r.results, "/serving/steps/start_ps");
  const auto end = read_column<std::int64_t>(r.results, "/serving/steps/end_ps");
  const auto out = read_column<std::uint64_t>(r.results, "/serving/requests/output_tokens");
  const auto arrival = read_column<std::int64_t>(r.results, "/serving/requests/arrival_ps");
  const auto first = read_column<std::int64_t>(r.results, "/serving/requests/first_token_ps");
  const auto last = read_column<std::int64_t>(r.results, "/serving/requests/end_ps");
  ASSERT_EQ(out.size(), 4U);
  std::int64_t busy = 0;
  for (std::size_t i = 0; i < start.size(); ++i) busy += end[i] - start[i];
  const auto tokens = std::accumulate(out.begin(), out.end(), std::uint64_t{0});
  EXPECT_EQ(tokens, 64U);
  EXPECT_EQ(u64(r.summary, "generated_tokens"), tokens);
  EXPECT_EQ(i64(r.summary, "busy_time_ps"), busy);
  EXPECT_DOUBLE_EQ(f64(r.summary, "throughput_tok_s"),
                   static_cast<double>(tokens) / (static_cast<double>(busy) * 1e-12));
  // Static batch, all arriving at 0: every first token at the end of the prefill step, every
  // last token at the end of the last step; TPOT = (end - first) / 15 = mean decode step.
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(arrival[i], 0);
    EXPECT_EQ(first[i], end[0]);
    EXPECT_EQ(last[i], end.back());
  }
  EXPECT_EQ(i64(r.summary, "ttft_p50_ps"), end[0]);
  EXPECT_EQ(i64(r.summary, "tpot_p50_ps"), (end.back() - end[0]) / 15);
  EXPECT_EQ(i64(r.summary, "e2e_max_ps"), end.back());
  EXPECT_EQ(i64(r.summary, "compute_ps") + i64(r.summary, "weight_io_ps") +
                i64(r.summary, "kv_io_ps") + i64(r.summary, "other_ps"),
            busy);
  EXPECT_GT(f64(r.summary, "energy_J"), 0.0);  // the gpu component reports energy
  // Same config and seed: identical tables.
  const ServingRun again = run_serving(dir, "again", experiment(kStaticBatch));
  EXPECT_EQ(read_column<std::int64_t>(again.results, "/serving/steps/end_ps"), end);
}

TEST(ServingCli, ModelThatDoesNotFitIsAnOutOfMemoryResult) {
  TempDir dir;
  std::string yaml = experiment(kStaticBatch);
  const std::string from = "llama-2-7b.yaml";
  yaml.replace(yaml.find(from), from.size(), "llama-2-70b.yaml");
  const ServingRun r = run_serving(dir, "oom", yaml);
  ASSERT_EQ(r.cmd.exit_code, 0);
  EXPECT_NE(r.cmd.out.find("OUT OF MEMORY"), std::string::npos) << r.cmd.out;
  EXPECT_EQ(u64(r.summary, "oom"), 1U);
  EXPECT_NE(std::get<std::string>(r.summary.at("oom_message")).find("Llama-2-70B"),
            std::string::npos);
  EXPECT_EQ(u64(r.summary, "steps"), 0U);
}

// KV room for 600 tokens (weights 13,476,831,232 B + 600 x 524,288 B, nothing else reserved);
// 8 requests that grow to 127 tokens each need 8 x 8 blocks of 16 = 1024 tokens: preemption.
std::string tight(const std::string& mode) {
  return experiment(fmt::format(
      R"(  requests: {{count: 8, prompt_tokens: 64, output_tokens: 64}}
  scheduler: {{type: continuous, preemption: {}}}
  policy: {{type: gpu_only, hbm_capacity: {} B, memory_utilization: 1.0,
            activation_reserve: 0 B, host: host_mem}}
)",
      mode, 13476831232ULL + 600ULL * 524288ULL));
}

TEST(ServingCli, SwapPreemptionMovesKvToHostAndBackOverPcie) {
  TempDir dir;
  const ServingRun r = run_serving(dir, "swap", tight("swap"));
  ASSERT_EQ(r.cmd.exit_code, 0);
  EXPECT_GT(u64(r.summary, "preemptions"), 0U);
  EXPECT_EQ(u64(r.summary, "generated_tokens"), 8U * 64);
  const auto kinds = read_column<std::uint64_t>(r.results, "/serving/bytes_moved/bytes");
  // (gpu, gpu, compute), (gpu, host_mem, read), (gpu, host_mem, write): all swapped KV returns.
  ASSERT_EQ(kinds.size(), 3U);
  EXPECT_EQ(kinds[1], kinds[2]);
  EXPECT_EQ(kinds[1] % 524288U, 0U);
  EXPECT_EQ(u64(r.summary, "bytes_host_mem"), kinds[1] + kinds[2]);
  EXPECT_GT(i64(r.summary, "other_ps"), 0);  // swap transfers on the critical path
}

TEST(ServingCli, RecomputePreemptionPrefillsAgainWithoutHostTraffic) {
  TempDir dir;
  const ServingRun r = run_serving(dir, "recompute", tight("recompute"));
  ASSERT_EQ(r.cmd.exit_code, 0);
  EXPECT_GT(u64(r.summary, "preemptions"), 0U);
  EXPECT_EQ(u64(r.summary, "generated_tokens"), 8U * 64);
  EXPECT_EQ(r.summary.count("bytes_host_mem"), 0U);
  const auto prefill = read_column<std::uint64_t>(r.results, "/serving/steps/prefill_tokens");
  EXPECT_GT(std::accumulate(prefill.begin(), prefill.end(), std::uint64_t{0}), 8U * 64);
}

// Closed loop: each user's next request is released `think` after its previous one ended.
TEST(ServingCli, ClosedLoopReleasesTheNextRequestThinkTimeAfterTheLastCompletes) {
  TempDir dir;
  const ServingRun r = run_serving(
      dir, "closed",
      experiment(R"(  requests: {source: closed_loop, users: 2, per_user: 2, think: "fixed:0.25",
             prompt_tokens: 64, output_tokens: 8}
  scheduler: {type: continuous}
  policy: {type: gpu_only, hbm_capacity: 80 GB}
)"));
  ASSERT_EQ(r.cmd.exit_code, 0);
  const auto id = read_column<std::uint64_t>(r.results, "/serving/requests/id");
  const auto arrival = read_column<std::int64_t>(r.results, "/serving/requests/arrival_ps");
  const auto end = read_column<std::int64_t>(r.results, "/serving/requests/end_ps");
  ASSERT_EQ(id, (std::vector<std::uint64_t>{0, 1, 2, 3}));
  // Requests 0 and 1 are the users' first (released at their first think time, 0.25 s);
  // 2 and 3 follow 0 and 1 (ties go to the lower user).
  EXPECT_EQ(arrival[0], 250'000'000'000);
  EXPECT_EQ(arrival[2], end[0] + 250'000'000'000);
  EXPECT_EQ(arrival[3], end[1] + 250'000'000'000);
}

// A request trace (tests/policies/data/azure_sample.csv: five made-up records in the Azure LLM
// inference CSV format) cut to 4 requests: arrivals relative to the first record, lengths kept.
TEST(ServingCli, TraceRequestsKeepTheirArrivalsAndLengths) {
  TempDir dir;
  const ServingRun r =
      run_serving(dir, "trace",
                  experiment(fmt::format(
                      R"(  requests: {{source: trace, path: {}/tests/policies/data/azure_sample.csv,
             count: 4}}
  scheduler: {{type: continuous}}
  policy: {{type: gpu_only, hbm_capacity: 80 GB}}
)",
                      source_dir())));
  ASSERT_EQ(r.cmd.exit_code, 0);
  const auto arrival = read_column<std::int64_t>(r.results, "/serving/requests/arrival_ps");
  const auto prompt = read_column<std::uint64_t>(r.results, "/serving/requests/prompt_tokens");
  const auto output = read_column<std::uint64_t>(r.results, "/serving/requests/output_tokens");
  const auto tpot = read_column<std::int64_t>(r.results, "/serving/requests/tpot_ps");
  EXPECT_EQ(arrival, (std::vector<std::int64_t>{0, 4'314'579'000'000, 4'539'410'000'000,
                                                5'209'410'000'000}));
  EXPECT_EQ(prompt, (std::vector<std::uint64_t>{374, 396, 879, 91}));
  EXPECT_EQ(output, (std::vector<std::uint64_t>{44, 109, 12, 1}));
  EXPECT_EQ(tpot[3], -1);  // one output token: no TPOT
}

TEST(ServingCli, ServingAndWorkloadsTogetherOrNeitherAreConfigErrors) {
  TempDir dir;
  const auto both = dir.write(
      "both.yaml",
      experiment(kStaticBatch) +
          "workloads:\n  - {type: synthetic, requests: 10, source: gpu, target: host_mem}\n");
  CommandResult c = run_tiersim("run " + shell_quote(both.string()) + " -q");
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.err.find("not both"), std::string::npos) << c.err;
  const auto neither =
      dir.write("neither.yaml",
                fmt::format("extends: {}/configs/systems/gpu_h100_host.yaml\n", source_dir()));
  c = run_tiersim("run " + shell_quote(neither.string()) + " -q");
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.err.find("'serving'"), std::string::npos) << c.err;
}

}  // namespace
}  // namespace tiersim::test
