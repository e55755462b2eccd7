// synthetic: sequential, strided or uniformly random requests from a seeded generator.
#include <fmt/format.h>

#include <random>

#include "sim/config/config_error.h"
#include "sim/replay/request_source.h"

namespace tiersim::replay {

class SyntheticSource : public RequestSource {
 public:
  explicit SyntheticSource(const WorkloadContext& ctx)
      : name_(ctx.name),
        pattern_(parse_pattern(ctx.cfg.get_string("pattern"))),
        count_(ctx.cfg.get_uint("requests")),
        size_(ctx.cfg.get_size("size")),
        read_fraction_(ctx.cfg.get_double("read_fraction")),
        interval_(ctx.cfg.get_time("interval")),
        base_(ctx.cfg.get_size("base_address").count()),
        footprint_(ctx.cfg.get_size("footprint").count()),
        stride_(ctx.cfg.find("stride") ? ctx.cfg.get_size("stride").count() : size_.count()),
        rng_(ctx.seed) {
    if (size_.count() == 0) {
      throw config::ConfigError(ctx.cfg.at("size").origin(), "size must be > 0");
    }
    if (footprint_ < size_.count()) {
      throw config::ConfigError(ctx.cfg.at("footprint").origin(),
                                "footprint must be at least one request size");
    }
    if (read_fraction_ < 0.0 || read_fraction_ > 1.0) {
      throw config::ConfigError(ctx.cfg.at("read_fraction").origin(),
                                "read_fraction must be in [0, 1]");
    }
    slots_ = footprint_ / size_.count();
    step_ = pattern_ == Pattern::kStrided ? stride_ : size_.count();
  }

  static config::SchemaPtr schema() {
    auto s = std::make_shared<config::Schema>("synthetic");
    s->add("pattern", config::Type::kString, "Address pattern.")
        .default_to("sequential")
        .one_of({"sequential", "strided", "random"});
    s->add("requests", config::Type::kUInt, "Number of requests.").require();
    s->add("size", config::Type::kSize, "Bytes per request.").default_to("64 B");
    s->add("read_fraction", config::Type::kFloat, "Share of reads (the rest are writes).")
        .default_to("1.0");
    s->add("interval", config::Type::kTime,
           "Time between arrivals; 0 issues as fast as max_outstanding allows.")
        .default_to("0 ns");
    s->add("base_address", config::Type::kSize, "First address.").default_to("0 B");
    s->add("footprint", config::Type::kSize, "Address range covered (wraps around).")
        .default_to("1 GiB");
    s->add("stride", config::Type::kSize, "Distance between strided requests. Default: size.");
    return s;
  }

  bool next(Request& out) override {
    if (issued_ == count_) return false;
    out.arrival = interval_ * static_cast<std::int64_t>(issued_);
    std::uint64_t offset = 0;
    switch (pattern_) {
      case Pattern::kRandom:
        offset = (rng_() % slots_) * size_.count();
        break;
      case Pattern::kStrided:
      case Pattern::kSequential:
        // offset_ walks the footprint by step_ and wraps (no division per request).
        offset = offset_;
        offset_ += step_;
        if (offset_ + size_.count() > footprint_) offset_ = 0;
        break;
    }
    out.address = base_ + offset;
    out.bytes = size_;
    if (read_fraction_ >= 1.0) {
      out.kind = kernel::TxnKind::kRead;
    } else if (read_fraction_ <= 0.0) {
      out.kind = kernel::TxnKind::kWrite;
    } else {
      // 53 random bits -> [0,1): exact and platform independent (mt19937_64 is fully specified).
      const double u = static_cast<double>(rng_() >> 11) * 0x1.0p-53;
      out.kind = u < read_fraction_ ? kernel::TxnKind::kRead : kernel::TxnKind::kWrite;
    }
    out.stream = 0;
    ++issued_;
    return true;
  }
  const std::vector<std::string>& streams() const override { return streams_; }
  double progress() const override {
    return count_ == 0 ? 1.0 : static_cast<double>(issued_) / static_cast<double>(count_);
  }
  std::string where() const override {
    return fmt::format("workload '{}': request {}", name_, issued_);
  }

 private:
  enum class Pattern { kSequential, kStrided, kRandom };
  static Pattern parse_pattern(const std::string& p) {
    if (p == "random") return Pattern::kRandom;
    if (p == "strided") return Pattern::kStrided;
    return Pattern::kSequential;
  }
  std::string name_;
  Pattern pattern_;
  std::uint64_t count_;
  Bytes size_;
  double read_fraction_;
  Time interval_;
  std::uint64_t base_;
  std::uint64_t footprint_;
  std::uint64_t stride_;
  std::uint64_t slots_ = 1;
  std::uint64_t step_ = 0;
  std::uint64_t offset_ = 0;
  std::uint64_t issued_ = 0;
  std::mt19937_64 rng_;
  std::vector<std::string> streams_{"default"};
};

TIERSIM_REGISTER_WORKLOAD("synthetic", SyntheticSource,
                          "Sequential, strided or random requests from a seeded generator.");

}  // namespace tiersim::replay
