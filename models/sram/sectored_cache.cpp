#include "models/sram/sectored_cache.h"

#include <fmt/format.h>

#include <stdexcept>

#include "models/sram/cycles.h"
#include "sim/config/config_error.h"

namespace tiersim::models {

using config::Type;

namespace {

std::uint32_t u32(const config::Node& cfg, const char* key) {
  const std::uint64_t v = cfg.get_uint(key);
  if (v > 0xFFFF'FFFFULL) {
    throw config::ConfigError(cfg.at(key).origin(), fmt::format("{}: at most 4294967295", key));
  }
  return static_cast<std::uint32_t>(v);
}

Frequency clock_of(const config::Node& cfg) {
  const Frequency f = cfg.get_frequency("clock");
  if (f.as_hz() <= 0.0) throw config::ConfigError(cfg.at("clock").origin(), "clock: must be > 0");
  return f;
}

sram::SectoredCacheParams params_from(const config::Node& cfg) {
  const Frequency clock = clock_of(cfg);
  sram::SectoredCacheParams p;
  p.capacity = cfg.get_size("capacity");
  p.ways = u32(cfg, "ways");
  p.partitions = u32(cfg, "partitions");
  p.hashed_sets = cfg.get_bool("hashed_sets");
  p.near_latency = sram::cycles_to_time(cfg.get_uint("near_hit_cycles"), clock);
  const std::uint64_t far = cfg.get_uint("far_hit_cycles");
  p.far_latency = far == 0 ? p.near_latency : sram::cycles_to_time(far, clock);
  p.partition_bandwidth = cfg.get_bandwidth("partition_bandwidth");
  // Report a bad geometry at the capacity key, where it is usually fixed.
  try {
    (void)sram::CacheGeometry::make(p.capacity, p.ways, p.partitions);
  } catch (const std::invalid_argument& e) {
    throw config::ConfigError(cfg.at("capacity").origin(), e.what());
  }
  return p;
}

}  // namespace

SectoredCacheConfig sectored_cache_config(const config::Node& cfg) {
  return {params_from(cfg),
          sram::cycles_to_time(cfg.get_uint("backing_latency_cycles"), clock_of(cfg)),
          cfg.get_bandwidth("backing_bandwidth")};
}

config::SchemaPtr SectoredCache::schema() {
  auto s = std::make_shared<config::Schema>("sectored_cache");
  s->add("capacity", Type::kSize,
         "Data capacity; a multiple of 128 B x ways x partitions (e.g. 50 MiB).")
      .require();
  s->add("ways", Type::kUInt, "Associativity (lines per set).").default_to("16").at_least(1);
  s->add("partitions", Type::kUInt,
         "Capacity partitions (a power of two); lines map to one by an XOR hash of the line "
         "index. A requester's near partition is its component id modulo this.")
      .default_to("1")
      .at_least(1);
  s->add("hashed_sets", Type::kBool,
         "Hash the set index (each run of sets-per-partition lines rotated by a hash of its "
         "number) instead of taking it modulo; spreads strided footprints, as GPU L2s do.")
      .default_to("false");
  s->add("clock", Type::kFrequency, "Clock the cycle counts below are in.").require();
  s->add("near_hit_cycles", Type::kUInt, "Hit latency from the requester's near partition.")
      .require();
  s->add("far_hit_cycles", Type::kUInt,
         "Hit latency from another partition (0 = same as near_hit_cycles).")
      .default_to("0");
  s->add("partition_bandwidth", Type::kBandwidth,
         "Data-port bandwidth of one partition (0 = unlimited).")
      .default_to("0 B/s");
  s->add("backing_latency_cycles", Type::kUInt,
         "What a miss adds beyond a hit (built-in backing memory, see docs/models/sram.md).")
      .default_to("0");
  s->add("backing_bandwidth", Type::kBandwidth, "Bandwidth of the built-in backing memory.")
      .require();
  s->add("source", Type::kString,
         "Where the numbers come from (datasheet, paper + table, measured, assumed).")
      .default_to("assumed");
  return s;
}

SectoredCache::SectoredCache(const kernel::BuildContext& ctx)
    : SectoredCache(ctx, sectored_cache_config(ctx.cfg)) {}

SectoredCache::SectoredCache(const kernel::BuildContext& ctx, const SectoredCacheConfig& c)
    : Component(ctx),
      backing_(c.backing_latency, c.backing_bandwidth),
      timing_(c.cache, backing_),
      reads_(stats().counter("reads", "Read requests served")),
      writes_(stats().counter("writes", "Write requests served")),
      bytes_read_(stats().counter("bytes_read", "Bytes read")),
      bytes_written_(stats().counter("bytes_written", "Bytes written")),
      line_accesses_(stats().counter("line_accesses", "Lines touched by requests")),
      hits_(stats().counter("hits", "Lines with every touched sector present")),
      sector_misses_(stats().counter("sector_misses", "Lines present, some touched sector not")),
      misses_(stats().counter("misses", "Lines absent")),
      sectors_(stats().counter("sectors", "Sectors touched")),
      sector_hits_(stats().counter("sector_hits", "Sectors touched that were present")),
      write_backs_(stats().counter("write_backs", "Evicted lines with dirty sectors")),
      sectors_written_back_(stats().counter("sectors_written_back", "Dirty sectors written back")),
      bytes_fetched_(stats().counter("bytes_fetched", "Bytes filled from the backing memory")),
      port_busy_ps_(stats().counter("port_busy_ps", "Sum of the partitions' port busy time, ps")) {}

kernel::DataWindow SectoredCache::serve(const kernel::TxnExtension& txn, kernel::DataWindow in) {
  if (txn.kind == kernel::TxnKind::kWrite) {
    writes_.add();
    bytes_written_.add(txn.bytes.count());
  } else {
    reads_.add();
    bytes_read_.add(txn.bytes.count());
  }
  return timing_.access(txn.kind, in.first, in.last, txn.address, txn.bytes, txn.source);
}

void SectoredCache::finalize(Time /*end*/) {
  const sram::CacheCounts& c = timing_.counts();
  line_accesses_.value = c.line_accesses;
  hits_.value = c.hits;
  sector_misses_.value = c.sector_misses;
  misses_.value = c.misses;
  sectors_.value = c.sectors;
  sector_hits_.value = c.sector_hits;
  write_backs_.value = c.write_backs;
  sectors_written_back_.value = c.sectors_written_back;
  bytes_fetched_.value = timing_.bytes_fetched();
  port_busy_ps_.value = static_cast<std::uint64_t>(timing_.port_busy().ps());
}

TIERSIM_REGISTER_COMPONENT("sectored_cache", SectoredCache,
                           "Sectored set-associative write-back cache (GPU L2) with partitions.");

}  // namespace tiersim::models
