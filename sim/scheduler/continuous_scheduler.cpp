// `continuous` batching (scheduler.h): iteration-level scheduling as in Orca (Yu et al., OSDI'22,
// section 4) and vLLM (Kwon et al., SOSP'23, section 4.5), with chunked prefill (Sarathi).
//
// Each step, in this order (docs/serving.md, "Scheduler"):
//  1. Running sequences, in admission order, get their work: one decode token each, or the next
//     prompt chunk (at most the token budget left; the whole rest without chunked prefill).
//  2. KV is held in blocks of `block_tokens`; a sequence holding c tokens after the step needs
//     ceil(c / block_tokens) blocks. While the running sequences' blocks exceed the capacity
//     (Policy::place's kv_tokens, rounded down to blocks), the most recently admitted sequence is
//     preempted: `swap` keeps its KV (the policy moves it out and back in) and queues it to be
//     swapped back first; `recompute` drops its KV and requeues it at the head of the waiting
//     queue, to prefill its prompt plus the tokens it generated again (the last chunk of that
//     prefill produces its next token, as in vLLM).
//  3. Without a preemption this step: swapped sequences come back (oldest first), then waiting
//     requests are admitted in arrival order (FCFS, no skipping) while the batch has room
//     (min(max_batch, the policy's max batch)), the step's token budget (max_tokens_per_step) has
//     room, and their first chunk's blocks fit.
//  A request whose prompt plus output cannot fit the capacity even alone throws CapacityExceeded.
#include <algorithm>
#include <deque>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "sim/scheduler/scheduler.h"
#include "sim/scheduler/sequence.h"

namespace tiersim::scheduler {

namespace {

class ContinuousScheduler final : public Scheduler {
 public:
  explicit ContinuousScheduler(const SchedulerContext& c)
      : max_batch_(static_cast<std::uint32_t>(c.config.get_uint("max_batch"))),
        budget_(c.config.get_uint("max_tokens_per_step")),
        chunked_(c.config.get_bool("chunked_prefill")),
        block_(c.config.get_uint("block_tokens")),
        swap_(c.config.get_string("preemption") == "swap") {
    if (c.policy_max_batch != 0) max_batch_ = std::min(max_batch_, c.policy_max_batch);
    capacity_blocks_ =
        c.kv_capacity_tokens == 0 ? ~std::uint64_t{0} : c.kv_capacity_tokens / block_;
  }

  static config::SchemaPtr schema() {
    auto s =
        std::make_shared<config::Schema>("continuous", "Continuous (iteration-level) batching.");
    s->add("type", config::Type::kString, "Scheduler type.").require();
    s->add("max_batch", config::Type::kUInt, "Most sequences in one step (vLLM max_num_seqs).")
        .default_to("256")
        .at_least(1);
    s->add("max_tokens_per_step", config::Type::kUInt,
           "Token budget of one step: decode tokens plus prefill chunk tokens (vLLM "
           "max_num_batched_tokens).")
        .default_to("8192")
        .at_least(1);
    s->add("chunked_prefill", config::Type::kBool,
           "Split prompts into chunks that fill the token budget, mixed with decodes.")
        .default_to("true");
    s->add("block_tokens", config::Type::kUInt, "Tokens per KV block (vLLM block_size).")
        .default_to("16")
        .at_least(1);
    s->add("preemption", config::Type::kString,
           "What happens to the latest admitted sequence when KV runs out.")
        .default_to("recompute")
        .one_of({"swap", "recompute"});
    return s;
  }

  void arrive(const workload::Request& r) override { waiting_.push_back(Sequence::of(r)); }
  [[nodiscard]] bool idle() const override {
    return waiting_.empty() && swapped_.empty() && running_.empty();
  }

  bool next(Time /*now*/, Step& out, std::vector<Preemption>& preempted) override {
    std::uint64_t used = plan_running(out);
    bool preempting = false;
    while (used > capacity_blocks_) {
      if (running_.size() <= 1) {
        const Sequence& s = running_.front();
        throw CapacityExceeded(
            fmt::format("request {} alone needs {} KV blocks of {} tokens; the placement holds {}",
                        s.id, blocks(s.cached + 1), block_, capacity_blocks_));
      }
      preempt_latest(preempted);
      preempting = true;
      used = plan_running(out);
    }
    if (!preempting) admit(out, used);
    if (out.entries.empty()) return false;
    std::sort(out.entries.begin(), out.entries.end(),
              [](const StepEntry& a, const StepEntry& b) { return a.request < b.request; });
    out.index = index_++;
    return true;
  }

