#include "models/sram/scratchpad_timing.h"

#include <stdexcept>

#include "models/sram/interleave.h"

namespace tiersim::models::sram {

namespace {

const ScratchpadParams& checked(const ScratchpadParams& p) {
  if (p.banks == 0) throw std::invalid_argument("scratchpad: banks must be > 0");
  if (p.interleave.count() == 0) throw std::invalid_argument("scratchpad: interleave must be > 0");
  if (p.ports == 0) throw std::invalid_argument("scratchpad: ports must be > 0");
  return p;
}

}  // namespace

ScratchpadTiming::ScratchpadTiming(const ScratchpadParams& p)
    : params_(checked(p)), ports_(p.ports), banks_(p.banks) {}

ScratchpadAccess ScratchpadTiming::access(kernel::TxnKind kind, Time arrival, Time data_last,
                                          std::uint64_t address, Bytes bytes) {
  ScratchpadAccess a;
  const Time port_xfer = params_.port_bandwidth.transfer_time(bytes);
  const Time p = ports_.reserve(arrival, port_xfer).start;
  Time first = Time::max();
  Time data_end = p + port_xfer;
  for_each_bank_share(address, bytes.count(), params_.interleave.count(), params_.banks,
                      [&](std::uint64_t b, std::uint64_t share) {
                        const Time xfer = params_.bank_bandwidth.transfer_time(Bytes(share));
                        const Time s = banks_[b].reserve(p, xfer);
                        ++a.banks_touched;
                        if (s > p) {
                          ++a.conflicts;
                          a.conflict_stall += s - p;
                        }
                        first = min(first, s);
                        data_end = max(data_end, s + xfer);
                      });
  if (first == Time::max()) first = p;  // zero-byte request: no bank touched
  if (kind == kernel::TxnKind::kWrite) {
    const Time ack = max(data_end, data_last) + params_.latency;
    a.window = {ack, ack};
  } else {
    a.window = {first + params_.latency, data_end + params_.latency};
  }
  return a;
}

Time ScratchpadTiming::bank_busy() const {
  Time t;
  for (const auto& b : banks_) t += b.busy_time();
  return t;
}

}  // namespace tiersim::models::sram
