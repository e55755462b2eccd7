// L2 hit rate vs footprint for a streaming kernel (issue 3 item 6): the capacity cliff.
//
// Reads a `sectored_cache` preset (default configs/sram/h100_l2.yaml), then for footprints from
// 1 MiB to 128 MiB runs repeated sequential read passes (one warm-up pass, two measured passes,
// requests of the given size issued open-loop) and prints the sector hit rate, line outcomes and
// the achieved bandwidth of the measured passes:
//   tiersim_l2_sweep [preset.yaml] [request size, e.g. "4 KiB"]
#include <fmt/format.h>

#include <cstdlib>
#include <exception>
#include <string>
#include <systemc>

#include "sim/kernel/sc_entry.h"

#include "models/sram/sectored_cache.h"
#include "models/sram/streaming_passes.h"
#include "sim/config/loader.h"
#include "sim/config/schema.h"
#include "sim/config/units_parse.h"
#include "sim/kernel/component.h"

namespace {

int sweep(const std::string& preset, const std::string& request_text) {
  using namespace tiersim;
  config::Node node = config::load_file(preset);
  config::validate(node, *kernel::component_schema("sectored_cache"), "l2");
  const models::SectoredCacheConfig c = models::sectored_cache_config(node);
  const Bytes request = config::parse_size(request_text);
  fmt::print("# {}: capacity {} MiB, {} ways, {} partitions; near/far hit {}/{} ps; {} B reads\n",
             preset, c.cache.capacity.count() >> 20, c.cache.ways, c.cache.partitions,
             c.cache.near_latency.ps(), c.cache.far_latency.ps(), request.count());
  fmt::print("{:>13} {:>9} {:>10} {:>10} {:>10} {:>12}\n", "footprint_MiB", "hit_rate", "line_hits",
             "sect_miss", "line_miss", "achieved_GB/s");
  for (const std::uint64_t mib :
       {1, 2, 4, 8, 16, 24, 32, 40, 44, 48, 50, 51, 52, 56, 64, 80, 96, 128}) {
    const auto r = models::sram::streaming_passes(c.cache, c.backing_latency, c.backing_bandwidth,
                                                  Bytes::MiB(mib), request, 1, 2);
    fmt::print("{:>13} {:>9.4f} {:>10} {:>10} {:>10} {:>12.1f}\n", mib, r.counts.sector_hit_rate(),
               r.counts.hits, r.counts.sector_misses, r.counts.misses, r.achieved.as_GBps());
  }
  return 0;
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  const std::string preset =
      argc > 1 ? argv[1] : std::string(TIERSIM_SOURCE_DIR) + "/configs/sram/h100_l2.yaml";
  const std::string request = argc > 2 ? argv[2] : "4 KiB";
  try {
    return sweep(preset, request);
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
}

int main(int argc, char* argv[]) {
  return tiersim::kernel::systemc_main(argc, argv);
}
