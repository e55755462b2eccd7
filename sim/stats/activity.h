// Activity recording for timelines (`tiersim run --timeline out.json`): spans of time on named
// tracks, grouped (workloads, links, components). Models call it only when a recorder is
// installed, so the cost when off is one pointer test.
//
// Contract:
//  - track(group, name) returns a stable id; the same (group, name) gives the same id.
//  - span(track, start, end, label, bytes) records [start, end) on the track. Within one track,
//    spans are recorded in non-decreasing start order by the models that own the track.
#pragma once

#include <cstdint>
#include <string>

#include "sim/units/units.h"

namespace tiersim::stats {

class ActivityRecorder {
 public:
  virtual ~ActivityRecorder() = default;
  virtual int track(const std::string& group, const std::string& name) = 0;
  virtual void span(int track, Time start, Time end, const char* label, std::uint64_t bytes) = 0;
  // A request in flight on `track` (requests of one track may overlap; shown as async slices).
  virtual void request(int track, std::uint64_t id, Time start, Time end, const char* label,
                       std::uint64_t bytes) = 0;
};

// The recorder of this run, or null (the default). Set once by the run before elaboration.
[[nodiscard]] ActivityRecorder* activity();
void set_activity(ActivityRecorder* r);

}  // namespace tiersim::stats
