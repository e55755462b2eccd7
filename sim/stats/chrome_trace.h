// Writes activity as a Chrome trace event file (JSON Object Format, opened by Perfetto and
// chrome://tracing): one process per group, one thread per track, a complete event ("ph": "X")
// per span with microsecond timestamps ("ts", "dur", exact to the picosecond as decimals), a
// pair of async events ("ph": "b"/"e", category "request", id) per request, and metadata events
// naming processes and threads. Streamed to "<path>.tmp.<pid>" and renamed on
// close(), so a failed run leaves no partial timeline.
#pragma once

#include <cstdio>
#include <map>
#include <string>
#include <utility>

#include "sim/stats/activity.h"

namespace tiersim::stats {

class ChromeTraceWriter : public ActivityRecorder {
 public:
  explicit ChromeTraceWriter(std::string path);
  ~ChromeTraceWriter() override;
  ChromeTraceWriter(const ChromeTraceWriter&) = delete;
  ChromeTraceWriter& operator=(const ChromeTraceWriter&) = delete;

  int track(const std::string& group, const std::string& name) override;
  void span(int track, Time start, Time end, const char* label, std::uint64_t bytes) override;
  void request(int track, std::uint64_t id, Time start, Time end, const char* label,
               std::uint64_t bytes) override;
  // Finishes the JSON and renames it into place.
  void close();
  [[nodiscard]] std::uint64_t events() const { return events_; }

 private:
  void emit(const std::string& json);
  std::string path_;
  std::string tmp_;
  std::FILE* f_ = nullptr;
  bool first_ = true;
  std::map<std::string, int> groups_;                          // group -> pid
  std::map<std::pair<std::string, std::string>, int> tracks_;  // (group, name) -> track id
  std::map<int, std::pair<int, int>> track_ids_;               // track id -> (pid, tid)
  std::uint64_t events_ = 0;
};

}  // namespace tiersim::stats
