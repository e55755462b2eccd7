#include "sim/workload/request_filter.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tiersim::workload {

namespace {

std::uint32_t scaled(std::uint32_t v, double s) {
  if (s == 1.0) return v;
  const double x = std::nearbyint(static_cast<double>(v) * s);
  if (x < 1.0) return 1;
  if (x > 4294967295.0) return 4294967295u;
  return static_cast<std::uint32_t>(x);
}

Time scaled_time(Time t, double rate_scale) {
  if (rate_scale == 1.0) return t;
  return Time::ps(static_cast<std::int64_t>(std::floor(static_cast<double>(t.ps()) / rate_scale)));
}

}  // namespace

FilteredSource::FilteredSource(std::unique_ptr<RequestSource> inner, RequestFilterOptions o)
    : inner_(std::move(inner)), o_(o) {
  if (!(o_.rate_scale > 0) || !(o_.length_scale > 0)) {
    throw std::invalid_argument("rate and length scales must be > 0");
  }
}

bool FilteredSource::next(Request& out) {
  while (!done_) {
    if (!inner_->next(out)) {
      done_ = true;
      break;
    }
    if (out.arrival < o_.window_start) continue;
    if (o_.window_end > Time::zero() && out.arrival >= o_.window_end) {
      done_ = true;
      break;
    }
    const Time rel = out.arrival - o_.window_start;
    out.arrival = scaled_time(rel, o_.rate_scale);
    out.think = scaled_time(out.think, o_.rate_scale);
    out.prompt_tokens = scaled(out.prompt_tokens, o_.length_scale);
    out.output_tokens = scaled(out.output_tokens, o_.length_scale);
    if (o_.max_prompt > 0) out.prompt_tokens = std::min(out.prompt_tokens, o_.max_prompt);
    if (o_.max_output > 0) out.output_tokens = std::min(out.output_tokens, o_.max_output);
    if (o_.max_context > 1) {
      out.prompt_tokens = std::min(out.prompt_tokens, o_.max_context - 1);
      out.output_tokens = std::min(out.output_tokens, o_.max_context - out.prompt_tokens);
    }
    const std::size_t blocks =
        (std::size_t{out.prompt_tokens} + kPrefixBlockTokens - 1) / kPrefixBlockTokens;
    if (out.prefix_blocks.size() > blocks) out.prefix_blocks.resize(blocks);
    if (out.user != kNoUser) {
      renumbered_[out.id] = id_;
      if (out.after != kNoAfter) {
        const auto it = renumbered_.find(out.after);
        if (it == renumbered_.end()) {
          out.after = kNoAfter;
          out.think = Time::zero();
        } else {
          out.after = it->second;
          renumbered_.erase(it);  // a user's chain names each request once
        }
      }
    }
    out.id = id_++;
    return true;
  }
  return false;
}

}  // namespace tiersim::workload
