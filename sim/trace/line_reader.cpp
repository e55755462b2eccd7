#include "sim/trace/line_reader.h"

#include <algorithm>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "sim/trace/text_fields.h"
#include "sim/trace/trace_reader.h"

namespace tiersim::trace {

LineReader::LineReader(const std::string& path) : path_(path), buf_(kBufferBytes) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    throw TraceError(fmt::format("{}: cannot open trace: {}", path, std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(fd_, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      ::close(fd_);
      fd_ = -1;
      throw TraceError(fmt::format("{}: cannot open trace: {}", path, std::strerror(EISDIR)));
    }
    if (S_ISREG(st.st_mode)) file_size_ = static_cast<std::uint64_t>(st.st_size);
  }
}

LineReader::~LineReader() {
  if (fd_ >= 0) ::close(fd_);
}

bool LineReader::fill() {
  if (begin_ > 0) {
    // Move the partial line to the front so the buffer has room after it.
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
  for (;;) {
    const ::ssize_t n = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
    if (n > 0) {
      end_ += static_cast<std::size_t>(n);
      return true;
    }
    if (n == 0) return false;
    if (errno != EINTR) {
      throw TraceError(fmt::format("{}: cannot read trace: {}", path_, std::strerror(errno)));
    }
  }
}

LineReader::Status LineReader::next(std::string_view& line) {
  std::size_t scanned = begin_;  // bytes before this offset hold no '\n'
  for (;;) {
    const void* nl = std::memchr(buf_.data() + scanned, '\n', end_ - scanned);
    if (nl != nullptr) {
      const auto stop = static_cast<std::size_t>(static_cast<const char*>(nl) - buf_.data());
      ++line_number_;
      if (stop - begin_ > kMaxLineBytes) return Status::kTooLong;
      line = std::string_view(buf_.data() + begin_, stop - begin_);
      consumed_ += stop + 1 - begin_;
      begin_ = stop + 1;
      return Status::kLine;
    }
    if (end_ - begin_ > kMaxLineBytes) {
      ++line_number_;
      return Status::kTooLong;
    }
    if (!eof_) {
      const std::size_t pending = end_ - begin_;
      eof_ = !fill();
      scanned = begin_ + pending;
      continue;
    }
    if (begin_ == end_) return Status::kEnd;
    ++line_number_;  // a last line without '\n'
    line = std::string_view(buf_.data() + begin_, end_ - begin_);
    consumed_ += end_ - begin_;
    begin_ = end_;
    return Status::kLine;
  }
}

LineReader::Status LineReader::next_content(std::string_view& line) {
  static constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
  for (;;) {
    const Status s = next(line);
    if (s != Status::kLine) return s;
    if (line_number_ == 1 && line.starts_with(kUtf8Bom)) line.remove_prefix(kUtf8Bom.size());
    const auto it = std::find_if_not(line.begin(), line.end(), is_field_blank);
    if (it != line.end() && *it != '#') return Status::kLine;
  }
}

}  // namespace tiersim::trace
