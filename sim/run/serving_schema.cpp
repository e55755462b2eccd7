#include <fmt/format.h>

#include <memory>
#include <string>

#include "sim/config/config_error.h"
#include "sim/config/did_you_mean.h"
#include "sim/policies/policy.h"
#include "sim/run/serving.h"
#include "sim/scheduler/scheduler.h"
#include "sim/workload/model_io.h"

namespace tiersim::run {

using config::ConfigError;
using config::Schema;
using config::Type;

config::SchemaPtr serving_schema() {
  static const config::SchemaPtr s = [] {
    auto req = std::make_shared<Schema>("requests", "The request stream.");
    req->add("source", Type::kString,
             "synthetic (count, lengths, arrivals), closed_loop (users issuing requests after a "
             "think time), or trace (a request trace file).")
        .default_to("synthetic")
        .one_of({"synthetic", "closed_loop", "trace"});
    req->add("count", Type::kUInt,
             "synthetic: number of requests (> 0); trace: read at most this many (0: all).")
        .default_to("0");
    req->add("prompt_tokens", Type::kString,
             "synthetic, closed_loop: prompt length, a number or a distribution "
             "(fixed:N, uniform:A:B, normal:MEAN:SD, lognormal:MEDIAN:SIGMA).")
        .default_to("512");
    req->add("output_tokens", Type::kString,
             "synthetic, closed_loop: output length, a number or a distribution.")
        .default_to("128");
    req->add("arrivals", Type::kString,
             "synthetic: all_at_once (every request at time 0, offline batch runs), or "
             "poisson:RATE, gamma:RATE:CV, fixed:RATE (requests per second).")
        .default_to("all_at_once");
    req->add("users", Type::kUInt, "closed_loop: number of users.").default_to("1");
    req->add("per_user", Type::kUInt, "closed_loop: requests per user.").default_to("1");
    req->add("think", Type::kString,
             "closed_loop: think time in seconds (fixed:S, exp:MEAN, gamma:MEAN:CV).")
        .default_to("fixed:0");
    req->add("path", Type::kPath, "trace: request trace file (docs/workloads.md).");
    req->add("format", Type::kString, "trace: azure, mooncake, burstgpt, logical or auto.")
        .default_to("auto")
        .one_of({"auto", "azure", "mooncake", "burstgpt", "logical"});
    req->add("rate_scale", Type::kFloat, "trace: arrival-rate multiplier (2 = twice as fast).")
        .default_to("1.0");
    req->add("max_prompt", Type::kUInt, "trace: clip prompts to this many tokens (0: none).")
        .default_to("0");
    req->add("max_output", Type::kUInt, "trace: clip outputs to this many tokens (0: none).")
        .default_to("0");

    auto sp = std::make_shared<Schema>("sparsity", "Activation sparsity of the workload.");
    sp->add("sparse_ffn", Type::kBool,
            "ReLU-family models: decode steps read only the active FFN neurons.")
        .default_to("false");
    sp->add("active_neuron_share", Type::kFloat,
            "Share of FFN neurons active per decode token (sparse_ffn).")
        .default_to("1.0")
        .at_least(0.0)
        .at_most(1.0);

    auto sv = std::make_shared<Schema>("serving",
                                       "An LLM serving run: requests -> scheduler -> policy -> "
                                       "system (docs/serving.md).");
    sv->add("model", Type::kPath, "Model preset file (configs/models/*.yaml).");
    sv->add("model_spec", Type::kMap,
            "The model inline (the keys of a model preset), instead of "
            "`model`.")
        .nested(workload::model_schema());
    sv->add("requests", Type::kMap, "The request stream.").nested(req);
    sv->add("scheduler", Type::kAny,
            "Batching scheduler: `type: static` (batch, prefill_chunk) or `type: continuous` "
            "(max_batch, max_tokens_per_step, chunked_prefill, block_tokens, preemption); "
            "docs/serving.md.")
        .require();
    sv->add("policy", Type::kAny,
            "Placement policy: `type:` one of the registered policies (`tiersim list`), with its "
            "keys (docs/policies.md).")
        .require();
    sv->add("sparsity", Type::kMap, "Activation sparsity of the workload.").nested(sp);
    return sv;
  }();
  return s;
}

namespace {

// Validates a `type:`-selected section against the registered type's schema (plus `type`).
template <class Registry>
void validate_typed(config::Node& node, const Registry& reg, const std::string& path,
                    const char* what) {
  const auto names = reg.names();
  if (!node.is_map()) {
    throw ConfigError(node.origin(), fmt::format("{}: expected a map with a `type:` key", path),
                      fmt::format("known {} types: {}", what, fmt::join(names, ", ")));
  }
  const config::Node* type = node.find("type");
  if (type == nullptr || type->is_null()) {
    throw ConfigError(node.origin(), fmt::format("missing required key 'type' in {}", path),
                      fmt::format("known {} types: {}", what, fmt::join(names, ", ")));
  }
  const auto* e = reg.find(type->as_string());
  if (e == nullptr) {
    const std::string hint = config::closest(type->text(), names);
    throw ConfigError(type->origin(),
                      fmt::format("{}.type: unknown {} type '{}'{}", path, what, type->text(),
                                  hint.empty() ? "" : fmt::format("; did you mean '{}'?", hint)),
                      fmt::format("known {} types: {}", what, fmt::join(names, ", ")));
  }
  auto own = e->schema();
  auto s = std::make_shared<Schema>(fmt::format("{} type `{}`", what, type->as_string()), e->doc);
  s->add("type", Type::kString, fmt::format("{} type.", what)).require();
  for (const auto& f : own->fields()) {
    if (f.key != "type") s->add(f.key, f.type, f.doc) = f;
  }
  config::validate(node, *s, path);
}

}  // namespace

workload::ModelSpec serving_model(const config::Node& serving) {
  const config::Node* path = serving.find("model");
  const config::Node* inline_spec = serving.find("model_spec");
  const bool has_path = path != nullptr && !path->is_null();
  const bool has_inline = inline_spec != nullptr && !inline_spec->is_null();
  if (has_path == has_inline) {
    throw ConfigError(serving.origin(),
                      has_path ? "serving: give `model` or `model_spec`, not both"
                               : "serving: missing required key 'model' (a preset file such as "
                                 "configs/models/opt-13b.yaml) or 'model_spec'");
  }
  if (has_path) return workload::load_model(path->as_string());
  config::Node copy = *inline_spec;
  return workload::model_from_node(copy);
}

void validate_serving(config::Node& serving) {
  validate_typed(*serving.find("scheduler"), scheduler::SchedulerRegistry::instance(),
                 "serving.scheduler", "scheduler");
  validate_typed(*serving.find("policy"), policies::PolicyRegistry::instance(), "serving.policy",
                 "policy");
  (void)serving_model(serving);
  const config::Node& req = serving.at("requests");
  if (req.get_string("source") == "synthetic" && req.get_uint("count") == 0) {
    throw ConfigError(req.origin(), "serving.requests: synthetic requests need `count` > 0");
  }
  if (req.get_string("source") == "trace" &&
      (req.find("path") == nullptr || req.find("path")->is_null())) {
    throw ConfigError(req.origin(), "serving.requests: source trace needs `path`");
  }
}

}  // namespace tiersim::run
