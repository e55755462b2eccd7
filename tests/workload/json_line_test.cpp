// The one-line JSON object parser (sim/workload/json_line.h): string escapes.
#include <gtest/gtest.h>

#include "sim/workload/json_line.h"

namespace tiersim::workload::json {
namespace {

std::string parsed(std::string_view line) {
  Object o;
  const auto err = parse_object(line, o);
  EXPECT_FALSE(err.has_value()) << *err;
  return err ? std::string() : o.find("s")->text;
}

std::string error_of(std::string_view line) {
  Object o;
  const auto err = parse_object(line, o);
  return err.value_or("");
}

TEST(JsonLine, SimpleEscapes) {
  EXPECT_EQ(parsed(R"({"s":"a\"b\\c\/d\ne\tf\rg\bh\fi"})"), "a\"b\\c/d\ne\tf\rg\bh\fi");
}

TEST(JsonLine, UnicodeEscapesBecomeUtf8) {
  // What validate::json_quote writes for control characters, and multi-byte code points.
  EXPECT_EQ(parsed(R"({"s":"x\u000ay\u001F"})"), "x\ny\x1f");
  EXPECT_EQ(parsed(R"({"s":"\u00e9\u20AC"})"), "\xc3\xa9\xe2\x82\xac");
  EXPECT_EQ(parsed(R"({"s":"\ud83d\ude00"})"), "\xf0\x9f\x98\x80");  // surrogate pair
}

TEST(JsonLine, BadUnicodeEscapesAreNamed) {
  EXPECT_NE(error_of(R"({"s":"\u12"})").find("four hex digits"), std::string::npos);
  EXPECT_NE(error_of(R"({"s":"\u12g4"})").find("four hex digits"), std::string::npos);
  EXPECT_NE(error_of(R"({"s":"\ud83d"})").find("unpaired surrogate"), std::string::npos);
  EXPECT_NE(error_of(R"({"s":"\ude00"})").find("unpaired surrogate"), std::string::npos);
  EXPECT_NE(error_of(R"({"s":"\q"})").find("unsupported escape"), std::string::npos);
}

}  // namespace
}  // namespace tiersim::workload::json
