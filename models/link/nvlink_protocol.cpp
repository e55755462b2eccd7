// Link type `nvlink`: N NVLink links between two GPUs (or a GPU and an NVSwitch port), each with
// a per-direction bandwidth; packets carry up to `max_payload` bytes behind a `header` of flits.
//
// wire bytes of a transfer = payload + ceil(payload / max_payload) x header; control messages
// (read requests, write acks) carry one header each. raw bandwidth = links x link_bandwidth.
#include <fmt/format.h>

#include "sim/kernel/link_protocol.h"

namespace tiersim::models {

class NvlinkProtocol : public kernel::LinkProtocol {
 public:
  explicit NvlinkProtocol(const kernel::LinkContext& ctx)
      : links_(ctx.cfg.get_uint("links")),
        per_link_(ctx.cfg.get_bandwidth("link_bandwidth")),
        max_payload_(ctx.cfg.get_size("max_payload")),
        header_(ctx.cfg.get_size("header")) {}

  static config::SchemaPtr schema() {
    auto s = std::make_shared<config::Schema>("nvlink");
    s->add("links", config::Type::kUInt, "Number of NVLink links ganged together.")
        .require()
        .at_least(1);
    s->add("link_bandwidth", config::Type::kBandwidth,
           "Bandwidth of one link per direction (NVLink 4: 25 GB/s, H100 datasheet: 18 links, "
           "900 GB/s total bidirectional).")
        .require();
    s->add("max_payload", config::Type::kSize, "Largest data payload per packet.")
        .default_to("256 B");
    s->add("header", config::Type::kSize, "Header/CRC bytes per packet (one 16 B flit).")
        .default_to("16 B");
    return s;
  }

  [[nodiscard]] Bytes wire_bytes(kernel::Flow flow, Bytes payload) const override {
    const std::uint64_t b = payload.count();
    switch (flow) {
      case kernel::Flow::kWriteData:
      case kernel::Flow::kReadData: {
        const std::uint64_t packets = (b + max_payload_.count() - 1) / max_payload_.count();
        return Bytes(b + packets * header_.count());
      }
      case kernel::Flow::kReadRequest:
      case kernel::Flow::kAck:
        return header_;
    }
    return Bytes(0);
  }
  [[nodiscard]] Bandwidth raw_bandwidth() const override {
    return Bandwidth::bytes_per_second(static_cast<double>(links_) * per_link_.bytes_per_second());
  }
  [[nodiscard]] std::string describe() const override {
    return fmt::format(
        "NVLink: {} links x {:.1f} GB/s = {:.1f} GB/s per direction; {} B payload "
        "per {} B header",
        links_, per_link_.as_GBps(), raw_bandwidth().as_GBps(), max_payload_.count(),
        header_.count());
  }

 private:
  std::uint64_t links_;
  Bandwidth per_link_;
  Bytes max_payload_;
  Bytes header_;
};

TIERSIM_REGISTER_LINK("nvlink", NvlinkProtocol,
                      "NVLink: ganged links, per-link bandwidth, packet header per payload.");

}  // namespace tiersim::models
