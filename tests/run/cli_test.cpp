// The command line as a user meets it: replay, malformed traces (exact text, exit status 3),
// no results file left behind on failure, listing and version.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/common/test_util.h"

namespace tiersim::test {
namespace {

namespace fs = std::filesystem;

class Cli : public ::testing::Test {
 protected:
  CommandResult replay(const std::string& trace_name, const std::string& text) {
    dir_.write(trace_name, text);
    return run_command("cd " + shell_quote(dir_.path().string()) + " && " +
                       shell_quote(TIERSIM_BINARY) + " replay " + trace_name + " --system " +
                       shell_quote(source_dir() + "/configs/systems/quickstart.yaml") +
                       " -q --no-progress -o out.h5");
  }
  void expect_trace_error(const CommandResult& r, const std::string& message) {
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_EQ(r.err, "error: " + (dir_.path() / message).string() + "\n");
    // Nothing lost, nothing half-written: no results file, no temp file.
    for (const auto& e : fs::directory_iterator(dir_.path())) {
      EXPECT_EQ(e.path().filename().string().find("out.h5"), std::string::npos) << e.path();
    }
  }
  TempDir dir_;
};

TEST_F(Cli, ReplayOfAGoodTraceWritesResults) {
  const auto r = replay("ok.trace", "# ok\n0 R 0x0 64\n1.5 W 0x40 4096 kv\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir_.path() / "out.h5"));
}

TEST_F(Cli, BadOpIsExitStatus3WithRecordNumber) {
  expect_trace_error(replay("t.trace", "# t\n0 R 0x0 64\n10 X 0x40 64\n"),
                     "t.trace:3: record 2: bad op 'X' (expected R, W, READ or WRITE)");
}

TEST_F(Cli, MissingField) {
  expect_trace_error(replay("t.trace", "0 R 0x0 64\n10 R 0x40\n"),
                     "t.trace:2: record 2: missing field 'bytes' (expected: time_ns op address "
                     "bytes [stream])");
}

TEST_F(Cli, TimeGoingBackwards) {
  expect_trace_error(replay("t.trace", "10 R 0x0 64\n5 R 0x40 64\n"),
                     "t.trace:2: record 2: time 5 ns is earlier than the previous record's 10 ns "
                     "(times must be non-decreasing)");
}

TEST_F(Cli, ZeroBytes) {
  expect_trace_error(replay("t.trace", "0 R 0x0 0\n"),
                     "t.trace:1: record 1: bytes must be positive, got 0");
}

TEST_F(Cli, BadAddress) {
  expect_trace_error(replay("t.trace", "0 R 0xZZ 64\n"),
                     "t.trace:1: record 1: address '0xZZ' is not a hex or decimal integer");
}

TEST_F(Cli, ExtraField) {
  expect_trace_error(replay("t.trace", "\n\n0 R 0x0 64 kv extra\n"),
                     "t.trace:3: record 1: unexpected extra field 'extra'");
}

TEST_F(Cli, AddressOutsideTheTargetIsARuntimeErrorNamingTheRecord) {
  dir_.write("t.trace", "0 R 0x0 64\n1 R 0x1400000000 64\n");
  const auto r =
      run_command("cd " + shell_quote(dir_.path().string()) + " && " + shell_quote(TIERSIM_BINARY) +
                  " replay t.trace --system " +
                  shell_quote(source_dir() + "/configs/systems/quickstart.yaml") + " -q -o out.h5");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "error: " + (dir_.path() / "t.trace").string() +
                       ": record 2: address range [0x1400000000, 0x1400000040) is outside 'hbm' "
                       "(capacity 85899345920 bytes)\n");
  EXPECT_FALSE(fs::exists(dir_.path() / "out.h5"));
}

TEST_F(Cli, CtrlCStopsARunCleanlyWithNothingWritten) {
  // A run that would take minutes, interrupted after 1.5 s: exit status 130, a message,
  // and neither a results file nor its temp file left behind.
  const auto r =
      run_command("cd " + shell_quote(dir_.path().string()) +
                  " && timeout --preserve-status -s INT 1.5 " + shell_quote(TIERSIM_BINARY) +
                  " run " + shell_quote(source_dir() + "/configs/experiments/quickstart.yaml") +
                  " --set workloads.1.requests=100000000 -q --no-progress -o out.h5");
  EXPECT_EQ(r.exit_code, 130);
  EXPECT_EQ(r.err, "tiersim: interrupted (no results written)\n");
  for (const auto& e : fs::directory_iterator(dir_.path())) {
    EXPECT_EQ(e.path().filename().string().find("out.h5"), std::string::npos) << e.path();
  }
}

TEST_F(Cli, ListShowsRegisteredTypes) {
  const auto r = run_tiersim("list");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("  ideal_memory"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  endpoint"), std::string::npos);
  EXPECT_NE(r.out.find("  device_trace"), std::string::npos);
  EXPECT_NE(r.out.find("  synthetic"), std::string::npos);
}

TEST_F(Cli, VersionAndUsageErrors) {
  EXPECT_EQ(run_tiersim("--version").out, "tiersim " TIERSIM_VERSION "\n");
  EXPECT_EQ(run_tiersim("run").exit_code, 2);         // missing experiment
  EXPECT_EQ(run_tiersim("frobnicate").exit_code, 2);  // unknown command
}

}  // namespace
}  // namespace tiersim::test
