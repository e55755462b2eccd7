#include "sim/trace/writer_core.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <utility>

#include <fmt/format.h>

#include "sim/trace/record_rules.h"
#include "sim/trace/trace_reader.h"

namespace tiersim::trace {

WriterCore::WriterCore(std::string path)
    : path_(std::move(path)),
      temp_path_(fmt::format("{}.tmp.{}", path_, ::getpid())),
      uncaught_at_start_(std::uncaught_exceptions()) {}

std::uint16_t WriterCore::stream_id(const std::string& tag) {
  if (const auto found = streams_.find(tag)) return *found;
  if (!is_valid_stream_tag(tag)) {
    throw TraceError(fmt::format("{}: bad stream tag {} (must match {})", path_, quoted(tag),
                                 kStreamTagPattern));
  }
  const auto id = streams_.intern(tag);
  if (!id) {
    throw TraceError(fmt::format("{}: too many stream tags (at most {})", path_, kMaxStreams));
  }
  return *id;
}

void WriterCore::check(const Record& r) {
  if (const auto what = record_violation(r, previous_, streams_.size())) {
    throw TraceError(record_error(path_, records_ + 1, *what));
  }
  previous_ = r.time;
  ++records_;
}

void WriterCore::commit() const {
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    discard();
    throw TraceError(fmt::format("{}: cannot move the finished trace into place: {}", path_,
                                 std::strerror(err)));
  }
}

void WriterCore::discard() const noexcept {
  (void)std::remove(temp_path_.c_str());
}

bool WriterCore::unwinding() const noexcept {
  return std::uncaught_exceptions() > uncaught_at_start_;
}

}  // namespace tiersim::trace
