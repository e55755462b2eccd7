// What a link puts on the wire for a transfer: the protocol's framing, headers and link-layer
// overheads, and the raw per-direction signalling rate. Registered by name as link `type`s
// (simple, pcie, nvlink, ...), configured from `system.links` entries.
//
// Contract:
//  - wire_bytes(flow, payload) is the number of bytes the transfer occupies on one direction of
//    the link, derived from the protocol's packet rules (never a fixed efficiency constant).
//    Zero means the message costs latency only (e.g. a posted write's acknowledgement).
//  - raw_bandwidth() is the per-direction signalling rate after line encoding (e.g. PCIe Gen5
//    x16: 32 GT/s x 16 lanes x 128/130 / 8 = 63.0 GB/s).
//  - describe() summarises the derivation for docs and logs.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "sim/config/node.h"
#include "sim/config/schema.h"
#include "sim/kernel/registry.h"
#include "sim/units/units.h"

namespace tiersim::kernel {

// The kinds of traffic a transaction puts on a link.
enum class Flow : std::uint8_t {
  kWriteData,    // a write's payload (PCIe: posted memory-write TLPs)
  kReadRequest,  // a request for `payload` bytes of data (PCIe: memory-read TLPs, no payload)
  kReadData,     // a read's returning data (PCIe: completions with data)
  kAck,          // a write's acknowledgement (PCIe: none on the wire for posted writes)
};

class LinkProtocol {
 public:
  virtual ~LinkProtocol() = default;
  [[nodiscard]] virtual Bytes wire_bytes(Flow flow, Bytes payload) const = 0;
  [[nodiscard]] virtual Bandwidth raw_bandwidth() const = 0;
  // Rate of one direction (0: from the first endpoint of `between` to the second, 1: back);
  // the same both ways unless a protocol says otherwise.
  [[nodiscard]] virtual Bandwidth direction_bandwidth(int dir) const {
    (void)dir;
    return raw_bandwidth();
  }
  [[nodiscard]] virtual std::string describe() const = 0;

  // Achieved payload bandwidth of a long stream of `flow` in chunks of `payload` bytes.
  [[nodiscard]] Bandwidth streaming_bandwidth(Flow flow, Bytes payload) const {
    const Bytes wire = wire_bytes(flow, payload);
    if (wire.count() == 0) return raw_bandwidth();
    return Bandwidth::bytes_per_second(raw_bandwidth().bytes_per_second() * payload.as_double() /
                                       wire.as_double());
  }
};

// A plain link: every payload byte on the wire, nothing else; control messages are free.
// Registered as link type `simple` (models/basic/simple_link.cpp). `reverse` (> 0) is the rate
// of direction 1 (second endpoint to first) when it differs from `bw`.
class SimpleProtocol : public LinkProtocol {
 public:
  explicit SimpleProtocol(Bandwidth bw, Bandwidth reverse = Bandwidth()) : bw_(bw), rev_(reverse) {}
  [[nodiscard]] Bytes wire_bytes(Flow flow, Bytes payload) const override {
    return (flow == Flow::kWriteData || flow == Flow::kReadData) ? payload : Bytes(0);
  }
  [[nodiscard]] Bandwidth raw_bandwidth() const override { return bw_; }
  [[nodiscard]] Bandwidth direction_bandwidth(int dir) const override {
    return dir == 1 && rev_.bytes_per_second() > 0.0 ? rev_ : bw_;
  }
  [[nodiscard]] std::string describe() const override;

 private:
  Bandwidth bw_;
  Bandwidth rev_;
};

struct LinkContext {
  const config::Node& cfg;  // the validated `system.links` entry
};

using LinkRegistry = Registry<LinkProtocol, LinkContext>;

// Schema of a link entry of type `type`: the common keys (type, name, between, latency) plus the
// protocol's own. Null if the type is unknown.
[[nodiscard]] config::SchemaPtr link_schema(const std::string& type);
// Resolver for `system.links` items (by their `type`, default `simple`).
[[nodiscard]] config::SchemaPtr resolve_link(const config::Node& item, const std::string& path);

}  // namespace tiersim::kernel

#define TIERSIM_REGISTER_LINK(type, Class, doc)                                                   \
  static const bool TIERSIM_CONCAT(tiersim_registered_link_, __LINE__) =                          \
      ::tiersim::kernel::LinkRegistry::instance().add(                                            \
          {type, doc, &Class::schema, [](const ::tiersim::kernel::LinkContext& c) {               \
             return std::unique_ptr<::tiersim::kernel::LinkProtocol>(std::make_unique<Class>(c)); \
           }})
