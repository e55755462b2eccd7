// PCI Express as a link protocol: generations 1-6, lane count, line encoding, TLP headers and
// framing, max payload size (MPS), max read request size (MRRS), read-completion size, optional
// ECRC, SKP ordered sets, and FLIT mode (Gen6).
//
// What a transfer puts on one direction (PCIe Base Specification 5.0 / 6.0):
//  - posted memory writes (kWriteData): ceil(payload / MPS) TLPs, each payload + 4DW header
//    (16 B, 64-bit addressing) + framing + LCRC (+ ECRC);
//  - read requests (kReadRequest): ceil(payload / MRRS) header-only TLPs (4DW);
//  - completions with data (kReadData): ceil(payload / completion_size) TLPs with a 3DW header
//    (12 B); completion_size <= MPS is a platform property (completers split at the read
//    completion boundary);
//  - acknowledgements of posted writes (kAck): nothing (posted writes are not completed).
// Framing per TLP: Gen1/2 (8b/10b): STP 1 B + sequence number 2 B + LCRC 4 B + END 1 B = 8 B;
// Gen3-5 (128b/130b): STP token 4 B (carries the sequence number) + LCRC 4 B = 8 B.
// Gen6 FLIT mode: TLPs carry no per-TLP framing/LCRC; every 256 B flit holds 236 B of TLP bytes
// (the rest: 6 B DLP, 8 B CRC, 6 B FEC), so wire = TLP bytes x 256/236.
// SKP ordered sets take ~1/371 of the symbols at Gen3+ and ~0.3% at Gen1/2 (skp_overhead).
// DLLPs (Ack, UpdateFC) travel against the data stream: in a one-way stream they use the other
// direction, so they are not charged to the data direction here (documented simplification).
//
// raw_bandwidth = GT/s x lanes x encoding / 8 per direction; e.g. Gen5 x16 = 63.015 GB/s.
#pragma once

#include <string>

#include "sim/kernel/link_protocol.h"

namespace tiersim::models {

struct PcieParams {
  int generation = 4;
  int lanes = 16;
  Bytes max_payload{256};
  Bytes max_read_request{512};
  Bytes read_completion{256};
  bool ecrc = false;
  bool flit_mode = false;  // Gen6 only (and required there)
};

class PcieProtocol : public kernel::LinkProtocol {
 public:
  explicit PcieProtocol(const PcieParams& p);
  explicit PcieProtocol(const kernel::LinkContext& ctx);
  static config::SchemaPtr schema();

  [[nodiscard]] Bytes wire_bytes(kernel::Flow flow, Bytes payload) const override;
  [[nodiscard]] Bandwidth raw_bandwidth() const override { return raw_; }
  [[nodiscard]] std::string describe() const override;

  [[nodiscard]] double transfer_rate_gtps() const;   // per lane
  [[nodiscard]] double encoding_efficiency() const;  // 8/10, 128/130 or 1 (flit: in wire_bytes)
  [[nodiscard]] const PcieParams& params() const { return p_; }

 private:
  [[nodiscard]] std::uint64_t tlp_bytes(std::uint64_t count, std::uint64_t payload,
                                        std::uint64_t header) const;
  PcieParams p_;
  Bandwidth raw_;
  double skp_factor_;  // wire bytes per symbol byte after SKP ordered sets (> 1)
};

}  // namespace tiersim::models
