// CXL.mem as a link protocol (link `type: cxl`): a CXL 1.1/2.0 link of 68 B flits or a CXL 3.x
// link of 256 B flits over a PCIe PHY (Gen3-6 rates, x1-x16), with the wire bytes of every flow
// derived from how CXL.mem messages pack into 16 B slots.
//
// Flits (CXL Specification 2.0 and 3.0, link layer chapters):
//  - 68 B flit: 4 slots of 16 B (64 B) + 2 B CRC + 2 B ARB/MUX protocol ID. Slot 0 of a header
//    flit is an H-slot (it also holds the 4 B flit header); the other slots are G-slots (generic
//    messages or 16 B of data). Wire per slot = 17 B.
//  - 256 B flit: 2 B flit header + 240 B of slots + 8 B CRC + 6 B FEC. Wire per slot = 256/15 B.
// CXL.mem messages per slot (the 68 B flit's H/G slot formats, CXL 2.0; the *_per_slot defaults):
//  - M2S Req (MemRd, a read request): 1 per slot (H5/G4);
//  - M2S RwD header (MemWr): 1 per slot (H4/G5), followed by 4 data slots per 64 B line;
//  - S2M DRS (read data header): up to 3 per slot (G6; 2 in an H-slot, H5), 4 data slots follow;
//  - S2M NDR (Cmp, a write completion): 2 per slot (H4/G5).
// So per 64 B line: a read puts 1 slot on M2S and 4 + 1/3 slots on S2M; a write 4 + 1 slots on
// M2S and 1/2 slot on S2M. Headers of consecutive messages share slots, so slot shares are
// fractional (a long stream's average); a transfer's wire bytes are rounded up to whole bytes.
// Writes are completed (NDR), unlike PCIe posted writes; the fabric passes no size with a write's
// acknowledgement, so kAck is charged one NDR (one 64 B write; exact for cache-line traffic).
//
// wire_bytes(flow, payload) = ceil(slots(flow, ceil(payload / 64)) x 16 B x flit/slot-area x skp)
// raw_bandwidth = GT/s x lanes x encoding / 8 (128b/130b at Gen3-5; 1b/1b PAM4 FLIT at Gen6).
// SKP ordered sets at Gen3-5: x 371/370, as on PCIe (models/link/pcie_protocol.h).
// The full-duplex link carries M2S and S2M on separate directions, so a read/write mix loads both:
// the read/write-mix effect on bandwidth emerges from these slot counts, not from a table.
#pragma once

#include <string>

#include "sim/kernel/link_protocol.h"

namespace tiersim::models::cxl {

struct CxlParams {
  int generation = 5;  // PCIe PHY generation: 3, 4, 5 (32 GT/s) or 6 (64 GT/s)
  int lanes = 16;
  int flit_bytes = 68;  // 68 (CXL 1.1/2.0) or 256 (CXL 3.x; required at Gen6)
  double req_per_slot = 1.0;
  double rwd_per_slot = 1.0;
  double drs_per_slot = 3.0;
  double ndr_per_slot = 2.0;
};

class CxlProtocol : public kernel::LinkProtocol {
 public:
  static constexpr std::uint64_t kLine = 64;  // CXL.mem transfers whole 64 B cache lines
  static constexpr std::uint64_t kSlot = 16;

  explicit CxlProtocol(const CxlParams& p);
  explicit CxlProtocol(const kernel::LinkContext& ctx);
  static config::SchemaPtr schema();

  [[nodiscard]] Bytes wire_bytes(kernel::Flow flow, Bytes payload) const override;
  [[nodiscard]] Bandwidth raw_bandwidth() const override { return raw_; }
  [[nodiscard]] std::string describe() const override;

  // Slots (16 B) a flow of `lines` cache lines occupies on its direction (fractional: headers of
  // consecutive messages share slots).
  [[nodiscard]] double slots(kernel::Flow flow, std::uint64_t lines) const;
  // Wire bytes per slot: 17 (68 B flits) or 256/15 (256 B flits), times the SKP factor.
  [[nodiscard]] double wire_per_slot() const { return wire_per_slot_; }
  [[nodiscard]] const CxlParams& params() const { return p_; }

 private:
  CxlParams p_;
  Bandwidth raw_;
  double wire_per_slot_;
};

}  // namespace tiersim::models::cxl
