// `static` batching (scheduler.h): offline throughput runs as FlexGen and InstInfer evaluate them.
//
// A batch forms from the first `batch` waiting requests in arrival order (or fewer once the trace
// has ended). It is prefilled first — all prompts in one step, or `prefill_chunk` prompt tokens per
// step over the batch, filled in request order — then decoded together, one token per sequence per
// step; finished sequences leave (no padding compute) and the next batch starts when the last one
// finishes. No preemption: a batch whose KV (prompt + output tokens of each sequence) exceeds the
// placement's KV capacity throws CapacityExceeded (the run reports out-of-memory).
#include <deque>
#include <vector>

#include <fmt/format.h>

#include "sim/scheduler/scheduler.h"
#include "sim/scheduler/sequence.h"

namespace tiersim::scheduler {

namespace {

class StaticScheduler final : public Scheduler {
 public:
  explicit StaticScheduler(const SchedulerContext& c)
      : batch_(static_cast<std::uint32_t>(c.config.get_uint("batch"))),
        chunk_(c.config.get_uint("prefill_chunk")),
        capacity_(c.kv_capacity_tokens) {
    if (c.policy_max_batch != 0 && batch_ > c.policy_max_batch) {
      throw CapacityExceeded(fmt::format("static batch {} exceeds the policy's maximum batch {}",
                                         batch_, c.policy_max_batch));
    }
  }

  static config::SchemaPtr schema() {
    auto s = std::make_shared<config::Schema>("static", "Static (offline) batching.");
    s->add("type", config::Type::kString, "Scheduler type.").require();
    s->add("batch", config::Type::kUInt, "Sequences per batch.").default_to("1").at_least(1);
    s->add("prefill_chunk", config::Type::kUInt,
           "Prompt tokens per prefill step over the whole batch (0: every prompt in one step).")
        .default_to("0");
    return s;
  }

  void arrive(const workload::Request& r) override { waiting_.push_back(Sequence::of(r)); }
  void no_more_arrivals() override { closed_ = true; }
  [[nodiscard]] bool idle() const override { return waiting_.empty() && running_.empty(); }

  bool next(Time /*now*/, Step& out, std::vector<Preemption>& /*preempted*/) override {
    if (running_.empty() && !form_batch()) return false;
    out.entries.clear();
    out.index = index_++;
    bool prefill = false;
    for (const auto& s : running_) prefill = prefill || s.prefilling();
    if (prefill) {
      std::uint64_t budget = chunk_;
      for (const auto& s : running_) {
        if (!s.prefilling()) continue;
        if (chunk_ != 0 && budget == 0) break;
        const StepEntry e = s.prefill_entry(chunk_ == 0 ? 0 : budget);
        if (chunk_ != 0) budget -= e.tokens;
        out.entries.push_back(e);
      }
    } else {
      for (const auto& s : running_) out.entries.push_back(s.decode_entry());
    }
    return true;
  }

  void complete(const Step& step, Time end, std::vector<Finished>& finished) override {
    std::size_t i = 0;
    for (const auto& e : step.entries) {
      while (running_[i].id != e.request) ++i;
      running_[i].advance(e, end);
    }
    std::vector<Sequence> keep;
    keep.reserve(running_.size());
    for (auto& s : running_) {
      if (s.done()) {
        finished.push_back(s.finished(end));
      } else {
        keep.push_back(s);
      }
    }
    running_.swap(keep);
  }

 private:
  bool form_batch() {
    if (waiting_.empty()) return false;
    if (waiting_.size() < batch_ && !closed_) return false;
    std::uint64_t kv = 0;
    while (!waiting_.empty() && running_.size() < batch_) {
      Sequence s = waiting_.front();
      waiting_.pop_front();
      kv += s.target + s.wanted() - 1;
      running_.push_back(s);
    }
    if (capacity_ != 0 && kv > capacity_) {
      throw CapacityExceeded(
          fmt::format("static batch of {} sequences needs KV for {} tokens; the placement holds {}",
                      running_.size(), kv, capacity_));
    }
    return true;
  }

  std::uint32_t batch_;
  std::uint64_t chunk_;
  std::uint64_t capacity_;
  bool closed_ = false;
  std::uint64_t index_ = 0;
  std::deque<Sequence> waiting_;
  std::vector<Sequence> running_;  // by request id (arrival order)
};

}  // namespace

TIERSIM_REGISTER_SCHEDULER("static", StaticScheduler,
                           "Static batching: prefill a batch, decode it to the end, repeat.");

}  // namespace tiersim::scheduler
