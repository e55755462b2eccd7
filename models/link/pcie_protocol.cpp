#include "models/link/pcie_protocol.h"

#include <fmt/format.h>

#include <cmath>

#include "sim/config/config_error.h"

namespace tiersim::models {

using config::Type;

namespace {

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) {
  return (a + b - 1) / b;
}

PcieParams params_from(const config::Node& cfg) {
  PcieParams p;
  p.generation = static_cast<int>(cfg.get_int("generation"));
  p.lanes = static_cast<int>(cfg.get_int("lanes"));
  p.max_payload = cfg.get_size("max_payload_size");
  p.max_read_request = cfg.get_size("max_read_request_size");
  p.read_completion =
      cfg.find("read_completion_size") ? cfg.get_size("read_completion_size") : p.max_payload;
  p.ecrc = cfg.get_bool("ecrc");
  p.flit_mode = p.generation >= 6;
  auto check = [&](bool ok, const char* key, const std::string& what) {
    if (!ok) throw config::ConfigError(cfg.at(key).origin(), what);
  };
  check(p.generation >= 1 && p.generation <= 6, "generation",
        fmt::format("PCIe generation must be 1..6, got {}", p.generation));
  check(p.lanes == 1 || p.lanes == 2 || p.lanes == 4 || p.lanes == 8 || p.lanes == 16, "lanes",
        fmt::format("lanes must be 1, 2, 4, 8 or 16, got {}", p.lanes));
  const auto pow2 = [](std::uint64_t v) { return v != 0 && (v & (v - 1)) == 0; };
  check(
      pow2(p.max_payload.count()) && p.max_payload.count() >= 128 && p.max_payload.count() <= 4096,
      "max_payload_size", "max_payload_size must be a power of two from 128 B to 4096 B");
  check(pow2(p.max_read_request.count()) && p.max_read_request.count() >= 128 &&
            p.max_read_request.count() <= 4096,
        "max_read_request_size",
        "max_read_request_size must be a power of two from 128 B to 4 KiB");
  if (cfg.find("read_completion_size")) {
    check(pow2(p.read_completion.count()) && p.read_completion.count() >= 64 &&
              p.read_completion <= p.max_payload,
          "read_completion_size",
          "read_completion_size must be a power of two from 64 B up to max_payload_size");
  }
  return p;
}

}  // namespace

config::SchemaPtr PcieProtocol::schema() {
  auto s = std::make_shared<config::Schema>("pcie");
  s->add("generation", Type::kInt, "PCIe generation 1-6 (2.5, 5, 8, 16, 32, 64 GT/s per lane).")
      .require()
      .at_least(1)
      .at_most(6);
  s->add("lanes", Type::kInt, "Link width: 1, 2, 4, 8 or 16.").default_to("16");
  s->add("max_payload_size", Type::kSize, "MPS: largest TLP payload (128 B to 4 KiB).")
      .default_to("256 B");
  s->add("max_read_request_size", Type::kSize, "MRRS: largest read request (128 B to 4 KiB).")
      .default_to("512 B");
  s->add("read_completion_size", Type::kSize,
         "Payload of each completion returning read data (the completer's split, <= MPS). "
         "Default: max_payload_size.");
  s->add("ecrc", Type::kBool, "End-to-end CRC (4 B per TLP).").default_to("false");
  return s;
}

PcieProtocol::PcieProtocol(const kernel::LinkContext& ctx) : PcieProtocol(params_from(ctx.cfg)) {}

PcieProtocol::PcieProtocol(const PcieParams& p) : p_(p) {
  // Raw rate per direction after line encoding. Gen6 uses PAM4 with 1b/1b encoding; its flit
  // overhead is charged in wire_bytes().
  raw_ = Bandwidth::bytes_per_second(transfer_rate_gtps() * 1e9 * p_.lanes * encoding_efficiency() /
                                     8.0);
  // SKP ordered sets: Gen3+ one SKP OS block per ~370 data blocks; Gen1/2 4 symbols every
  // ~1180-1538 symbol times (~0.3%).
  skp_factor_ = p_.generation >= 3 ? 371.0 / 370.0 : 1.003;
}

double PcieProtocol::transfer_rate_gtps() const {
  switch (p_.generation) {
    case 1:
      return 2.5;
    case 2:
      return 5.0;
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

double PcieProtocol::encoding_efficiency() const {
  if (p_.generation <= 2) return 8.0 / 10.0;
  if (p_.generation <= 5) return 128.0 / 130.0;
  return 1.0;
}

std::uint64_t PcieProtocol::tlp_bytes(std::uint64_t count, std::uint64_t payload,
                                      std::uint64_t header) const {
  const std::uint64_t framing = p_.flit_mode ? 0 : 8;  // see the header comment
  const std::uint64_t ecrc = p_.ecrc ? 4 : 0;
  return payload + count * (header + framing + ecrc);
}

Bytes PcieProtocol::wire_bytes(kernel::Flow flow, Bytes payload) const {
  const std::uint64_t b = payload.count();
  std::uint64_t tlp = 0;
  switch (flow) {
    case kernel::Flow::kWriteData:
      if (b == 0) return Bytes(0);
      tlp = tlp_bytes(ceil_div(b, p_.max_payload.count()), b, 16);
      break;
    case kernel::Flow::kReadRequest:
      if (b == 0) return Bytes(0);
      tlp = tlp_bytes(ceil_div(b, p_.max_read_request.count()), 0, 16);
      break;
    case kernel::Flow::kReadData:
      if (b == 0) return Bytes(0);
      tlp = tlp_bytes(ceil_div(b, p_.read_completion.count()), b, 12);
      break;
    case kernel::Flow::kAck:
      return Bytes(0);
  }
  double wire = static_cast<double>(tlp);
  if (p_.flit_mode) wire *= 256.0 / 236.0;
  wire *= skp_factor_;
  return Bytes(static_cast<std::uint64_t>(std::ceil(wire)));
}

std::string PcieProtocol::describe() const {
  return fmt::format(
      "PCIe Gen{} x{}: {:.1f} GT/s x {} lanes x {} / 8 = {:.3f} GB/s raw per direction; MPS {} B, "
      "MRRS {} B, completions {} B; streaming efficiency: writes {:.1f}%, read data {:.1f}%",
      p_.generation, p_.lanes, transfer_rate_gtps(), p_.lanes,
      p_.generation <= 2 ? "8/10" : (p_.generation <= 5 ? "128/130" : "1 (flit 236/256)"),
      raw_.as_GBps(), p_.max_payload.count(), p_.max_read_request.count(),
      p_.read_completion.count(),
      100.0 * streaming_bandwidth(kernel::Flow::kWriteData, Bytes::MiB(256)).bytes_per_second() /
          raw_.bytes_per_second(),
      100.0 * streaming_bandwidth(kernel::Flow::kReadData, Bytes::MiB(256)).bytes_per_second() /
          raw_.bytes_per_second());
}

TIERSIM_REGISTER_LINK("pcie", PcieProtocol,
                      "PCI Express Gen1-6: encoding, TLP headers/framing, MPS/MRRS, completions.");

}  // namespace tiersim::models
