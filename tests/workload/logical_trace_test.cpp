// The logical trace: generation, both forms, determinism (issue 7, acceptance 6), errors.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/trace/trace_reader.h"
#include "sim/workload/generator.h"
#include "sim/workload/model_io.h"
#include "sim/workload/synthetic.h"
#include "tests/common/test_util.h"

namespace tiersim::test {
namespace {

using workload::Access;
using workload::AccessKind;
using workload::Request;

workload::ModelSpec tiny(std::uint32_t experts = 1) {
  workload::ModelSpec m;
  m.name = "tiny";
  m.source = "test";
  m.layers = 2;
  m.hidden = 64;
  m.intermediate = 256;
  m.heads = 4;
  m.kv_heads = 2;
  m.head_dim = 16;
  m.vocab = 100;
  m.max_context = 512;
  m.experts = experts;
  m.top_k = experts > 1 ? 2 : 1;
  m.activation = workload::Activation::kRelu;
  return m;
}

workload::SyntheticSource requests(std::uint64_t n, std::uint64_t seed = 3) {
  workload::SyntheticOptions o;
  o.count = n;
  o.seed = seed;
  o.arrivals = workload::parse_arrivals("poisson:10");
  o.prompt = workload::parse_length_dist("uniform:5:40");
  o.output = workload::parse_length_dist("uniform:1:6");
  return workload::SyntheticSource(o);
}

workload::GeneratorResult generate(const std::string& path, const workload::ModelSpec& m,
                                   std::uint64_t seed, std::uint64_t n = 5) {
  workload::GeneratorOptions o;
  o.seed = seed;
  auto src = requests(n);
  auto w = workload::create_logical_trace(
      path, workload::LogicalHeader{workload::model_yaml(m), workload::generator_yaml(o, m)});
  const auto res = workload::generate_trace(m, src, o, *w);
  w->close();
  return res;
}

struct Contents {
  std::vector<Request> requests;
  std::vector<Access> accesses;
  workload::LogicalHeader header;
};

Contents read_all(const std::string& path) {
  auto r = workload::open_logical_trace(path);
  Contents c;
  c.header = r->header();
  Request q;
  while (r->next_request(q)) c.requests.push_back(q);
  Access a;
  while (r->next_access(a)) c.accesses.push_back(a);
  return c;
}

TEST(LogicalTrace, Hdf5AndJsonlHoldTheSameRecords) {
  const TempDir dir;
  const auto h5 = (dir.path() / "t.h5").string();
  const auto js = (dir.path() / "t.jsonl").string();
  const auto res = generate(h5, tiny(), 1);
  (void)generate(js, tiny(), 1);
  const Contents a = read_all(h5);
  const Contents b = read_all(js);
  EXPECT_EQ(a.requests.size(), 5u);
  EXPECT_EQ(a.accesses.size(), res.accesses);
  EXPECT_EQ(a.requests, b.requests);
  EXPECT_EQ(a.accesses, b.accesses);
  EXPECT_EQ(a.header.model, b.header.model);
  EXPECT_NE(a.header.generator.find("seed: 1"), std::string::npos);
}

TEST(LogicalTrace, SameSeedSameBytesDifferentSeedDifferentBytes) {
  const TempDir dir;
  for (const char* ext : {".h5", ".jsonl"}) {
    const auto p1 = (dir.path() / (std::string("a") + ext)).string();
    const auto p2 = (dir.path() / (std::string("b") + ext)).string();
    const auto p3 = (dir.path() / (std::string("c") + ext)).string();
    (void)generate(p1, tiny(), 11);
    (void)generate(p2, tiny(), 11);
    (void)generate(p3, tiny(), 12);
    EXPECT_EQ(read_file(p1), read_file(p2)) << ext;
    EXPECT_NE(read_file(p1), read_file(p3)) << ext;
  }
}

TEST(LogicalTrace, DenseStepsCarryTheModelsBytes) {
  const TempDir dir;
  workload::ModelSpec m = tiny();
  m.activation = workload::Activation::kSilu;  // no neuron sparsity
  const auto path = (dir.path() / "d.h5").string();
  const auto res = generate(path, m, 1);
  const Contents c = read_all(path);
  std::uint64_t decode_steps = 0;
  std::uint64_t kv_read = 0;
  std::uint64_t kv_read_want = 0;
  std::uint64_t ffn_bytes = 0;
  for (const Request& r : c.requests) {
    decode_steps += r.output_tokens - 1;
    // Decode step j (1-based) reads prompt + j - 1 cached tokens in each layer.
    for (std::uint64_t j = 1; j < r.output_tokens; ++j) kv_read_want += r.prompt_tokens + j - 1;
  }
  for (const Access& a : c.accesses) {
    if (a.kind == AccessKind::kKvRead) kv_read += a.bytes.count();
    if (a.kind == AccessKind::kWeight && a.index == 1) ffn_bytes += a.bytes.count();
  }
  EXPECT_EQ(res.steps, c.requests.size() + decode_steps);
  EXPECT_EQ(kv_read, kv_read_want * m.layers * m.kv_bytes_per_token_per_layer().count());
  EXPECT_EQ(ffn_bytes, res.steps * m.layers * m.expert_weight_bytes().count());
}

TEST(LogicalTrace, Opt6_7bDecodeReadsThreePercentOfNeurons) {
  const TempDir dir;
  const auto m = workload::load_model(source_dir() + "/configs/models/opt-6.7b.yaml");
  const auto path = (dir.path() / "o.h5").string();
  workload::GeneratorOptions o;
  workload::SyntheticOptions so;
  so.count = 1;
  so.prompt = workload::parse_length_dist("fixed:16");
  so.output = workload::parse_length_dist("fixed:30");
  workload::SyntheticSource src(so);
  {
    auto w = workload::create_logical_trace(path, {});
    (void)workload::generate_trace(m, src, o, *w);
    w->close();
  }
  auto r = workload::open_logical_trace(path);
  Access a;
  double neurons = 0;
  std::uint64_t records = 0;
  while (r->next_access(a)) {
    if (a.kind != AccessKind::kNeurons) continue;
    neurons += static_cast<double>(a.count);
    ++records;
    EXPECT_EQ(a.bytes.count(), a.count * 16'386u);
  }
  EXPECT_EQ(records, 29u * 32u);  // 29 decode steps x 32 layers
  EXPECT_NEAR(neurons / (static_cast<double>(records) * 16384), 0.03, 0.002);
}

TEST(LogicalTrace, MoeStepsRouteTopKExperts) {
  const TempDir dir;
  const auto path = (dir.path() / "moe.jsonl").string();
  (void)generate(path, tiny(8), 1);
  const Contents c = read_all(path);
  std::uint64_t routed = 0;
  std::uint64_t tokens = 0;
  for (const Access& a : c.accesses) {
    if (a.kind == AccessKind::kExpert) routed += a.count;
    if (a.kind == AccessKind::kStep) tokens += a.count;
  }
  EXPECT_EQ(routed, tokens * 2 * 2);  // top-2 in each of 2 layers
}

TEST(LogicalTrace, WriterRefusesBadRecords) {
  const TempDir dir;
  const auto path = (dir.path() / "bad.h5").string();
  auto w = workload::create_logical_trace(path, {});
  Request r;
  w->write_request(r);
  Access a;
  a.kind = AccessKind::kKvRead;
  a.request = 3;
  try {
    w->write_access(a);
    FAIL() << "expected a TraceError";
  } catch (const trace::TraceError& e) {
    EXPECT_EQ(std::string(e.what()),
              path + ": record 1: request 3 is not in the request table (1 requests)");
  }
  a.request = 0;
  a.step = 4;
  w->write_access(a);
  a.step = 2;
  EXPECT_THROW(w->write_access(a), trace::TraceError);
  EXPECT_THROW(w->write_request(r), trace::TraceError);  // a request after an access
}

TEST(LogicalTrace, JsonlReaderNamesLineAndRecord) {
  const TempDir dir;
  const auto p = dir.write(
      "t.jsonl",
      "{\"format\": \"tiersim-logical-trace\", \"version\": 1, \"model\": \"\", \"generator\": "
      "\"\"}\n"
      "{\"request\": 0, \"arrival_ps\": 0, \"prompt\": 4, \"output\": 2, \"prefix\": []}\n"
      "{\"step\": 0, \"request\": 0, \"kind\": \"step\", \"index\": 0, \"count\": 4, "
      "\"bytes\": 0}\n"
      "{\"step\": 1, \"kind\": \"wieght\", \"index\": 0, \"count\": 0, \"bytes\": 10}\n");
  auto r = workload::open_logical_trace(p.string());
  Access a;
  ASSERT_TRUE(r->next_access(a));
  try {
    (void)r->next_access(a);
    FAIL() << "expected a TraceError";
  } catch (const trace::TraceError& e) {
    EXPECT_EQ(std::string(e.what()), p.string() + ":4: record 2: missing or unknown 'kind'");
  }
}

TEST(LogicalTrace, NotALogicalTrace) {
  const TempDir dir;
  const auto p = dir.write("x.jsonl", "{\"timestamp\": 0}\n");
  EXPECT_THROW((void)workload::open_logical_trace(p.string()), trace::TraceError);
}

}  // namespace
}  // namespace tiersim::test
