#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "sim/trace/record_rules.h"
#include "sim/trace/text_trace.h"

namespace tiersim::trace {

namespace {

constexpr std::string_view kHeader =
    "# tiersim device trace v1\n"
    "# time_ns op address bytes [stream]\n";
constexpr std::size_t kFlushBytes = std::size_t{256} << 10;

}  // namespace

TextTraceWriter::TextTraceWriter(const std::string& path) : core_(path) {
  fd_ = ::open(core_.temp_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd_ < 0) {
    throw TraceError(fmt::format("{}: cannot create trace: {}", path, std::strerror(errno)));
  }
  buf_.append(kHeader);
}

TextTraceWriter::~TextTraceWriter() {
  if (state_ != State::kOpen) return;
  if (!core_.unwinding()) {
    try {
      close();
      return;
    } catch (...) {
      // close() failed and removed the temp file; a destructor must not throw.
      return;
    }
  }
  ::close(fd_);
  core_.discard();
}

std::uint16_t TextTraceWriter::stream_id(const std::string& tag) {
  return core_.stream_id(tag);
}

void TextTraceWriter::write(const Record& r) {
  if (state_ != State::kOpen) {
    throw TraceError(fmt::format("{}: write to a closed trace writer", core_.path()));
  }
  core_.check(r);
  append_time_ns(buf_, r.time);
  fmt::format_to(fmt::appender(buf_), " {} {:#x} {}", r.op == Op::kRead ? 'R' : 'W', r.address,
                 r.bytes.count());
  if (r.stream != 0) {
    buf_.push_back(' ');
    buf_.append(core_.streams().tags()[r.stream]);
  }
  buf_.push_back('\n');
  if (buf_.size() >= kFlushBytes) flush();
}

void TextTraceWriter::flush() {
  const char* p = buf_.data();
  std::size_t left = buf_.size();
  while (left > 0) {
    const ::ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_io();
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  buf_.clear();
}

void TextTraceWriter::fail_io() {
  const int err = errno;
  ::close(fd_);
  core_.discard();
  state_ = State::kFailed;
  throw TraceError(fmt::format("{}: cannot write trace: {}", core_.path(), std::strerror(err)));
}

void TextTraceWriter::close() {
  if (state_ != State::kOpen) return;
  flush();
  if (::close(fd_) != 0) {
    const int err = errno;
    core_.discard();
    state_ = State::kFailed;
    throw TraceError(fmt::format("{}: cannot write trace: {}", core_.path(), std::strerror(err)));
  }
  state_ = State::kClosed;
  core_.commit();
}

}  // namespace tiersim::trace
