// sram_scratchpad: a banked on-chip scratchpad (GPU shared memory, an accelerator's SRAM buffer).
//
// Timing is ScratchpadTiming (scratchpad_timing.h): request ports, banks interleaved every
// `interleave` bytes, a bandwidth per bank, a pipelined access latency; two requests on one bank
// serialize, requests on different banks proceed in parallel. Requests beyond `capacity` (when
// set) are run-time errors (std::out_of_range).
#pragma once

#include "models/sram/scratchpad_timing.h"
#include "sim/kernel/component.h"

namespace tiersim::models {

class SramScratchpad : public kernel::Component {
 public:
  explicit SramScratchpad(const kernel::BuildContext& ctx);
  static config::SchemaPtr schema();

  kernel::DataWindow serve(const kernel::TxnExtension& txn, kernel::DataWindow in) override;
  void finalize(Time end) override;
  [[nodiscard]] std::uint64_t capacity_bytes() const override { return capacity_.count(); }

 private:
  Bytes capacity_;
  sram::ScratchpadTiming timing_;
  stats::Counter& reads_;
  stats::Counter& writes_;
  stats::Counter& bytes_read_;
  stats::Counter& bytes_written_;
  stats::Counter& bank_accesses_;
  stats::Counter& bank_conflicts_;
  stats::Counter& conflict_stall_ps_;
  stats::Counter& bank_busy_ps_;
};

}  // namespace tiersim::models
