// endpoint: a node that issues requests (a host, a GPU, a DMA engine) but serves none.
#include <stdexcept>

#include "sim/kernel/component.h"

namespace tiersim::models {

class Endpoint : public kernel::Component {
 public:
  explicit Endpoint(const kernel::BuildContext& ctx) : Component(ctx) {}
  static config::SchemaPtr schema() { return std::make_shared<config::Schema>("endpoint"); }
  [[nodiscard]] bool serves_requests() const override { return false; }
  kernel::DataWindow serve(const kernel::TxnExtension&, kernel::DataWindow) override {
    throw std::logic_error("endpoint '" + component_name() + "' cannot serve requests");
  }
};

TIERSIM_REGISTER_COMPONENT("endpoint", Endpoint,
                           "A node that issues requests (host, GPU, DMA engine) and serves none.");

}  // namespace tiersim::models
