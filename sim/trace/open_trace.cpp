// open_trace() and create_trace(): pick the trace form and build the reader or writer.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>

#include <fmt/format.h>

#include "sim/trace/hdf5_trace.h"
#include "sim/trace/text_trace.h"
#include "sim/trace/trace_reader.h"
#include "sim/trace/trace_writer.h"

namespace tiersim::trace {

namespace {

constexpr std::string_view kHdf5Signature{"\x89HDF\r\n\x1a\n", 8};

// True if the file starts with the HDF5 signature. Throws "<path>: cannot open trace: ...".
[[nodiscard]] bool starts_with_hdf5_signature(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw TraceError(fmt::format("{}: cannot open trace: {}", path, std::strerror(errno)));
  }
  std::array<char, kHdf5Signature.size()> head{};
  std::size_t got = 0;
  while (got < head.size()) {
    const ::ssize_t n = ::read(fd, head.data() + got, head.size() - got);
    if (n > 0) {
      got += static_cast<std::size_t>(n);
    } else if (n == 0 || errno != EINTR) {
      break;  // short file, or a read error the chosen reader will report
    }
  }
  ::close(fd);
  return std::string_view(head.data(), got) == kHdf5Signature;
}

[[nodiscard]] bool has_hdf5_extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return ext == ".h5" || ext == ".hdf5";
}

}  // namespace

std::unique_ptr<TraceReader> open_trace(const std::string& path) {
  if (starts_with_hdf5_signature(path)) return std::make_unique<Hdf5TraceReader>(path);
  return std::make_unique<TextTraceReader>(path);
}

std::unique_ptr<TraceWriter> create_trace(const std::string& path) {
  return create_trace(path, has_hdf5_extension(path) ? TraceForm::kHdf5 : TraceForm::kText);
}

std::unique_ptr<TraceWriter> create_trace(const std::string& path, TraceForm form) {
  if (form == TraceForm::kHdf5) return std::make_unique<Hdf5TraceWriter>(path);
  return std::make_unique<TextTraceWriter>(path);
}

}  // namespace tiersim::trace
