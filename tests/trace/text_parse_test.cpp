// Well-formed text traces: exact time conversion, field syntax, stream table, progress.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/trace/record_rules.h"
#include "sim/trace/text_trace.h"
#include "tests/common/test_util.h"
#include "tests/trace/trace_test_util.h"

namespace tiersim::test {
namespace {

using trace::Op;
using trace::Record;

Record rec(Time t, Op op, std::uint64_t address, std::uint64_t bytes, std::uint16_t stream = 0) {
  Record r;
  r.time = t;
  r.op = op;
  r.address = address;
  r.bytes = Bytes(bytes);
  r.stream = stream;
  return r;
}

TEST(TextTraceParse, TimesConvertExactlyToPicoseconds) {
  const TempDir dir;
  const auto path = dir.write("t.trace",
                              "0 R 0 1\n"
                              "7 R 0 1\n"
                              "12.345 R 0 1\n"
                              "12.5 R 0 1\n"
                              "12.50 R 0 1\n"
                              "0012.600 R 0 1\n"
                              "9223372036854775.807 R 0 1\n")
                        .string();
  const auto c = read_trace(path);
  ASSERT_EQ(c.records.size(), 7u);
  EXPECT_EQ(c.records[0].time.ps(), 0);
  EXPECT_EQ(c.records[1].time.ps(), 7000);
  EXPECT_EQ(c.records[2].time.ps(), 12345);
  EXPECT_EQ(c.records[3].time.ps(), 12500);
  EXPECT_EQ(c.records[4].time.ps(), 12500);
  EXPECT_EQ(c.records[5].time.ps(), 12600);
  EXPECT_EQ(c.records[6].time, Time::max());
}

TEST(TextTraceParse, TimeTextIsTheInverseOfParsing) {
  EXPECT_EQ(trace::time_ns_text(Time::ps(0)), "0");
  EXPECT_EQ(trace::time_ns_text(Time::ps(7000)), "7");
  EXPECT_EQ(trace::time_ns_text(Time::ps(12345)), "12.345");
  EXPECT_EQ(trace::time_ns_text(Time::ps(12500)), "12.5");
  EXPECT_EQ(trace::time_ns_text(Time::ps(12050)), "12.05");
  EXPECT_EQ(trace::time_ns_text(Time::ps(1)), "0.001");
  EXPECT_EQ(trace::time_ns_text(Time::ps(-5)), "-0.005");
  EXPECT_EQ(trace::time_ns_text(Time::max()), "9223372036854775.807");
}

TEST(TextTraceParse, FieldsOpsAddressesAndSeparators) {
  const TempDir dir;
  const auto path = dir.write("t.trace",
                              "# tiersim device trace v1\n"
                              "# time_ns  op  address   bytes  [stream]\n"
                              "0          R   0x0       4096   weights\n"
                              "12.5       W   0x100000  64     kv\n"
                              "\t\n"
                              "   # indented comment\n"
                              "13\tread\t0XFFFFFFFFFFFFFFFF\t1\n"
                              "14,write,18446744073709551615,8,kv\r\n"
                              "15, r, 255, 2, weights\n"
                              "16 w 0xabcDEF 3 default")
                        .string();
  const auto c = read_trace(path);
  const std::vector<Record> expected = {
      rec(Time::ps(0), Op::kRead, 0, 4096, 1),
      rec(Time::ps(12500), Op::kWrite, 0x100000, 64, 2),
      rec(Time::ps(13000), Op::kRead, 0xFFFFFFFFFFFFFFFFull, 1, 0),
      rec(Time::ps(14000), Op::kWrite, 18446744073709551615ull, 8, 2),
      rec(Time::ps(15000), Op::kRead, 255, 2, 1),
      rec(Time::ps(16000), Op::kWrite, 0xabcdef, 3, 0),
  };
  EXPECT_EQ(c.records, expected);
  EXPECT_EQ(c.streams, (std::vector<std::string>{"default", "weights", "kv"}));
}

TEST(TextTraceParse, EqualTimesAreAllowed) {
  const TempDir dir;
  const auto path = dir.write("t.trace", "5 R 0 1\n5 W 0 1\n5.000 R 0 1\n").string();
  EXPECT_EQ(read_trace(path).records.size(), 3u);
}

TEST(TextTraceParse, EmptyAndCommentOnlyTracesHaveNoRecords) {
  const TempDir dir;
  const auto empty = dir.write("empty.trace", "").string();
  const auto comments = dir.write("comments.trace", "# only\n\n  # comments\n").string();
  for (const auto& path : {empty, comments}) {
    auto reader = trace::open_trace(path);
    Record r;
    EXPECT_FALSE(reader->next(r));
    EXPECT_EQ(reader->records_read(), 0u);
    EXPECT_EQ(reader->streams(), (std::vector<std::string>{"default"}));
    EXPECT_DOUBLE_EQ(reader->progress(), 1.0);
  }
}

TEST(TextTraceParse, ByteOrderMarkIsSkipped) {
  const TempDir dir;
  const auto path = dir.write("t.trace", "\xEF\xBB\xBF# header\n1 R 0 1\n").string();
  EXPECT_EQ(read_trace(path).records.size(), 1u);
}

TEST(TextTraceParse, ProgressFollowsBytesConsumed) {
  const TempDir dir;
  const std::string line = "1 R 0x0 64\n";  // 11 bytes
  std::string text;
  for (int i = 0; i < 10; ++i) text += line;
  const auto path = dir.write("t.trace", text).string();
  trace::TextTraceReader reader(path);
  EXPECT_EQ(reader.path(), path);
  EXPECT_DOUBLE_EQ(reader.progress(), 0.0);
  Record r;
  ASSERT_TRUE(reader.next(r));
  EXPECT_DOUBLE_EQ(reader.progress(), 0.1);
  for (int i = 1; i < 10; ++i) ASSERT_TRUE(reader.next(r));
  EXPECT_DOUBLE_EQ(reader.progress(), 1.0);
  EXPECT_FALSE(reader.next(r));
  EXPECT_EQ(reader.records_read(), 10u);
}

TEST(TextTraceParse, LinesSpanningBufferBoundaries) {
  // Many records of varying length so that lines straddle the reader's 256 KiB buffer.
  const TempDir dir;
  std::string text;
  std::uint64_t expected_sum = 0;
  for (int i = 0; i < 100000; ++i) {
    const std::uint64_t addr = static_cast<std::uint64_t>(i) * 977;
    text += std::to_string(i) + (i % 3 == 0 ? ".5" : "") + " W " + std::to_string(addr) + " " +
            std::to_string(i % 50 + 1) + (i % 7 == 0 ? " stream_7\n" : "\n");
    expected_sum += addr + static_cast<std::uint64_t>(i % 50 + 1);
  }
  const auto c = read_trace(dir.write("t.trace", text).string());
  ASSERT_EQ(c.records.size(), 100000u);
  std::uint64_t sum = 0;
  for (const auto& r : c.records) sum += r.address + r.bytes.count();
  EXPECT_EQ(sum, expected_sum);
  EXPECT_EQ(c.records[3].time.ps(), 3500);
  EXPECT_EQ(c.records[7].stream, 1);
}

}  // namespace
}  // namespace tiersim::test
