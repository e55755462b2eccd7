// Serving runs (docs/serving.md): the `serving:` section of an experiment drives a request stream
// through a batching scheduler and a placement policy over the system.
//
// Contract:
//  - serving_schema() is the section's schema; `scheduler` and `policy` are validated against the
//    schema of their registered `type` by validate_serving() (called from validate_experiment()),
//    which also loads the model (a preset path or an inline spec) so errors surface before a run.
//  - run_serving() elaborates the system once, runs the stream to the end, and writes the HDF5
//    results atomically (docs/serving.md, "Results"). Same resolved config and seed ->
//    bit-identical datasets (except /run_info). An out-of-memory placement or schedule
//    (policies::OutOfMemory, scheduler::CapacityExceeded) is a result: summary oom = 1 with the
//    message, no step, exit status 0.
#pragma once

#include <string>

#include "sim/config/node.h"
#include "sim/config/schema.h"
#include "sim/run/experiment.h"
#include "sim/workload/model.h"

namespace tiersim::run {

[[nodiscard]] config::SchemaPtr serving_schema();
// Validates `serving.scheduler` and `serving.policy` by type and checks the model; `serving` is the
// already schema-validated section.
void validate_serving(config::Node& serving);
// The model of a validated section (preset file or inline `model_spec`).
[[nodiscard]] workload::ModelSpec serving_model(const config::Node& serving);

RunResult run_serving(const config::Node& resolved, const std::string& source_file,
                      const RunOptions& opts);

}  // namespace tiersim::run
