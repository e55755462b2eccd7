// A CXL Type-3 expander on a host with local DDR5, through the CLI (configs/systems/cxl_host.yaml):
// the idle-latency pointer chase and the streaming-bandwidth ratios against local DDR5 (CXL-DMSim
// silicon measurements of an ASIC expander: 2.18x latency, 82-83% bandwidth;
// ../shared/targets/devices.yaml `cxl_type3_measured`), the read/write-mix effect of the
// full-duplex flit link, DMA from a PCIe device, and config errors.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tests/common/h5_results.h"
#include "tests/common/test_util.h"

namespace tiersim::test {
namespace {

const std::string kSystem = source_dir() + "/configs/systems/cxl_host.yaml";

struct Run {
  h5::Results res;
  TempDir dir;
  [[nodiscard]] h5::Attrs group(const std::string& g) const {
    return h5::read_group_attrs((dir.path() / "r.h5").string(), "/components/" + g);
  }
};

std::unique_ptr<Run> run(const std::string& workload, const std::vector<std::string>& sets = {}) {
  auto r = std::make_unique<Run>();
  std::string args = fmt::format("run {} -q --no-progress -o {} --set {}", shell_quote(kSystem),
                                 shell_quote((r->dir.path() / "r.h5").string()),
                                 shell_quote("workloads=[" + workload + "]"));
  for (const auto& s : sets) args += " --set " + shell_quote(s);
  const auto c = run_tiersim(args);
  EXPECT_EQ(c.exit_code, 0) << c.err;
  r->res = h5::read_results((r->dir.path() / "r.h5").string());
  return r;
}

// Dependent 64 B loads: one in flight, random lines over 8 GiB (lmbench lat_mem_rd style).
double chase_ns(const std::string& target) {
  const auto r = run(fmt::format(
      "{{type: synthetic, name: chase, source: cpu, target: {}, pattern: random, requests: 4000, "
      "size: 64 B, footprint: 8 GiB, max_outstanding: 1}}",
      target));
  return static_cast<double>(h5::i64(r->res.summary, "latency_mean_ps")) * 1e-3;
}

// Cache-line stream, `read_fraction` reads, 512 lines in flight (many cores' misses).
double stream_gbps(const std::string& target, double read_fraction, std::uint64_t requests) {
  const auto r = run(fmt::format(
      "{{type: synthetic, name: stream, source: cpu, target: {}, pattern: sequential, requests: "
      "{}, size: 64 B, footprint: 1 GiB, read_fraction: {}, max_outstanding: 512}}",
      target, requests, read_fraction));
  return h5::f64(r->res.summary, "bandwidth_GBps");
}

// The x8 Gen5 link's per-direction rate after 128b/130b (SKP is in the wire bytes), B/s.
const double kRaw = 32e9 * 8 * 128.0 / 130.0 / 8.0;

TEST(CxlSystem, IdleLatencyRatioToLocalDdr5LandsOnTheAsicMeasurement) {
  const double local = chase_ns("ddr");
  const double cxl = chase_ns("cxl_mem");
  // Local: 2 x 35 ns core path + the DDR5 model's random access (tRP+tRCD+CL+burst ~46 ns, some
  // row misses and refresh): ~111 ns. CXL adds 2 x (25 root port + 2 flight + 40 device) ns plus
  // the flits' serialization: ~244 ns.
  EXPECT_GT(local, 100.0);
  EXPECT_LT(local, 125.0);
  // The two runs see different DRAM row-buffer and refresh outcomes (their timing differs), so
  // the difference is the added path (134 ns + ~3 ns of flit serialization) within a few ns.
  EXPECT_NEAR(cxl - local, 2 * (25 + 2 + 40) + 3.0, 8.0);
  EXPECT_NEAR(cxl / local, 2.18, 0.10 * 2.18) << "local " << local << " ns, CXL " << cxl << " ns";
}

TEST(CxlSystem, StreamingReadBandwidthRatioToLocalDdr5LandsOnTheAsicMeasurement) {
  const double local = stream_gbps("ddr", 1.0, 100000);
  const double cxl = stream_gbps("cxl_mem", 1.0, 100000);
  // Local: one DDR5-4800 channel with refresh, ~35 GB/s. CXL: bound by S2M flits, 64 B of data
  // per 4 + 1/3 slots, each 17 B (ceil to 74 B per line): 31.508 x 64/74 = 27.25 GB/s.
  EXPECT_NEAR(cxl, 64.0 / 74.0 * kRaw * 1e-9, 0.01 * 27.25);
  EXPECT_NEAR(cxl / local, 0.82, 0.10 * 0.82) << "local " << local << ", CXL " << cxl << " GB/s";
}

TEST(CxlSystem, ReadWriteMixLoadsBothDirectionsOfTheFlitLink) {
  // Against an ideal 38.4 GB/s device memory, the link alone sets the curve: reads are bound by
  // S2M (13/3 slots per line), writes by M2S (5 slots), and a mix uses both directions.
  const double reads = stream_gbps("cxl_ideal", 1.0, 60000);
  const double writes = stream_gbps("cxl_ideal", 0.0, 60000);
  const double two_to_one = stream_gbps("cxl_ideal", 2.0 / 3.0, 60000);
  EXPECT_NEAR(reads, 64.0 / 74.0 * kRaw * 1e-9, 0.01 * reads);
  EXPECT_NEAR(writes, 64.0 / 86.0 * kRaw * 1e-9, 0.01 * writes);
  // 2:1 (Micron's CZ120 figure, 36 GB/s): S2M carries 2/3 x 13/3 + 1/3 x 1/2 = 3.06 slots per
  // line, M2S 2/3 + 5/3 = 2.33: both directions below the 38.4 GB/s memory.
  EXPECT_GT(two_to_one, 1.3 * reads);
  EXPECT_NEAR(two_to_one, 38.4, 0.03 * 38.4);
}

TEST(CxlSystem, DmaFromAPcieDeviceReachesCxlMemoryAndNeverLocalDram) {
  // A GPU copy engine reading 64 MiB of CXL memory in 2 MiB chunks, two in flight.
  const auto r =
      run("{type: synthetic, name: dma, source: gpu, target: cxl_mem, pattern: sequential, "
          "requests: 32, size: 2 MiB, footprint: 64 MiB, max_outstanding: 2}");
  EXPECT_EQ(h5::u64(r->group("cxl0"), "bytes_read"), 64u << 20);
  EXPECT_EQ(h5::u64(r->group("ddr"), "bytes_read"), 0u);
  // Bound by the CXL link's S2M flits (27.25 GB/s), below PCIe Gen5 x16 (58 GB/s).
  const double bw = static_cast<double>(64u << 20) /
                    static_cast<double>(h5::i64(r->res.summary, "sim_time_ps")) * 1e3;
  EXPECT_NEAR(bw, 27.2, 0.03 * 27.2);
}

TEST(CxlSystem, Gen6LinkWith68ByteFlitsIsAConfigError) {
  const auto c =
      run_tiersim(fmt::format("run {} -q --no-progress -o /dev/null --set {} "
                              "--set system.links.3.generation=6",
                              shell_quote(kSystem),
                              shell_quote("workloads=[{type: synthetic, source: cpu, target: "
                                          "cxl_mem, requests: 1}]")));
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.err.find("a Gen6 (64 GT/s) PHY carries only 256 B flits (CXL 3.x)"),
            std::string::npos)
      << c.err;
}

}  // namespace
}  // namespace tiersim::test
