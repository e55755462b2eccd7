// Reading measurement files: a round trip of every suite point through the backend's record
// format, and each malformed record named by file, line and record number (synthetic input).
#include <gtest/gtest.h>

#include "sim/trace/trace_reader.h"
#include "sim/validate/measurements.h"
#include "tests/common/test_util.h"

namespace tiersim::validate {
namespace {

constexpr const char* kDevice = R"({"record":"device","name":"NVIDIA H100 80GB HBM3","sms":132})";
constexpr const char* kGemv =
    R"({"record":"point","id":"g","kind":"gemv","set":"held_out","m":64,"n":64,)"
    R"("median_s":1e-6,"samples_s":[1e-6]})";

std::string read_error(const std::string& text) {
  test::TempDir dir;
  const auto path = dir.write("m.jsonl", text);
  try {
    (void)read_measurements(path.string());
  } catch (const trace::TraceError& e) {
    const std::string msg = e.what();
    const std::string prefix = path.string();
    return msg.rfind(prefix, 0) == 0 ? msg.substr(prefix.size()) : msg;
  }
  return "no error";
}

TEST(ValidateMeasurements, EverySuitePointRoundTrips) {
  std::string text = std::string(kDevice) + "\n";
  const auto suite = standard_suite();
  for (const auto& p : suite) {
    text += "{\"record\":\"point\"," + json_members(p) +
            ",\"reps\":3,\"samples\":2,\"median_s\":1.5e-06,\"min_s\":1.0e-06,\"max_s\":2.0e-06,"
            "\"samples_s\":[1.0e-06,2.0e-06]}\n";
  }
  text += R"({"record":"error","id":"x","message":"out of memory"})"
          "\n";
  text += R"({"record":"end","points":166,"failed":1})"
          "\n";
  test::TempDir dir;
  const auto f = read_measurements(dir.write("m.jsonl", text).string());
  EXPECT_EQ(f.device_name, "NVIDIA H100 80GB HBM3");
  ASSERT_EQ(f.points.size(), suite.size());
  for (std::size_t i = 0; i < suite.size(); ++i) {
    EXPECT_EQ(f.points[i].point.id, suite[i].id);
    EXPECT_EQ(f.points[i].point.kind, suite[i].kind);
    EXPECT_EQ(f.points[i].point.calibration, suite[i].calibration);
    EXPECT_EQ(f.points[i].point.op, suite[i].op);
    EXPECT_EQ(f.points[i].point.memory, suite[i].memory);
    EXPECT_EQ(f.points[i].point.params, suite[i].params);
    EXPECT_DOUBLE_EQ(f.points[i].median_s, 1.5e-6);
    EXPECT_EQ(f.points[i].samples_s.size(), 2u);
    EXPECT_EQ(f.points[i].line, i + 2);
  }
  ASSERT_EQ(f.errors.size(), 1u);
  EXPECT_EQ(f.errors[0].second, "out of memory");
}

TEST(ValidateMeasurements, MalformedRecordsAreNamed) {
  const std::string d = std::string(kDevice) + "\n";
  EXPECT_EQ(read_error(""), ": no device record (empty file?)");
  EXPECT_EQ(read_error(std::string(kGemv) + "\n"),
            ":1: record 1: the first record must be the device record, got 'point'");
  EXPECT_EQ(read_error(d + "\n" + kGemv + "\n" + kGemv + "\n"),
            ":4: record 3: duplicate point id 'g'");
  // Not JSON: the parser's own message.
  EXPECT_EQ(read_error(d + "{\"record\":\"point\",\"id\":\"g\"\n"),
            ":2: record 2: expected ',' or '}'");
  EXPECT_EQ(read_error(d + R"({"record":"point","id":"g","kind":"gemx","set":"held_out"})"),
            ":2: record 2: unknown kind 'gemx'");
  EXPECT_EQ(read_error(d + R"({"record":"point","id":"g","kind":"gemv","set":"test","m":1})"),
            ":2: record 2: set must be \"calibration\" or \"held_out\", got 'test'");
  EXPECT_EQ(read_error(d + R"({"record":"point","id":"g","kind":"gemv","set":"held_out","m":64,)"
                           R"("n":64,"k":3,"median_s":1e-6,"samples_s":[1e-6]})"),
            ":2: record 2: unknown field 'k' for kind gemv");
  EXPECT_EQ(read_error(d + R"({"record":"point","id":"g","kind":"gemv","set":"held_out","m":64,)"
                           R"("n":60,"median_s":1e-6,"samples_s":[1e-6]})"),
            ":2: record 2: point 'g': n must be a multiple of 8");
  EXPECT_EQ(read_error(d + R"({"record":"point","id":"g","kind":"gemv","set":"held_out","m":64,)"
                           R"("n":64,"median_s":0,"samples_s":[1e-6]})"),
            ":2: record 2: field 'median_s' must be a positive number of seconds");
  EXPECT_EQ(read_error(d + R"({"record":"point","id":"g","kind":"gemv","set":"held_out","m":64,)"
                           R"("n":64,"median_s":1e-6,"samples_s":[]})"),
            ":2: record 2: field 'samples_s' must be a non-empty array of numbers");
  EXPECT_EQ(read_error(d + R"({"record":"bogus"})"),
            ":2: record 2: unknown record 'bogus' (expected device, point, error or end)");
}

TEST(ValidateMeasurements, MissingFile) {
  try {
    (void)read_measurements("/nonexistent/m.jsonl");
    FAIL() << "no error";
  } catch (const trace::TraceError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/m.jsonl: cannot open the measurement file");
  }
}

}  // namespace
}  // namespace tiersim::validate
