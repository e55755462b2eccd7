// The request stream of a serving run, built from `serving.requests` (docs/serving.md).
//
// Contract: synthetic streams use SyntheticSource (all_at_once: every arrival set to 0),
// closed_loop uses ClosedLoopSource, trace opens a request trace (workload importers) filtered by
// rate_scale / max_prompt / max_output / the model's max_context and cut to `count` requests
// (0 = all). Lengths given as a plain number mean fixed:N. Bad specs are ConfigErrors at the key.
#pragma once

#include <cstdint>
#include <memory>

#include "sim/config/node.h"
#include "sim/workload/model.h"
#include "sim/workload/request.h"

namespace tiersim::run {

struct StreamShape {
  std::uint64_t count = 0;       // requests, 0 when unknown (a trace)
  std::uint32_t max_prompt = 0;  // longest prompt, 0 when unbounded/unknown
  std::uint32_t max_output = 0;
};

[[nodiscard]] std::unique_ptr<workload::RequestSource> make_request_source(
    const config::Node& requests, const workload::ModelSpec& model, std::uint64_t seed);
// What placement can know in advance about the stream.
[[nodiscard]] StreamShape stream_shape(const config::Node& requests,
                                       const workload::ModelSpec& model);

}  // namespace tiersim::run
