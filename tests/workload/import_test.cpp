// Importing the real request traces (issue 7, acceptance 2 and 3): every figure is compared
// with an independent computation by pandas (Debian's /usr/bin/python3), run by the test.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>

#include "sim/trace/trace_reader.h"
#include "sim/workload/importers.h"
#include "sim/workload/request_filter.h"
#include "sim/workload/request_stats.h"
#include "tests/common/test_util.h"

namespace tiersim::test {
namespace {

namespace fs = std::filesystem;
using workload::Request;
using workload::RequestStats;

// ../shared/data/traces beside the repository, or the shared checkout on the dev machine.
std::string traces_dir() {
  for (const fs::path& p : {fs::path(source_dir()) / ".." / "shared" / "data" / "traces",
                            fs::path("/work/shared/data/traces")}) {
    if (fs::is_directory(p)) return p.string();
  }
  return "";
}

#define REQUIRE_TRACE(var, file)                                                   \
  const std::string var = traces_dir().empty() ? "" : traces_dir() + "/" + (file); \
  if (var.empty() || !fs::exists(var)) {                                           \
    GTEST_SKIP() << "real traces not found (../shared/data/traces/" << (file)      \
                 << " beside the repository); skipping";                           \
  }

RequestStats import_all(const std::string& path, const std::string& format) {
  auto src = workload::open_requests(path, format);
  RequestStats stats;
  Request r;
  while (src->next(r)) stats.add(r);
  return stats;
}

// Runs a pandas script; its stdout is "key value" lines.
std::map<std::string, double> pandas(const std::string& script) {
  const TempDir dir;
  const auto py = dir.write("ref.py", script);
  const CommandResult res = run_command(std::string(TIERSIM_PYTHON) + " " + shell_quote(py));
  EXPECT_EQ(res.exit_code, 0) << res.err;
  std::map<std::string, double> out;
  std::istringstream in(res.out);
  std::string key;
  double v = 0;
  while (in >> key >> v) out[key] = v;
  return out;
}

void expect_close(double got, double want, const char* what) {
  EXPECT_NEAR(got, want, 1e-9 * std::max(1.0, std::abs(want))) << what;
}

TEST(AzureImport, CodeTrace2023MatchesPandas) {
  REQUIRE_TRACE(path, "azure_llm_2023_code.csv");
  const RequestStats s = import_all(path, "auto");
  const auto ref = pandas(
      "import pandas as pd\n"
      "d = pd.read_csv('" +
      path +
      "')\n"
      "t = pd.to_datetime(d.TIMESTAMP)\n"
      "print('n', len(d))\n"
      "for k, c in (('ctx', 'ContextTokens'), ('gen', 'GeneratedTokens')):\n"
      "    print(k + '_mean', repr(d[c].mean()))\n"
      "    print(k + '_median', repr(d[c].median()))\n"
      "    print(k + '_p99', repr(d[c].quantile(0.99)))\n"
      "span = (t.iloc[-1] - t.iloc[0]).value / 1e9\n"
      "print('rate', repr((len(d) - 1) / span))\n");
  ASSERT_EQ(ref.size(), 8u);
  EXPECT_EQ(s.count(), 8819u);
  EXPECT_EQ(ref.at("n"), 8819.0);
  expect_close(s.prompt().mean, ref.at("ctx_mean"), "context mean");
  expect_close(s.prompt().median, ref.at("ctx_median"), "context median");
  expect_close(s.prompt().p99, ref.at("ctx_p99"), "context p99");
  expect_close(s.output().mean, ref.at("gen_mean"), "generated mean");
  expect_close(s.output().median, ref.at("gen_median"), "generated median");
  expect_close(s.output().p99, ref.at("gen_p99"), "generated p99");
  expect_close(s.arrival_rate(), ref.at("rate"), "arrival rate");
  // The values themselves (pandas 1.5.3, 2026-11): 2047.85 / 1469 / 7436 context tokens,
  // 27.88 / 13 / 251.46 generated tokens, 2.566 requests/s over 3435.95 s.
  EXPECT_NEAR(s.prompt().mean, 2047.848, 1e-3);
  EXPECT_EQ(s.prompt().median, 1469.0);
  EXPECT_NEAR(s.arrival_rate(), 2.5664, 1e-4);
}

TEST(MooncakeImport, ConversationTracePrefixReuseMatchesPython) {
  REQUIRE_TRACE(path, "mooncake_conversation.jsonl");
  const RequestStats s = import_all(path, "auto");
  const auto ref = pandas(
      "import pandas as pd\n"
      "m = pd.read_json('" +
      path +
      "', lines=True)\n"
      "seen, refs, reused = set(), 0, 0\n"
      "for ids in m.hash_ids:\n"
      "    refs += len(ids)\n"
      "    reused += sum(1 for b in ids if b in seen)\n"
      "    seen.update(ids)\n"
      "print('n', len(m))\n"
      "print('refs', refs)\n"
      "print('reused', reused)\n"
      "print('ratio', repr(reused / refs))\n"
      "print('in_mean', repr(m.input_length.mean()))\n"
      "print('rate', repr((len(m) - 1) / ((m.timestamp.iloc[-1] - m.timestamp.iloc[0]) / 1e3)))\n");
  ASSERT_EQ(ref.size(), 6u);
  EXPECT_EQ(s.count(), 12031u);
  EXPECT_EQ(static_cast<double>(s.block_refs()), ref.at("refs"));
  EXPECT_EQ(static_cast<double>(s.reused_block_refs()), ref.at("reused"));
  expect_close(s.prefix_reuse_ratio(), ref.at("ratio"), "prefix reuse ratio");
  expect_close(s.prompt().mean, ref.at("in_mean"), "input mean");
  expect_close(s.arrival_rate(), ref.at("rate"), "arrival rate");
  // 105,710 of 288,500 block references repeat an earlier request's block: 36.64%.
  EXPECT_NEAR(s.prefix_reuse_ratio(), 0.3664, 1e-4);
}

TEST(ImportErrors, NamesFileLineAndRecord) {
  const TempDir dir;
  const auto p = dir.write("a.csv",
                           "TIMESTAMP,ContextTokens,GeneratedTokens\n"
                           "2023-11-16 18:17:03.9799600,4808,10\n"
                           "\n"
                           "2023-11-16 18:17:04.0319600,x,8\n");
  auto src = workload::open_requests(p.string(), "azure");
  Request r;
  ASSERT_TRUE(src->next(r));
  try {
    (void)src->next(r);
    FAIL() << "expected a TraceError";
  } catch (const trace::TraceError& e) {
    EXPECT_EQ(std::string(e.what()), p.string() + ":4: record 2: bad ContextTokens 'x'");
  }
}

TEST(ImportErrors, DecreasingTimestampIsAnError) {
  const TempDir dir;
  const auto p = dir.write("m.jsonl",
                           "{\"timestamp\": 5, \"input_length\": 10, \"output_length\": 1}\n"
                           "{\"timestamp\": 3, \"input_length\": 10, \"output_length\": 1}\n");
  auto src = workload::open_requests(p.string(), "auto");
  Request r;
  ASSERT_TRUE(src->next(r));
  try {
    (void)src->next(r);
    FAIL() << "expected a TraceError";
  } catch (const trace::TraceError& e) {
    EXPECT_EQ(std::string(e.what()),
              p.string() +
                  ":2: record 2: time -2000000 ns is earlier than the previous record's 0 ns "
                  "(times must be non-decreasing)");
  }
}

TEST(ImportOptions, WindowScaleAndClip) {
  const TempDir dir;
  const auto p = dir.write(
      "m.jsonl",
      "{\"timestamp\": 0, \"input_length\": 1500, \"output_length\": 10, \"hash_ids\": [1, 2, 3]}\n"
      "{\"timestamp\": 1000, \"input_length\": 1200, \"output_length\": 900, \"hash_ids\": [1, "
      "4, 5]}\n"
      "{\"timestamp\": 3000, \"input_length\": 10, \"output_length\": 10}\n");
  workload::RequestFilterOptions o;
  o.window_start = Time::ms(500);
  o.window_end = Time::ms(2000);
  o.rate_scale = 2.0;
  o.max_context = 1024;
  workload::FilteredSource src(workload::open_requests(p.string(), "mooncake"), o);
  Request r;
  ASSERT_TRUE(src.next(r));
  EXPECT_EQ(r.id, 0u);
  EXPECT_EQ(r.arrival, Time::ms(250));                             // (1000 - 500) ms / 2
  EXPECT_EQ(r.prompt_tokens, 1023u);                               // clipped to max_context - 1
  EXPECT_EQ(r.output_tokens, 1u);                                  // what is left of the context
  EXPECT_EQ(r.prefix_blocks, (std::vector<std::uint64_t>{1, 4}));  // 1023 tokens: 2 blocks
  EXPECT_FALSE(src.next(r));                                       // 3000 ms is past the window
}

TEST(ImportBurstGpt, ParsesTheCsv) {
  const TempDir dir;
  const auto p = dir.write("b.csv",
                           "Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n"
                           "5.0,ChatGPT,472,18,490,Conversation log\n"
                           "45.25,GPT-4,1087,230,1317,Conversation log\n");
  auto src = workload::open_requests(p.string(), "auto");
  Request r;
  ASSERT_TRUE(src->next(r));
  ASSERT_TRUE(src->next(r));
  EXPECT_EQ(r.arrival, Time::ms(40250));
  EXPECT_EQ(r.prompt_tokens, 1087u);
  EXPECT_EQ(r.output_tokens, 230u);
}

}  // namespace
}  // namespace tiersim::test
