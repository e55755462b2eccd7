// Link type `simple`: a bandwidth per direction, payload bytes only (no protocol overhead).
#include "sim/kernel/link_protocol.h"

namespace tiersim::models {

class SimpleLink : public kernel::SimpleProtocol {
 public:
  explicit SimpleLink(const kernel::LinkContext& ctx)
      : SimpleProtocol(ctx.cfg.get_bandwidth("bandwidth"),
                       ctx.cfg.get_bandwidth("reverse_bandwidth")) {}
  static config::SchemaPtr schema() {
    auto s = std::make_shared<config::Schema>("simple");
    s->add("bandwidth", config::Type::kBandwidth,
           "Bandwidth per direction (from the first endpoint of `between` to the second, and "
           "back unless reverse_bandwidth is set).")
        .require();
    s->add("reverse_bandwidth", config::Type::kBandwidth,
           "Bandwidth from the second endpoint of `between` to the first, when it differs "
           "(0 = bandwidth).")
        .default_to("0 B/s");
    return s;
  }
};

TIERSIM_REGISTER_LINK("simple", SimpleLink,
                      "A bandwidth per direction carrying payload only (no protocol overhead).");

}  // namespace tiersim::models
