#include "models/gpu/memory_path.h"

#include <algorithm>
#include <stdexcept>

#include "models/dram/spec.h"
#include "models/sram/cycles.h"
#include "models/sram/sectored_cache.h"
#include "sim/config/loader.h"

namespace tiersim::models::gpu {

// L2 misses and write-backs go to the HBM model.
class SimulatedMemoryPath::Backing final : public sram::BackingMemory {
 public:
  explicit Backing(dram::Engine& e) : engine_(e) {}
  kernel::DataWindow read(Time at, std::uint64_t address, Bytes bytes) override {
    const dram::DramResult r = engine_.serve({address, bytes, false, at});
    return {r.first, r.last};
  }
  void write(Time at, std::uint64_t address, Bytes bytes) override {
    (void)engine_.serve({address, bytes, true, at});
  }

 private:
  dram::Engine& engine_;
};

namespace {

config::Node validated(const std::string& path, const config::Schema& schema,
                       const std::string& type) {
  config::Node n = config::load_file(path);
  config::Schema with_type(schema.name());
  for (const auto& f : schema.fields()) with_type.add(f.key, f.type, f.doc) = f;
  with_type.add("type", config::Type::kString, "Component type.").one_of({type});
  config::validate(n, with_type, type);
  return n;
}

}  // namespace

SimulatedMemoryPath::SimulatedMemoryPath(const std::string& l2_preset,
                                         const std::string& hbm_preset, Bytes request,
                                         std::uint32_t outstanding)
    : request_(request), in_flight_(outstanding, Time::zero()) {
  if (request.count() == 0 || outstanding == 0) {
    throw std::invalid_argument("memory path: request and outstanding must be > 0");
  }
  const config::SchemaPtr dram_schema = dram::dram_schema();
  const config::Node h = validated(hbm_preset, *dram_schema, "dram");
  hbm_ = dram::spec_from_config(h);
  mapping_ = std::make_unique<dram::AddressMapping>(hbm_, h.at("mapping").origin());
  engine_ = std::make_unique<dram::FastEngine>(hbm_, *mapping_);
  backing_ = std::make_unique<Backing>(*engine_);
  const config::SchemaPtr l2_schema = SectoredCache::schema();
  const config::Node c = validated(l2_preset, *l2_schema, "sectored_cache");
  const Frequency clock = c.get_frequency("clock");
  sram::SectoredCacheParams p;
  p.capacity = c.get_size("capacity");
  p.ways = static_cast<std::uint32_t>(c.get_uint("ways"));
  p.partitions = static_cast<std::uint32_t>(c.get_uint("partitions"));
  p.hashed_sets = c.get_bool("hashed_sets");
  p.near_latency = sram::cycles_to_time(c.get_uint("near_hit_cycles"), clock);
  const std::uint64_t far = c.get_uint("far_hit_cycles");
  p.far_latency = far == 0 ? p.near_latency : sram::cycles_to_time(far, clock);
  p.partition_bandwidth = c.get_bandwidth("partition_bandwidth");
  partitions_ = std::max<std::uint32_t>(1, p.partitions);
  l2_ = std::make_unique<sram::SectoredCacheTiming>(p, *backing_);
}

SimulatedMemoryPath::~SimulatedMemoryPath() = default;

Time SimulatedMemoryPath::stream(Bytes read, Bytes written, Time at, std::uint64_t read_base) {
  Time end = at;
  Time issue = at;
  std::uint32_t home = 0;
  std::size_t slot = 0;
  std::fill(in_flight_.begin(), in_flight_.end(), at);
  const auto run = [&](kernel::TxnKind kind, std::uint64_t base, Bytes total) {
    for (std::uint64_t off = 0; off < total.count(); off += request_.count()) {
      const Bytes n(std::min(request_.count(), total.count() - off));
      issue = max(issue, in_flight_[slot]);
      const kernel::DataWindow w = l2_->access(kind, issue, issue, base + off, n, home);
      in_flight_[slot] = w.last;
      slot = (slot + 1) % in_flight_.size();
      home = (home + 1) % partitions_;
      end = max(end, w.last);
    }
  };
  run(kernel::TxnKind::kRead, read_base, read);
  run(kernel::TxnKind::kWrite, read_base + read.count(), written);
  return end;
}

}  // namespace tiersim::models::gpu
