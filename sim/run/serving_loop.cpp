#include "sim/run/serving_loop.h"

#include <fmt/format.h>

#include <stdexcept>

#include "sim/kernel/interrupt.h"
#include "sim/kernel/sc_time_conv.h"
#include "sim/stats/activity.h"

namespace tiersim::run {

using kernel::to_sc;
using scheduler::Phase;

ServingLoop::ServingLoop(sc_core::sc_module_name name, ServingParts parts)
    : sc_core::sc_module(name), p_(std::move(parts)) {
  SC_METHOD(activate);
}

void ServingLoop::activate() {
  try {
    run_until_sync();
  } catch (...) {
    error_ = std::current_exception();
    finished_ = true;
    sc_core::sc_stop();
  }
}

void ServingLoop::pull_arrivals() {
  while (true) {
    if (!have_pending_ && !source_done_) {
      have_pending_ = p_.source.next(pending_);
      source_done_ = !have_pending_;
    }
    if (!have_pending_ || pending_.arrival > now_) break;
    if (pending_.after == workload::kNoAfter) {
      ready_.push({pending_.arrival, pending_});
    } else if (auto it = completed_.find(pending_.after); it != completed_.end()) {
      ready_.push({max(pending_.arrival, it->second + pending_.think), pending_});
    } else {
      blocked_.emplace(pending_.after, pending_);
    }
    have_pending_ = false;
  }
  while (!ready_.empty() && ready_.top().release <= now_) {
    workload::Request r = ready_.top().request;
    r.arrival = ready_.top().release;
    ready_.pop();
    p_.scheduler.arrive(r);
  }
  if (!closed_ && source_done_ && !have_pending_ && ready_.empty() && blocked_.empty()) {
    closed_ = true;
    p_.scheduler.no_more_arrivals();
  }
}

Time ServingLoop::next_arrival() const {
  Time t = Time::max();
  if (have_pending_) t = pending_.arrival;
  if (!ready_.empty()) t = std::min(t, ready_.top().release);
  return t;
}

void ServingLoop::run_one_step() {
  const Time start = now_;
  Time t = start;
  for (const auto& pre : preempted_) t = p_.policy.preempt(pre, t);
  policies::expand_step(p_.model, step_, p_.sparsity, work_);
  const policies::StepResult r = p_.policy.run_step(step_, work_, t);
  if (r.end < t) {
    throw std::logic_error(fmt::format("policy: step {} ends before it starts", step_.index));
  }
  StepRow row;
  row.index = step_.index;
  row.start = start;
  row.end = r.end;
  row.entries = static_cast<std::uint32_t>(step_.entries.size());
  row.preemptions = static_cast<std::uint32_t>(preempted_.size());
  row.breakdown = r.breakdown;
  row.breakdown.other += t - start;
  for (const auto& e : step_.entries) {
    if (e.phase == Phase::kPrefill) {
      ++row.prefill_entries;
      row.prefill_tokens += e.tokens;
    } else {
      row.decode_tokens += e.tokens;
    }
    if (e.phase == Phase::kDecode || e.last_chunk) {
      auto [it, first] = last_token_.try_emplace(e.request, r.end);
      if (!first) {
        p_.metrics.on_token_gap(r.end - it->second);
        it->second = r.end;
      }
    }
  }
  p_.metrics.on_step(row);
  if (stats::ActivityRecorder* a = stats::activity()) {
    if (steps_track_ < 0) {
      steps_track_ = a->track("serving", "steps");
      requests_track_ = a->track("serving", "requests");
    }
    a->span(steps_track_, start, r.end, row.prefill_entries > 0 ? "prefill" : "decode",
            row.prefill_tokens + row.decode_tokens);
  }
  done_.clear();
  p_.scheduler.complete(step_, r.end, done_);
  for (const auto& f : done_) {
    p_.policy.release(f.request, f.end);
    p_.metrics.on_finished(f);
    if (stats::ActivityRecorder* a = stats::activity()) {
      a->request(requests_track_, f.request, f.arrival, f.end, "request", f.output_tokens);
    }
    last_token_.erase(f.request);
    auto [lo, hi] = blocked_.equal_range(f.request);
    for (auto it = lo; it != hi; ++it) {
      ready_.push({max(it->second.arrival, f.end + it->second.think), it->second});
    }
    blocked_.erase(lo, hi);
    if (p_.closed_loop) completed_.emplace(f.request, f.end);
  }
  now_ = r.end;
}

void ServingLoop::run_until_sync() {
  if (kernel::interrupt_requested()) throw kernel::Interrupted();
  const Time sc_now = kernel::now();
  while (true) {
    pull_arrivals();
    preempted_.clear();
    if (p_.scheduler.next(now_, step_, preempted_)) {
      run_one_step();
      if ((++steps_ & 0xFF) == 0) {
        if (kernel::interrupt_requested()) throw kernel::Interrupted();
        if (p_.tick) p_.tick();
      }
    } else {
      const Time next = next_arrival();
      if (next == Time::max()) {
        if (p_.scheduler.idle() && blocked_.empty()) {
          finished_ = true;
          return;
        }
        throw std::runtime_error(
            "serving: the scheduler cannot run its waiting requests and none will arrive");
      }
      now_ = max(now_, next);
    }
    if (now_ > sc_now + p_.quantum) {
      next_trigger(to_sc(now_ - sc_now));
      return;
    }
  }
}

}  // namespace tiersim::run
