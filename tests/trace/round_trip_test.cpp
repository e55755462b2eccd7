// Text -> HDF5 -> text keeps every record and the stream table; writers are deterministic.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sim/trace/trace_writer.h"
#include "tests/common/test_util.h"
#include "tests/trace/trace_test_util.h"

namespace tiersim::test {
namespace {

using trace::Op;
using trace::Record;

// A text trace of `n` random records in assorted spellings, and the records it denotes.
struct Generated {
  std::string text;
  TraceContents expected;
};

Generated generate(int n) {
  std::mt19937_64 rng(12345);
  const std::vector<std::string> tags = {"default", "weights", "kv", "act.0", "_x-y"};
  Generated g;
  g.text = "# tiersim device trace v1\n# time_ns op address bytes [stream]\n";
  g.expected.streams = {"default"};
  std::int64_t ps = 0;
  for (int i = 0; i < n; ++i) {
    ps += static_cast<std::int64_t>(rng() % 5000);  // sometimes 0: equal times
    Record r;
    r.time = Time::ps(ps);
    r.op = rng() % 2 == 0 ? Op::kRead : Op::kWrite;
    r.address = rng();
    r.bytes = Bytes(rng() % 1000000 + 1);
    const std::string& tag = tags[rng() % tags.size()];
    const bool spell_default = rng() % 2 == 0;
    std::uint16_t id = 0;
    for (; id < g.expected.streams.size(); ++id) {
      if (g.expected.streams[id] == tag) break;
    }
    if (id == g.expected.streams.size()) g.expected.streams.push_back(tag);
    r.stream = id;
    g.expected.records.push_back(r);

    const std::int64_t whole = ps / 1000;
    const std::int64_t frac = ps % 1000;
    std::string line = std::to_string(whole);
    if (frac != 0 || rng() % 4 == 0) line += fmt::format(".{:03}", frac);
    const char* sep = rng() % 5 == 0 ? "," : (rng() % 2 == 0 ? "\t" : "  ");
    const char* op = r.op == Op::kRead ? (rng() % 2 == 0 ? "R" : "read") : "WRITE";
    line += sep;
    line += op;
    line += sep;
    line += rng() % 2 == 0 ? fmt::format("{:#x}", r.address) : std::to_string(r.address);
    line += sep;
    line += std::to_string(r.bytes.count());
    if (tag != "default" || spell_default) {
      line += sep;
      line += tag;
    }
    g.text += line + "\n";
    if (rng() % 50 == 0) g.text += "# a comment\n\n";
  }
  return g;
}

// Copies the trace at `from` to `to` (form chosen by `to`'s extension) through the public API.
void copy_trace(const std::string& from, const std::string& to) {
  auto reader = trace::open_trace(from);
  auto writer = trace::create_trace(to);
  Record r;
  while (reader->next(r)) {
    r.stream = writer->stream_id(reader->streams()[r.stream]);
    writer->write(r);
  }
  writer->close();
}

TEST(TraceRoundTrip, TextToHdf5ToTextKeepsRecordsAndStreams) {
  const TempDir dir;
  const Generated g = generate(5000);
  const auto text_in = dir.write("in.trace", g.text).string();
  const auto h5 = (dir.path() / "mid.h5").string();
  const auto text_out = (dir.path() / "out.trace").string();

  const auto parsed = read_trace(text_in);
  ASSERT_EQ(parsed.records, g.expected.records);
  ASSERT_EQ(parsed.streams, g.expected.streams);

  copy_trace(text_in, h5);
  const auto from_h5 = read_trace(h5);
  EXPECT_EQ(from_h5.records, g.expected.records);
  EXPECT_EQ(from_h5.streams, g.expected.streams);

  copy_trace(h5, text_out);
  const auto back = read_trace(text_out);
  EXPECT_EQ(back.records, g.expected.records);
  EXPECT_EQ(back.streams, g.expected.streams);
}

TEST(TraceRoundTrip, TextWriterOutput) {
  const TempDir dir;
  const auto path = (dir.path() / "t.trace").string();
  {
    auto w = trace::create_trace(path);
    const std::uint16_t kv = w->stream_id("kv");
    EXPECT_EQ(kv, 1);
    EXPECT_EQ(w->stream_id("default"), 0);
    EXPECT_EQ(w->stream_id("kv"), 1);
    Record r;
    r.time = Time::ps(12500);
    r.op = Op::kWrite;
    r.address = 0x100000;
    r.bytes = Bytes(64);
    r.stream = kv;
    w->write(r);
    r.time = Time::ns(13);
    r.op = Op::kRead;
    r.address = 0;
    r.bytes = Bytes(4096);
    r.stream = 0;
    w->write(r);
    w->close();
  }
  EXPECT_EQ(read_file(path),
            "# tiersim device trace v1\n"
            "# time_ns op address bytes [stream]\n"
            "12.5 W 0x100000 64 kv\n"
            "13 R 0x0 4096\n");
}

TEST(TraceRoundTrip, IdenticalContentGivesIdenticalHdf5Files) {
  const TempDir dir;
  const auto text = dir.write("in.trace", generate(3000).text).string();
  const auto a = (dir.path() / "a.h5").string();
  const auto b = (dir.path() / "b.h5").string();
  copy_trace(text, a);
  copy_trace(text, b);
  const std::string bytes_a = read_file(a);
  EXPECT_EQ(bytes_a.substr(0, 8), std::string("\x89HDF\r\n\x1a\n", 8));
  EXPECT_TRUE(bytes_a == read_file(b));
}

TEST(TraceRoundTrip, EmptyTraceInBothForms) {
  const TempDir dir;
  for (const char* name : {"e.trace", "e.h5"}) {
    const auto path = (dir.path() / name).string();
    trace::create_trace(path)->close();
    const auto c = read_trace(path);
    EXPECT_TRUE(c.records.empty()) << name;
    EXPECT_EQ(c.streams, (std::vector<std::string>{"default"})) << name;
  }
}

}  // namespace
}  // namespace tiersim::test
