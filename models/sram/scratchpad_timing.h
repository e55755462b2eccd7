// Timing of a banked scratchpad (shared memory, an SRAM buffer), independent of SystemC.
//
// Resources: `ports` identical request ports (a TimelinePool; each limits one request's stream to
// port_bandwidth, 0 = unlimited) and one timeline per bank (bank_bandwidth each). Addresses are
// interleaved over the banks every `interleave` bytes (interleave.h); a request is split by
// arithmetic into one share per bank it touches, and each share is reserved whole.
//
// Timing of one request arriving at `arrival`:
//   p        = start on the earliest-free port (port busy bytes / port_bandwidth)
//   bank b   : s_b = max(p, bank_b.free_at), busy share_b / bank_bandwidth
//   data_end = max(max_b(s_b + share_b / bank_bandwidth), p + bytes / port_bandwidth)
//   read : first byte at min_b(s_b) + latency, last byte at data_end + latency
//   write: acknowledged at max(data_end, last data byte arrived) + latency
// So two requests on one bank serialize, requests on different banks proceed in parallel, and a
// request spread over k banks moves k times faster than one bank allows. A bank share that starts
// after p (its bank was busy) is a bank conflict; the wait is summed in conflict_stall.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/kernel/timeline.h"
#include "sim/kernel/transaction.h"
#include "sim/units/units.h"

namespace tiersim::models::sram {

struct ScratchpadParams {
  std::uint32_t banks = 1;   // > 0
  Bytes interleave{64};      // > 0: bytes per bank before the next bank
  Bandwidth bank_bandwidth;  // per bank; zero = unlimited
  Time latency;              // access latency (pipelined: overlaps other transfers)
  std::uint32_t ports = 1;   // > 0
  Bandwidth port_bandwidth;  // per port; zero = unlimited
};

struct ScratchpadAccess {
  kernel::DataWindow window;        // read: first/last byte; write: both the acknowledgement
  std::uint32_t banks_touched = 0;  // banks the request had a share in
  std::uint32_t conflicts = 0;      // shares delayed by a busy bank
  Time conflict_stall;              // sum of those delays
};

class ScratchpadTiming {
 public:
  // Throws std::invalid_argument if banks, interleave or ports is zero.
  explicit ScratchpadTiming(const ScratchpadParams& p);

  // Times one request; `data_last` is when a write's last byte arrives (ignored for reads).
  // Requests must be given in issue order (timelines are first-come-first-served).
  ScratchpadAccess access(kernel::TxnKind kind, Time arrival, Time data_last, std::uint64_t address,
                          Bytes bytes);

  [[nodiscard]] const ScratchpadParams& params() const { return params_; }
  [[nodiscard]] const kernel::Timeline& bank(std::size_t i) const { return banks_[i]; }
  // Sum of all banks' busy time (utilization = bank_busy / (banks * elapsed)).
  [[nodiscard]] Time bank_busy() const;

 private:
  ScratchpadParams params_;
  kernel::TimelinePool ports_;
  std::vector<kernel::Timeline> banks_;
};

}  // namespace tiersim::models::sram