  void complete(const Step& step, Time end, std::vector<Finished>& finished) override {
    order_.clear();
    for (std::size_t i = 0; i < running_.size(); ++i) order_.emplace_back(running_[i].id, i);
    std::sort(order_.begin(), order_.end());
    std::size_t j = 0;
    for (const auto& e : step.entries) {
      while (order_[j].first != e.request) ++j;
      Sequence& s = running_[order_[j].second];
      s.advance(e, end);
      if (s.done()) finished.push_back(s.finished(end));
    }
    std::erase_if(running_, [](const Sequence& s) { return s.done(); });
  }

 private:
  [[nodiscard]] std::uint64_t blocks(std::uint64_t tokens) const {
    return (tokens + block_ - 1) / block_;
  }
  [[nodiscard]] std::uint64_t budget_left(const Step& step) const {
    const std::uint64_t used = step.tokens();
    return used >= budget_ ? 0 : budget_ - used;
  }

  // Work for the running sequences (decodes first, then prompt chunks, in admission order) into
  // `out` (cleared first); returns the blocks the running sequences hold after it.
  std::uint64_t plan_running(Step& out) {
    out.entries.clear();
    planned_.assign(running_.size(), 0);
    for (std::size_t i = 0; i < running_.size(); ++i) {
      const Sequence& s = running_[i];
      if (s.prefilling() || budget_left(out) == 0) continue;
      out.entries.push_back(s.decode_entry());
      planned_[i] = 1;
    }
    for (std::size_t i = 0; i < running_.size(); ++i) {
      const Sequence& s = running_[i];
      if (!s.prefilling()) continue;
      const std::uint64_t left = budget_left(out);
      if (left == 0) break;
      const StepEntry e = s.prefill_entry(chunked_ ? left : 0);
      if (e.tokens > left && !out.entries.empty()) continue;
      out.entries.push_back(e);
      planned_[i] = e.tokens;
    }
    std::uint64_t b = 0;
    for (std::size_t i = 0; i < running_.size(); ++i) b += blocks(running_[i].cached + planned_[i]);
    return b;
  }

  void preempt_latest(std::vector<Preemption>& preempted) {
    auto it = std::max_element(
        running_.begin(), running_.end(),
        [](const Sequence& a, const Sequence& b) { return a.admitted < b.admitted; });
    Sequence s = *it;
    running_.erase(it);
    preempted.push_back({s.id, s.cached, swap_});
    if (swap_) {
      swapped_.push_back(s);
    } else {
      s.cached = 0;
      s.target = std::max<std::uint64_t>(s.prompt, 1) + s.generated;
      waiting_.push_front(s);
    }
  }

  // Swapped sequences back first, then new requests; stops at the first that does not fit.
  void admit(Step& out, std::uint64_t used) {
    auto try_take = [&](std::deque<Sequence>& q) {
      while (!q.empty() && running_.size() < max_batch_) {
        Sequence& s = q.front();
        const std::uint64_t final_tokens = std::max<std::uint64_t>(s.prompt, 1) + s.wanted() - 1;
        if (blocks(final_tokens) > capacity_blocks_) {
          throw CapacityExceeded(fmt::format(
              "request {} ({} prompt + {} output tokens) needs {} KV blocks of {} tokens; the "
              "placement holds {}",
              s.id, s.prompt, s.wanted(), blocks(final_tokens), block_, capacity_blocks_));
        }
        const std::uint64_t left = budget_left(out);
        if (left == 0) return false;
        StepEntry e = s.prefilling() ? s.prefill_entry(chunked_ ? left : 0) : s.decode_entry();
        if (e.tokens > left && !out.entries.empty()) return false;
        const std::uint64_t need = blocks(s.cached + e.tokens);
        if (used + need > capacity_blocks_) return false;
        used += need;
        s.admitted = admissions_++;
        out.entries.push_back(e);
        running_.push_back(s);
        q.pop_front();
      }
      return true;
    };
    if (try_take(swapped_) && swapped_.empty()) try_take(waiting_);
  }

  std::uint32_t max_batch_;
  std::uint64_t budget_;
  bool chunked_;
  std::uint64_t block_;
  bool swap_;
  std::uint64_t capacity_blocks_ = 0;
  std::uint64_t index_ = 0;
  std::uint64_t admissions_ = 0;
  std::deque<Sequence> waiting_;
  std::deque<Sequence> swapped_;
  std::vector<Sequence> running_;                             // admission order
  std::vector<std::pair<std::uint64_t, std::size_t>> order_;  // scratch: (id, running index)
  std::vector<std::uint64_t> planned_;  // scratch: tokens planned per running sequence
};

}  // namespace

TIERSIM_REGISTER_SCHEDULER("continuous", ContinuousScheduler,
                           "Continuous batching with chunked prefill, token budget, "
                           "capacity-aware admission and preemption by swap or recompute.");

}  // namespace tiersim::scheduler
