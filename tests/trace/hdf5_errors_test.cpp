// Malformed HDF5 traces, written with the HDF5 C++ API directly (not with tiersim's writer,
// which refuses to write invalid records).
#include <gtest/gtest.h>

#include <H5Cpp.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "sim/trace/trace_writer.h"
#include "tests/common/test_util.h"
#include "tests/trace/trace_test_util.h"

namespace tiersim::test {
namespace {

struct RawRow {
  std::int64_t time_ps;
  std::uint8_t op;
  std::uint64_t address;
  std::uint64_t bytes;
  std::uint16_t stream;
};

struct RawTrace {
  bool format_attr = true;
  std::string format = "tiersim-device-trace";
  int version = 1;
  bool requests = true;
  std::vector<RawRow> rows = {{0, 0, 0, 64, 0}};
  bool streams = true;
  std::vector<std::string> tags = {"default"};
  bool fixed_strings = false;  // fixed-length, space-padded strings instead of variable-length
};

// A string type for `t`'s strings of at most `len` characters.
H5::StrType string_type(const RawTrace& t, std::size_t len) {
  if (!t.fixed_strings) return H5::StrType(H5::PredType::C_S1, H5T_VARIABLE);
  H5::StrType s(H5::PredType::C_S1, len);
  s.setStrpad(H5T_STR_SPACEPAD);
  return s;
}

void write_raw(const std::string& path, const RawTrace& t) {
  H5::H5File f(path, H5F_ACC_TRUNC);
  const H5::DataSpace scalar(H5S_SCALAR);
  if (t.format_attr) {
    const std::size_t len = t.format.size() + 4;
    const H5::StrType s = string_type(t, len);
    // A fixed-length string type copies exactly `len` bytes: pass a buffer that long.
    std::string value = t.format;
    if (t.fixed_strings) value.resize(len, ' ');
    f.createAttribute("format", s, scalar).write(s, value);
  }
  f.createAttribute("version", H5::PredType::NATIVE_INT, scalar)
      .write(H5::PredType::NATIVE_INT, &t.version);
  if (t.requests) {
    H5::CompType row(sizeof(RawRow));
    row.insertMember("time_ps", offsetof(RawRow, time_ps), H5::PredType::NATIVE_INT64);
    row.insertMember("op", offsetof(RawRow, op), H5::PredType::NATIVE_UINT8);
    row.insertMember("address", offsetof(RawRow, address), H5::PredType::NATIVE_UINT64);
    row.insertMember("bytes", offsetof(RawRow, bytes), H5::PredType::NATIVE_UINT64);
    row.insertMember("stream", offsetof(RawRow, stream), H5::PredType::NATIVE_UINT16);
    const hsize_t n = t.rows.size();
    const H5::DataSpace space(1, &n);
    f.createDataSet("requests", row, space).write(t.rows.data(), row);
  }
  if (t.streams && !t.fixed_strings) {
    std::vector<const char*> ptrs;
    for (const auto& s : t.tags) ptrs.push_back(s.c_str());
    const hsize_t n = ptrs.size();
    const H5::DataSpace space(1, &n);
    const H5::StrType s = string_type(t, 0);
    f.createDataSet("streams", s, space).write(ptrs.data(), s);
  }
  if (t.streams && t.fixed_strings) {
    constexpr std::size_t kLen = 16;
    std::string packed;
    for (const auto& s : t.tags) packed += s + std::string(kLen - s.size(), ' ');
    const hsize_t n = t.tags.size();
    const H5::DataSpace space(1, &n);
    const H5::StrType s = string_type(t, kLen);
    f.createDataSet("streams", s, space).write(packed.data(), s);
  }
}

class Hdf5TraceErrors : public ::testing::Test {
 protected:
  std::string error_for(const RawTrace& t) {
    write_raw(path_, t);
    return trace_error(path_);
  }
  TempDir dir_;
  std::string path_ = (dir_.path() / "bad.h5").string();
};

TEST_F(Hdf5TraceErrors, MissingRequests) {
  RawTrace t;
  t.requests = false;
  EXPECT_EQ(error_for(t), path_ + ": not a tiersim device trace (missing /requests)");
}

TEST_F(Hdf5TraceErrors, NonMonotonicRecord) {
  RawTrace t;
  t.rows = {{1000, 0, 0, 64, 0}, {7000, 1, 64, 64, 0}, {5000, 0, 128, 64, 0}};
  EXPECT_EQ(error_for(t), path_ +
                              ": record 3: time 5 ns is earlier than the previous record's 7 ns "
                              "(times must be non-decreasing)");
}

TEST_F(Hdf5TraceErrors, ZeroBytesRecord) {
  RawTrace t;
  t.rows = {{0, 0, 0, 64, 0}, {1, 0, 0, 0, 0}};
  EXPECT_EQ(error_for(t), path_ + ": record 2: bytes must be positive, got 0");
}

TEST_F(Hdf5TraceErrors, BadOpCode) {
  RawTrace t;
  t.rows = {{0, 7, 0, 64, 0}};
  EXPECT_EQ(error_for(t), path_ + ": record 1: bad op code 7 (expected 0 for read or 1 for write)");
}

TEST_F(Hdf5TraceErrors, NegativeTime) {
  RawTrace t;
  t.rows = {{-5, 0, 0, 64, 0}};
  EXPECT_EQ(error_for(t), path_ + ": record 1: time -0.005 ns is negative (times must be >= 0)");
}

TEST_F(Hdf5TraceErrors, StreamIndexOutOfRange) {
  RawTrace t;
  t.tags = {"default", "kv"};
  t.rows = {{0, 0, 0, 64, 1}, {0, 0, 0, 64, 2}};
  EXPECT_EQ(error_for(t),
            path_ + ": record 2: stream index 2 is out of range (the stream table has 2 tags)");
}

TEST_F(Hdf5TraceErrors, WrongFormatAttribute) {
  RawTrace t;
  t.format = "something-else";
  EXPECT_EQ(error_for(t), path_ +
                              ": not a tiersim device trace (format is 'something-else', "
                              "expected 'tiersim-device-trace')");
}

TEST_F(Hdf5TraceErrors, MissingFormatAttribute) {
  RawTrace t;
  t.format_attr = false;
  EXPECT_EQ(error_for(t), path_ + ": not a tiersim device trace (missing 'format' attribute)");
}

TEST_F(Hdf5TraceErrors, UnsupportedVersion) {
  RawTrace t;
  t.version = 2;
  EXPECT_EQ(error_for(t), path_ + ": unsupported trace version 2 (this tiersim reads version 1)");
}

TEST_F(Hdf5TraceErrors, MissingStreams) {
  RawTrace t;
  t.streams = false;
  EXPECT_EQ(error_for(t), path_ + ": not a tiersim device trace (missing /streams)");
}

TEST_F(Hdf5TraceErrors, BadStreamTable) {
  RawTrace t;
  t.tags = {"weights"};
  EXPECT_EQ(error_for(t), path_ + ": bad /streams: entry 0 is 'weights', expected 'default'");
  t.tags = {"default", "kv", "9x"};
  EXPECT_EQ(error_for(t), path_ +
                              ": bad /streams: entry 2 '9x' is not a valid stream tag (must "
                              "match [A-Za-z_][A-Za-z0-9_.-]*)");
  t.tags = {"default", "kv", "kv"};
  EXPECT_EQ(error_for(t), path_ + ": bad /streams: entry 2 repeats tag 'kv'");
}

TEST_F(Hdf5TraceErrors, CorruptFileWithSignature) {
  const auto path = dir_.write("corrupt.h5", std::string("\x89HDF\r\n\x1a\n", 8) + "garbage");
  const std::string err = trace_error(path.string());
  EXPECT_EQ(err.rfind(path.string() + ": cannot read HDF5 trace: ", 0), 0u) << err;
}

TEST_F(Hdf5TraceErrors, CorruptChunkIsReportedWhileReading) {
  {
    auto w = trace::create_trace(path_);
    trace::Record r;
    r.bytes = Bytes(64);
    for (std::uint64_t i = 0; i < 200000; ++i) {
      r.time = Time::ps(static_cast<std::int64_t>(i * 7));
      r.address = i * 64 * 2654435761u;
      w->write(r);
    }
  }
  {
    // The middle of the file is compressed chunk data: overwrite some of it.
    std::fstream f(path_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(0, std::ios::end);
    f.seekp(f.tellg() / 2);
    const std::string junk(1000, '\xff');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  auto reader = trace::open_trace(path_);  // the metadata is intact
  std::string err = "no error";
  try {
    trace::Record r;
    while (reader->next(r)) {
    }
  } catch (const trace::TraceError& e) {
    err = e.what();
  }
  EXPECT_EQ(err.rfind(path_ + ": cannot read HDF5 trace: ", 0), 0u) << err;
}

TEST_F(Hdf5TraceErrors, ValidRawFileReads) {
  // The reader accepts a native (unpacked, contiguous) layout and a variable-length format string.
  RawTrace t;
  t.tags = {"default", "kv"};
  t.rows = {{0, 0, 0, 64, 1}, {2500, 1, 4096, 128, 0}};
  write_raw(path_, t);
  const auto c = read_trace(path_);
  ASSERT_EQ(c.records.size(), 2u);
  EXPECT_EQ(c.records[1].time.ps(), 2500);
  EXPECT_EQ(c.records[1].op, trace::Op::kWrite);
  EXPECT_EQ(c.records[0].stream, 1);
  EXPECT_EQ(c.streams, (std::vector<std::string>{"default", "kv"}));
}

TEST_F(Hdf5TraceErrors, FixedLengthStringsRead) {
  RawTrace t;
  t.fixed_strings = true;
  t.tags = {"default", "weights", "kv"};
  t.rows = {{0, 0, 0, 64, 2}, {1, 1, 0, 64, 1}};
  write_raw(path_, t);
  const auto c = read_trace(path_);
  EXPECT_EQ(c.records.size(), 2u);
  EXPECT_EQ(c.streams, (std::vector<std::string>{"default", "weights", "kv"}));
}

}  // namespace
}  // namespace tiersim::test
