#include "models/cxl/cxl_protocol.h"

#include <fmt/format.h>

#include <cmath>

#include "sim/config/config_error.h"

namespace tiersim::models::cxl {

using config::Type;

namespace {

double transfer_rate_gtps(int generation) {
  switch (generation) {
    case 3:
      return 8.0;
    case 4:
      return 16.0;
    case 5:
      return 32.0;
    default:
      return 64.0;
  }
}

CxlParams params_from(const config::Node& cfg) {
  CxlParams p;
  p.generation = static_cast<int>(cfg.get_int("generation"));
  p.lanes = static_cast<int>(cfg.get_int("lanes"));
  p.flit_bytes = cfg.find("flit") != nullptr ? static_cast<int>(cfg.get_size("flit").count())
                                             : (p.generation >= 6 ? 256 : 68);
  p.req_per_slot = cfg.get_double("req_per_slot");
  p.rwd_per_slot = cfg.get_double("rwd_header_per_slot");
  p.drs_per_slot = cfg.get_double("drs_per_slot");
  p.ndr_per_slot = cfg.get_double("ndr_per_slot");
  auto check = [&](bool ok, const char* key, const std::string& what) {
    if (!ok) throw config::ConfigError(cfg.at(key).origin(), what);
  };
  check(p.lanes == 1 || p.lanes == 2 || p.lanes == 4 || p.lanes == 8 || p.lanes == 16, "lanes",
        fmt::format("lanes must be 1, 2, 4, 8 or 16, got {}", p.lanes));
  if (cfg.find("flit") != nullptr) {
    check(
        p.flit_bytes == 68 || p.flit_bytes == 256, "flit",
        fmt::format("flit must be 68 B (CXL 1.1/2.0) or 256 B (CXL 3.x), got {} B", p.flit_bytes));
    check(p.generation < 6 || p.flit_bytes == 256, "flit",
          "a Gen6 (64 GT/s) PHY carries only 256 B flits (CXL 3.x)");
  }
  return p;
}

}  // namespace

config::SchemaPtr CxlProtocol::schema() {
  auto s = std::make_shared<config::Schema>("cxl");
  s->add("generation", Type::kInt,
         "PCIe PHY generation: 3, 4, 5 (8, 16, 32 GT/s, 128b/130b) or 6 (64 GT/s PAM4, 256 B "
         "flits). CXL 1.1/2.0 run at Gen5.")
      .default_to("5")
      .at_least(3)
      .at_most(6);
  s->add("lanes", Type::kInt, "Link width: 1, 2, 4, 8 or 16 (expanders: x8 or x16).")
      .default_to("16");
  s->add("flit", Type::kSize,
         "Flit size: 68 B (CXL 1.1/2.0: 4 x 16 B slots + 2 B CRC + 2 B protocol ID) or 256 B "
         "(CXL 3.x: 15 slots + 2 B header + 8 B CRC + 6 B FEC). Default: 68 B below Gen6, 256 B "
         "at Gen6.");
  s->add("req_per_slot", Type::kFloat, "M2S Req (read request) messages per 16 B slot.")
      .default_to("1")
      .at_least(1);
  s->add("rwd_header_per_slot", Type::kFloat, "M2S RwD (write) headers per 16 B slot.")
      .default_to("1")
      .at_least(1);
  s->add("drs_per_slot", Type::kFloat, "S2M DRS (read data) headers per 16 B slot (G6: 3).")
      .default_to("3")
      .at_least(1);
  s->add("ndr_per_slot", Type::kFloat, "S2M NDR (write completion) messages per 16 B slot.")
      .default_to("2")
      .at_least(1);
  return s;
}

CxlProtocol::CxlProtocol(const kernel::LinkContext& ctx) : CxlProtocol(params_from(ctx.cfg)) {}

CxlProtocol::CxlProtocol(const CxlParams& p) : p_(p) {
  const bool pam4 = p_.generation >= 6;
  const double encoding = pam4 ? 1.0 : 128.0 / 130.0;
  raw_ = Bandwidth::bytes_per_second(transfer_rate_gtps(p_.generation) * 1e9 * p_.lanes * encoding /
                                     8.0);
  // Slot area per flit: 64 of 68 B, or 240 of 256 B.
  const double per_slot = p_.flit_bytes == 256 ? 256.0 / 15.0 : 68.0 / 4.0;
  const double skp = pam4 ? 1.0 : 371.0 / 370.0;
  wire_per_slot_ = per_slot * skp;
}

double CxlProtocol::slots(kernel::Flow flow, std::uint64_t lines) const {
  const auto n = static_cast<double>(lines);
  constexpr double kDataSlots = static_cast<double>(kLine / kSlot);  // 4 per line
  switch (flow) {
    case kernel::Flow::kReadRequest:
      return n / p_.req_per_slot;
    case kernel::Flow::kReadData:
      return n * kDataSlots + n / p_.drs_per_slot;
    case kernel::Flow::kWriteData:
      return n * kDataSlots + n / p_.rwd_per_slot;
    case kernel::Flow::kAck:
      return n / p_.ndr_per_slot;
  }
  return 0.0;
}

Bytes CxlProtocol::wire_bytes(kernel::Flow flow, Bytes payload) const {
  std::uint64_t lines = (payload.count() + kLine - 1) / kLine;
  if (flow == kernel::Flow::kAck) {
    lines = 1;  // one NDR; the fabric passes no size with an acknowledgement
  } else if (lines == 0) {
    return Bytes(0);
  }
  return Bytes(static_cast<std::uint64_t>(std::ceil(slots(flow, lines) * wire_per_slot_)));
}

std::string CxlProtocol::describe() const {
  const auto eff = [&](kernel::Flow f) {
    return 100.0 * streaming_bandwidth(f, Bytes::MiB(1)).bytes_per_second() /
           raw_.bytes_per_second();
  };
  return fmt::format(
      "CXL.mem over PCIe Gen{} x{} ({} B flits): {:.3f} GB/s raw per direction; per 64 B line: "
      "read {:.3f} slots M2S + {:.3f} S2M, write {:.3f} M2S + {:.3f} S2M; streaming efficiency: "
      "read data {:.1f}%, write data {:.1f}%",
      p_.generation, p_.lanes, p_.flit_bytes, raw_.as_GBps(), slots(kernel::Flow::kReadRequest, 1),
      slots(kernel::Flow::kReadData, 1), slots(kernel::Flow::kWriteData, 1),
      slots(kernel::Flow::kAck, 1), eff(kernel::Flow::kReadData), eff(kernel::Flow::kWriteData));
}

TIERSIM_REGISTER_LINK("cxl", CxlProtocol,
                      "CXL.mem over a PCIe PHY: 68 B / 256 B flits, 16 B slot packing of M2S/S2M "
                      "messages, full duplex.");

}  // namespace tiersim::models::cxl
