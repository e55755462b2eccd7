#include <array>

#include <fmt/format.h>

#include "sim/trace/record_rules.h"
#include "sim/workload/logical_trace.h"

namespace tiersim::workload {

namespace {

constexpr std::array<std::string_view, kAccessKinds> kNames = {"step",       "weight",  "expert",
                                                               "neurons",    "kv_read", "kv_write",
                                                               "activation", "compute", "kv_pages"};

}  // namespace

std::string_view access_kind_name(AccessKind k) {
  const auto i = static_cast<std::size_t>(k);
  return i < kNames.size() ? kNames[i] : "?";
}

std::optional<AccessKind> access_kind_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<AccessKind>(i);
  }
  return std::nullopt;
}

std::optional<std::string> LogicalRules::check_request(const Request& r) {
  if (accesses_ > 0) return std::string("requests must all come before the first access");
  if (r.id != requests_) {
    return fmt::format("request id {} out of sequence (expected {})", r.id, requests_);
  }
  if (r.arrival < last_arrival_) return trace::time_order_message(r.arrival, last_arrival_);
  if (r.arrival < Time::zero()) return std::string("arrival is negative");
  if (r.after != kNoAfter && r.after >= r.id) {
    return fmt::format("after {} is not an earlier request", r.after);
  }
  if (r.after != kNoAfter && r.user == kNoUser) return std::string("after without a user");
  if (r.think < Time::zero()) return std::string("think time is negative");
  last_arrival_ = r.arrival;
  ++requests_;
  return std::nullopt;
}

std::optional<std::string> LogicalRules::check_access(const Access& a) {
  if (static_cast<std::uint8_t>(a.kind) >= kAccessKinds) {
    return fmt::format("bad access kind {} (expected 0..{})", static_cast<int>(a.kind),
                       kAccessKinds - 1);
  }
  if (a.step < last_step_) {
    return fmt::format("step {} is earlier than the previous record's step {}", a.step, last_step_);
  }
  if (a.request != kNoRequest && a.request >= requests_) {
    return fmt::format("request {} is not in the request table ({} requests)", a.request,
                       requests_);
  }
  last_step_ = a.step;
  ++accesses_;
  return std::nullopt;
}

}  // namespace tiersim::workload
