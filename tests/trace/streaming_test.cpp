// Large traces stream through the HDF5 writer and reader in bounded chunks.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "sim/trace/trace_writer.h"
#include "tests/common/test_util.h"
#include "tests/trace/trace_test_util.h"

namespace tiersim::test {
namespace {

using trace::Op;
using trace::Record;

constexpr std::uint64_t kRecords = 2'000'000;

// Record i of the synthetic trace.
Record synthetic(std::uint64_t i) {
  Record r;
  r.time = Time::ps(static_cast<std::int64_t>(i * 1250));
  r.op = i % 3 == 0 ? Op::kWrite : Op::kRead;
  r.address = (i * 0x9E3779B97F4A7C15ull) & 0xFFFFFFFFFFC0ull;
  r.bytes = Bytes(64 << (i % 4));
  r.stream = static_cast<std::uint16_t>(i % 3);
  return r;
}

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  return (h ^ v) * 0x100000001B3ull;  // FNV-1a style
}

std::uint64_t checksum(std::uint64_t h, const Record& r) {
  h = mix(h, static_cast<std::uint64_t>(r.time.ps()));
  h = mix(h, static_cast<std::uint64_t>(r.op));
  h = mix(h, r.address);
  h = mix(h, r.bytes.count());
  return mix(h, r.stream);
}

TEST(TraceStreaming, TwoMillionRecordsThroughHdf5) {
  const TempDir dir;
  const auto path = (dir.path() / "big.h5").string();
  std::uint64_t written_sum = 0xcbf29ce484222325ull;
  {
    auto w = trace::create_trace(path);
    ASSERT_EQ(w->stream_id("weights"), 1);
    ASSERT_EQ(w->stream_id("kv"), 2);
    for (std::uint64_t i = 0; i < kRecords; ++i) {
      const Record r = synthetic(i);
      written_sum = checksum(written_sum, r);
      w->write(r);
    }
    w->close();
  }

  auto reader = trace::open_trace(path);
  EXPECT_EQ(reader->streams(), (std::vector<std::string>{"default", "weights", "kv"}));
  std::uint64_t read_sum = 0xcbf29ce484222325ull;
  std::uint64_t count = 0;
  double last_progress = reader->progress();
  EXPECT_DOUBLE_EQ(last_progress, 0.0);
  Record r;
  while (reader->next(r)) {
    read_sum = checksum(read_sum, r);
    ++count;
    if (count % 100000 == 0) {
      EXPECT_GE(reader->progress(), last_progress);
      last_progress = reader->progress();
    }
  }
  EXPECT_EQ(count, kRecords);
  EXPECT_EQ(reader->records_read(), kRecords);
  EXPECT_EQ(read_sum, written_sum);
  EXPECT_DOUBLE_EQ(reader->progress(), 1.0);
  EXPECT_FALSE(reader->next(r));
}

}  // namespace
}  // namespace tiersim::test
