// Malformed text traces: each error names the file, the line, the record and what is wrong.
#include <gtest/gtest.h>

#include <string>

#include "tests/common/test_util.h"
#include "tests/trace/trace_test_util.h"

namespace tiersim::test {
namespace {

// Writes `text` as a trace file and returns the error reading it raises.
std::string error_for(const std::string& text) {
  const TempDir dir;
  return trace_error(dir.write("bad.trace", text).string());
}

// The path error_for() used is only known inside it, so compare the part after the path.
std::string without_path(const std::string& message) {
  const auto pos = message.find("bad.trace");
  return pos == std::string::npos ? message : message.substr(pos + 9);
}

TEST(TextTraceErrors, BadOpNamesLineAndRecord) {
  const TempDir dir;
  const auto path = dir.write("t.trace",
                              "# tiersim device trace v1\n"
                              "0 R 0x0 64\n"
                              "\n"
                              "5 X 0x40 64\n")
                        .string();
  EXPECT_EQ(trace_error(path), path + ":4: record 2: bad op 'X' (expected R, W, READ or WRITE)");
}

TEST(TextTraceErrors, BadAddress) {
  const TempDir dir;
  const auto path = dir.write("t.trace", "0 R 0xZZ 64\n").string();
  EXPECT_EQ(trace_error(path),
            path + ":1: record 1: address '0xZZ' is not a hex or decimal integer");
}

TEST(TextTraceErrors, AddressTooLarge) {
  EXPECT_EQ(without_path(error_for("0 R 0x10000000000000000 64\n")),
            ":1: record 1: address '0x10000000000000000' does not fit in 64 bits");
  EXPECT_EQ(without_path(error_for("0 R 18446744073709551616 64\n")),
            ":1: record 1: address '18446744073709551616' does not fit in 64 bits");
}

TEST(TextTraceErrors, MissingField) {
  const TempDir dir;
  const auto path = dir.write("t.trace", "0 R 0x0 64\n  # comment\n1 W 0x40\n").string();
  EXPECT_EQ(trace_error(path), path +
                                   ":3: record 2: missing field 'bytes' (expected: time_ns op "
                                   "address bytes [stream])");
}

TEST(TextTraceErrors, MissingOpAndAddress) {
  EXPECT_EQ(without_path(error_for("7\n")),
            ":1: record 1: missing field 'op' (expected: time_ns op address bytes [stream])");
  EXPECT_EQ(without_path(error_for("7 W\n")),
            ":1: record 1: missing field 'address' (expected: time_ns op address bytes [stream])");
}

TEST(TextTraceErrors, NonMonotonicTime) {
  const TempDir dir;
  const auto path = dir.write("t.trace", "7 R 0 64\n5 W 0 64\n").string();
  EXPECT_EQ(trace_error(path), path +
                                   ":2: record 2: time 5 ns is earlier than the previous "
                                   "record's 7 ns (times must be non-decreasing)");
}

TEST(TextTraceErrors, NonMonotonicFractionalTime) {
  EXPECT_EQ(without_path(error_for("12.5 R 0 64\n12.499 W 0 64\n")),
            ":2: record 2: time 12.499 ns is earlier than the previous record's 12.5 ns (times "
            "must be non-decreasing)");
}

TEST(TextTraceErrors, ZeroBytes) {
  const TempDir dir;
  const auto path = dir.write("t.trace", "0 R 0 0\n").string();
  EXPECT_EQ(trace_error(path), path + ":1: record 1: bytes must be positive, got 0");
}

TEST(TextTraceErrors, NegativeOrNonIntegerBytes) {
  EXPECT_EQ(without_path(error_for("0 R 0 -5\n")), ":1: record 1: bytes must be positive, got -5");
  EXPECT_EQ(without_path(error_for("0 R 0 0x40\n")),
            ":1: record 1: bytes '0x40' is not a decimal integer");
  EXPECT_EQ(without_path(error_for("0 R 0 18446744073709551616\n")),
            ":1: record 1: bytes '18446744073709551616' does not fit in 64 bits");
}

TEST(TextTraceErrors, ExtraField) {
  const TempDir dir;
  const auto path = dir.write("t.trace", "0 R 0 64 kv foo\n").string();
  EXPECT_EQ(trace_error(path), path + ":1: record 1: unexpected extra field 'foo'");
}

TEST(TextTraceErrors, TooManyDecimals) {
  const TempDir dir;
  const auto path = dir.write("t.trace", "1.2345 R 0 64\n").string();
  EXPECT_EQ(trace_error(path),
            path + ":1: record 1: time '1.2345' has more than 3 decimals (resolution is 1 ps)");
}

TEST(TextTraceErrors, BadStreamTag) {
  const TempDir dir;
  const auto path = dir.write("t.trace", "0 R 0 64 weights\n1 R 0 64 9x\n").string();
  EXPECT_EQ(trace_error(path),
            path + ":2: record 2: bad stream tag '9x' (must match [A-Za-z_][A-Za-z0-9_.-]*)");
}

TEST(TextTraceErrors, BadTimes) {
  EXPECT_EQ(without_path(error_for("-5 R 0 64\n")),
            ":1: record 1: time '-5' is negative (times must be >= 0)");
  EXPECT_EQ(without_path(error_for("1e3 R 0 64\n")),
            ":1: record 1: time '1e3' is not a decimal number of nanoseconds");
  EXPECT_EQ(without_path(error_for("time_ns,op,address,bytes\n")),
            ":1: record 1: time 'time_ns' is not a decimal number of nanoseconds");
  EXPECT_EQ(without_path(error_for("1. R 0 64\n")),
            ":1: record 1: time '1.' is not a decimal number of nanoseconds");
  EXPECT_EQ(without_path(error_for("9223372036854775.808 R 0 64\n")),
            ":1: record 1: time '9223372036854775.808' is too large (at most "
            "9223372036854775.807 ns)");
}

TEST(TextTraceErrors, CannotOpen) {
  const TempDir dir;
  const auto path = (dir.path() / "missing.trace").string();
  EXPECT_EQ(trace_error(path), path + ": cannot open trace: No such file or directory");
}

TEST(TextTraceErrors, OverlongLine) {
  const std::string line = "0 R 0 64 " + std::string(2u << 20, 'a') + "\n";
  EXPECT_EQ(without_path(error_for("0 R 0 64\n" + line)),
            ":2: record 2: line is longer than 1048576 bytes");
}

TEST(TextTraceErrors, LongFieldIsShortenedInMessage) {
  const std::string op(100, 'Q');
  EXPECT_EQ(
      without_path(error_for("0 " + op + " 0 64\n")),
      ":1: record 1: bad op '" + std::string(64, 'Q') + "...' (expected R, W, READ or WRITE)");
}

}  // namespace
}  // namespace tiersim::test
