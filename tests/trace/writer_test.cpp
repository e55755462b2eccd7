// Writers publish a trace atomically and refuse records a reader would reject.
#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include <unistd.h>

#include "sim/trace/trace_writer.h"
#include "tests/common/test_util.h"
#include "tests/trace/trace_test_util.h"

namespace tiersim::test {
namespace {

namespace fs = std::filesystem;
using trace::Op;
using trace::Record;
using trace::TraceError;

Record at(std::int64_t ps, std::uint64_t bytes = 64) {
  Record r;
  r.time = Time::ps(ps);
  r.op = Op::kRead;
  r.bytes = Bytes(bytes);
  return r;
}

// Names in `dir` that contain ".tmp".
int temp_files_in(const fs::path& dir) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().find(".tmp") != std::string::npos) ++n;
  }
  return n;
}

class TraceWriterTest : public ::testing::TestWithParam<const char*> {
 protected:
  TempDir dir_;
  std::string path_ = (dir_.path() / GetParam()).string();
};

TEST_P(TraceWriterTest, FinalPathAppearsOnlyOnClose) {
  auto w = trace::create_trace(path_);
  w->write(at(0));
  EXPECT_FALSE(fs::exists(path_));
  EXPECT_TRUE(fs::exists(path_ + ".tmp." + std::to_string(::getpid())));
  w->close();
  EXPECT_TRUE(fs::exists(path_));
  EXPECT_EQ(temp_files_in(dir_.path()), 0);
  w->close();  // a second close does nothing
  EXPECT_EQ(read_trace(path_).records.size(), 1u);
}

TEST_P(TraceWriterTest, DestructorCloses) {
  {
    auto w = trace::create_trace(path_);
    w->write(at(0));
    w->write(at(5));
  }
  EXPECT_EQ(read_trace(path_).records.size(), 2u);
  EXPECT_EQ(temp_files_in(dir_.path()), 0);
}

TEST_P(TraceWriterTest, ExceptionDiscardsTheTrace) {
  try {
    auto w = trace::create_trace(path_);
    w->write(at(0));
    throw std::runtime_error("simulation failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_FALSE(fs::exists(path_));
  EXPECT_EQ(temp_files_in(dir_.path()), 0);
}

TEST_P(TraceWriterTest, ReplacesAnExistingTrace) {
  (void)dir_.write(GetParam(), "old contents");
  auto w = trace::create_trace(path_);
  w->write(at(3));
  EXPECT_EQ(read_file(path_), "old contents");
  w->close();
  EXPECT_EQ(read_trace(path_).records.size(), 1u);
}

TEST_P(TraceWriterTest, RejectsInvalidRecords) {
  auto w = trace::create_trace(path_);
  w->write(at(7000));
  const auto error_of = [&](const Record& r) -> std::string {
    try {
      w->write(r);
    } catch (const TraceError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(error_of(at(5000)), path_ +
                                    ": record 2: time 5 ns is earlier than the previous record's "
                                    "7 ns (times must be non-decreasing)");
  EXPECT_EQ(error_of(at(8000, 0)), path_ + ": record 2: bytes must be positive, got 0");
  Record bad_stream = at(8000);
  bad_stream.stream = 3;
  EXPECT_EQ(error_of(bad_stream),
            path_ + ": record 2: stream index 3 is out of range (the stream table has 1 tags)");
  // Rejected records are not written; the writer stays usable.
  w->write(at(8000));
  w->close();
  EXPECT_EQ(read_trace(path_).records.size(), 2u);
  EXPECT_EQ(error_of(at(9000)), path_ + ": write to a closed trace writer");
}

TEST_P(TraceWriterTest, RejectsBadStreamTags) {
  auto w = trace::create_trace(path_);
  try {
    (void)w->stream_id("9x");
    FAIL() << "no error";
  } catch (const TraceError& e) {
    EXPECT_EQ(std::string(e.what()),
              path_ + ": bad stream tag '9x' (must match [A-Za-z_][A-Za-z0-9_.-]*)");
  }
}

TEST_P(TraceWriterTest, CannotCreateInMissingDirectory) {
  const auto path = (dir_.path() / "no" / GetParam()).string();
  try {
    auto w = trace::create_trace(path);
    FAIL() << "no error";
  } catch (const TraceError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": cannot create trace: No such file or directory");
  }
}

INSTANTIATE_TEST_SUITE_P(Forms, TraceWriterTest, ::testing::Values("t.trace", "t.h5"),
                         [](const auto& param_info) {
                           return std::string(param_info.param) == "t.h5" ? "Hdf5" : "Text";
                         });

TEST(CreateTrace, FormFollowsExtensionOrArgument) {
  const TempDir dir;
  const std::string hdf5_signature("\x89HDF\r\n\x1a\n", 8);
  for (const char* name : {"a.h5", "b.HDF5", "c.trace", "d.txt"}) {
    const auto path = (dir.path() / name).string();
    trace::create_trace(path)->close();
    const bool is_hdf5 = read_file(path).substr(0, 8) == hdf5_signature;
    EXPECT_EQ(is_hdf5, name[0] == 'a' || name[0] == 'b') << name;
  }
  const auto forced = (dir.path() / "e.trace").string();
  trace::create_trace(forced, trace::TraceForm::kHdf5)->close();
  EXPECT_EQ(read_file(forced).substr(0, 8), hdf5_signature);
  EXPECT_TRUE(read_trace(forced).records.empty());
}

}  // namespace
}  // namespace tiersim::test
