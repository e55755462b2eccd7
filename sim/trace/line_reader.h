// Buffered, streaming line reader over a file descriptor (used by the text trace reader).
//
// Contract:
//  - Memory is bounded: a fixed read buffer that grows only for a line longer than it, up to
//    kMaxLineBytes; a longer line is reported as Status::kTooLong (the reader cannot continue).
//  - next() hands out a view of the line without its '\n'; the view is valid until the next call.
//    The last line may lack a '\n'.
//  - The constructor throws TraceError "<path>: cannot open trace: <strerror>"; next() throws
//    TraceError "<path>: cannot read trace: <strerror>" on an I/O error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tiersim::trace {

class LineReader {
 public:
  static constexpr std::size_t kBufferBytes = std::size_t{256} << 10;
  static constexpr std::size_t kMaxLineBytes = std::size_t{1} << 20;

  enum class Status { kLine, kEnd, kTooLong };

  explicit LineReader(const std::string& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  [[nodiscard]] Status next(std::string_view& line);
  // Like next(), but skips lines that carry no record — blank lines and lines whose first
  // non-blank character is '#' — and a UTF-8 byte-order mark at the start of line 1.
  [[nodiscard]] Status next_content(std::string_view& line);

  // 1-based number of the line last returned (or of the overlong line).
  [[nodiscard]] std::uint64_t line_number() const { return line_number_; }
  [[nodiscard]] std::uint64_t bytes_consumed() const { return consumed_; }
  // Size of the file when opened; 0 when unknown (not a regular file).
  [[nodiscard]] std::uint64_t file_size() const { return file_size_; }

 private:
  // Reads more data after `end_`; false at end of file.
  [[nodiscard]] bool fill();

  std::string path_;
  int fd_ = -1;
  std::vector<char> buf_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  std::uint64_t line_number_ = 0;
  std::uint64_t consumed_ = 0;
  std::uint64_t file_size_ = 0;
};

}  // namespace tiersim::trace
