#include "sim/trace/text_trace.h"

#include <algorithm>
#include <array>
#include <cstddef>

#include "sim/trace/record_rules.h"
#include "sim/trace/text_fields.h"

namespace tiersim::trace {

namespace {

constexpr std::string_view kExpectedFields = "(expected: time_ns op address bytes [stream])";

// time, op, address, bytes, stream, and one more to detect an extra field.
constexpr std::size_t kMaxFields = 6;

}  // namespace

TextTraceReader::TextTraceReader(const std::string& path) : path_(path), lines_(path) {}

bool TextTraceReader::next(Record& out) {
  if (done_) return false;
  std::string_view line;
  switch (lines_.next_content(line)) {
    case LineReader::Status::kEnd:
      done_ = true;
      return false;
    case LineReader::Status::kTooLong:
      fail(fmt::format("line is longer than {} bytes", LineReader::kMaxLineBytes));
    case LineReader::Status::kLine:
      break;
  }
  parse(line, out);
  previous_ = out.time;
  ++records_;
  return true;
}

void TextTraceReader::parse(std::string_view line, Record& out) {
  std::array<std::string_view, kMaxFields> f{};
  const std::size_t n = split_fields(line, f);
  const auto require = [&](std::size_t index, std::string_view name) {
    if (n <= index) fail(fmt::format("missing field '{}' {}", name, kExpectedFields));
  };
  if (!parse_time_ns(f[0], out.time, error_)) fail(error_);
  require(1, "op");
  if (!parse_op(f[1], out.op, error_)) fail(error_);
  require(2, "address");
  if (!parse_address(f[2], out.address, error_)) fail(error_);
  require(3, "bytes");
  if (!parse_bytes(f[3], out.bytes, error_)) fail(error_);
  out.stream = 0;
  if (n > 4) {
    const std::string_view tag = f[4];
    if (!is_valid_stream_tag(tag)) {
      fail(fmt::format("bad stream tag {} (must match {})", quoted(tag), kStreamTagPattern));
    }
    const auto id = streams_.intern(tag);
    if (!id) fail(fmt::format("too many stream tags (at most {})", kMaxStreams));
    out.stream = *id;
  }
  if (n > 5) fail(fmt::format("unexpected extra field {}", quoted(f[5])));
  if (out.time < previous_) fail(time_order_message(out.time, previous_));
}

void TextTraceReader::fail(std::string_view what) const {
  throw TraceError(text_record_error(path_, lines_.line_number(), records_ + 1, what));
}

double TextTraceReader::progress() const {
  const std::uint64_t size = lines_.file_size();
  if (size == 0) return done_ ? 1.0 : 0.0;
  return std::min(1.0, static_cast<double>(lines_.bytes_consumed()) / static_cast<double>(size));
}

}  // namespace tiersim::trace
