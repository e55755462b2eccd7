// The optional Chrome/Perfetto timeline of a run (`--timeline`), shared by device-replay and
// serving runs.
//
// Contract: construct it before the system is built (models register their tracks with
// stats::activity() while being built); while it lives it is the activity recorder, and its
// destructor resets stats::activity() (also when the run throws). close() writes the file; an
// empty path records nothing and close() does nothing.
#pragma once

#include <memory>
#include <string>

#include "sim/stats/activity.h"
#include "sim/stats/chrome_trace.h"

namespace tiersim::run {

class TimelineRecording {
 public:
  explicit TimelineRecording(const std::string& path) {
    if (path.empty()) return;
    writer_ = std::make_unique<stats::ChromeTraceWriter>(path);
    stats::set_activity(writer_.get());
  }
  ~TimelineRecording() { stats::set_activity(nullptr); }
  TimelineRecording(const TimelineRecording&) = delete;
  TimelineRecording& operator=(const TimelineRecording&) = delete;
  void close() {
    if (writer_) writer_->close();
  }

 private:
  std::unique_ptr<stats::ChromeTraceWriter> writer_;
};

}  // namespace tiersim::run
