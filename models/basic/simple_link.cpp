// Link type `simple`: a bandwidth per direction, payload bytes only (no protocol overhead).
#include "sim/kernel/link_protocol.h"

namespace tiersim::models {

class SimpleLink : public kernel::SimpleProtocol {
 public:
  explicit SimpleLink(const kernel::LinkContext& ctx)
      : SimpleProtocol(ctx.cfg.get_bandwidth("bandwidth")) {}
  static config::SchemaPtr schema() {
    auto s = std::make_shared<config::Schema>("simple");
    s->add("bandwidth", config::Type::kBandwidth, "Bandwidth per direction.").require();
    return s;
  }
};

TIERSIM_REGISTER_LINK("simple", SimpleLink,
                      "A bandwidth per direction carrying payload only (no protocol overhead).");

}  // namespace tiersim::models
