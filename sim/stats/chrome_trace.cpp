#include "sim/stats/chrome_trace.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace tiersim::stats {

namespace {

ActivityRecorder* g_activity = nullptr;

std::string escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    o += c;
  }
  return o;
}

// Microseconds with 6 decimals: exact for a picosecond time.
std::string us(std::int64_t ps) {
  const char* sign = ps < 0 ? "-" : "";
  const std::int64_t a = ps < 0 ? -ps : ps;
  return fmt::format("{}{}.{:06d}", sign, a / 1000000, a % 1000000);
}

}  // namespace

ActivityRecorder* activity() {
  return g_activity;
}
void set_activity(ActivityRecorder* r) {
  g_activity = r;
}

ChromeTraceWriter::ChromeTraceWriter(std::string path)
    : path_(std::move(path)), tmp_(fmt::format("{}.tmp.{}", path_, ::getpid())) {
  f_ = std::fopen(tmp_.c_str(), "wb");
  if (f_ == nullptr) {
    throw std::runtime_error(
        fmt::format("{}: cannot write timeline: {}", path_, std::strerror(errno)));
  }
  std::fputs("{\"displayTimeUnit\": \"ns\", \"traceEvents\": [\n", f_);
}

ChromeTraceWriter::~ChromeTraceWriter() {
  if (f_ != nullptr) {  // not closed: a failed run; leave nothing behind
    std::fclose(f_);
    std::remove(tmp_.c_str());
  }
}

void ChromeTraceWriter::emit(const std::string& json) {
  if (!first_) std::fputs(",\n", f_);
  first_ = false;
  std::fputs(json.c_str(), f_);
}

int ChromeTraceWriter::track(const std::string& group, const std::string& name) {
  const auto key = std::make_pair(group, name);
  if (auto it = tracks_.find(key); it != tracks_.end()) return it->second;
  auto g = groups_.find(group);
  if (g == groups_.end()) {
    const int pid = static_cast<int>(groups_.size()) + 1;
    g = groups_.emplace(group, pid).first;
    emit(fmt::format(
        R"({{"ph": "M", "name": "process_name", "pid": {}, "tid": 0, "args": {{"name": "{}"}}}})",
        pid, escape(group)));
    emit(fmt::format(
        R"({{"ph": "M", "name": "process_sort_index", "pid": {}, "tid": 0, "args": {{"sort_index": {}}}}})",
        pid, pid));
  }
  const int id = static_cast<int>(tracks_.size());
  const int tid = id + 1;
  tracks_.emplace(key, id);
  track_ids_.emplace(id, std::make_pair(g->second, tid));
  emit(fmt::format(
      R"({{"ph": "M", "name": "thread_name", "pid": {}, "tid": {}, "args": {{"name": "{}"}}}})",
      g->second, tid, escape(name)));
  return id;
}

void ChromeTraceWriter::span(int track, Time start, Time end, const char* label,
                             std::uint64_t bytes) {
  const auto [pid, tid] = track_ids_.at(track);
  emit(fmt::format(
      R"({{"ph": "X", "name": "{}", "pid": {}, "tid": {}, "ts": {}, "dur": {}, "args": {{"bytes": {}}}}})",
      label, pid, tid, us(start.ps()), us((end - start).ps()), bytes));
  ++events_;
}

void ChromeTraceWriter::request(int track, std::uint64_t id, Time start, Time end,
                                const char* label, std::uint64_t bytes) {
  const auto [pid, tid] = track_ids_.at(track);
  emit(fmt::format(
      R"({{"ph": "b", "cat": "request", "id": "0x{:x}", "name": "{}", "pid": {}, "tid": {}, "ts": {}, "args": {{"bytes": {}}}}})",
      id, label, pid, tid, us(start.ps()), bytes));
  emit(fmt::format(
      R"({{"ph": "e", "cat": "request", "id": "0x{:x}", "name": "{}", "pid": {}, "tid": {}, "ts": {}}})",
      id, label, pid, tid, us(end.ps())));
  events_ += 2;
}

void ChromeTraceWriter::close() {
  if (f_ == nullptr) return;
  std::fputs("\n]}\n", f_);
  const bool ok = std::fflush(f_) == 0;
  std::fclose(f_);
  f_ = nullptr;
  if (!ok || std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    std::remove(tmp_.c_str());
    throw std::runtime_error(fmt::format("{}: cannot write timeline", path_));
  }
}

}  // namespace tiersim::stats
