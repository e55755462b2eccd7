// End-to-end timing through the `tiersim` binary: small experiments written to a temp dir, run
// with `tiersim run ... -q --no-progress`, results read back from results.h5.
//
// Timing model under test (sim/kernel/link.h, fabric.h, models/basic/ideal_memory.h):
//  - a read sends a 0-byte request over each hop (latency only), the memory's data leaves in
//    [start + M, start + M + bytes/C], and each link on the way back forwards cut-through:
//    busy_end = max(start + bytes/B, tail), out = [start + L, busy_end + L].
//  - a write carries its data forward (cut-through), the memory acks at
//    max(start + bytes/C, last byte in) + M, and the ack crosses each hop in L.
// So for one request on an idle host -L,B- mem(M, C) system:
//    read  = L + M + max(ceil(bytes/B), ceil(bytes/C)) + L
//    write = L + max(ceil(bytes/B), ceil(bytes/C)) + M + L
// (a store-and-forward model would add the two transfer times instead of taking the max).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>

#include "tests/common/h5_results.h"
#include "tests/common/test_util.h"

namespace tiersim::test {
namespace {

namespace fs = std::filesystem;
using h5::f64;
using h5::i64;
using h5::u64;

// host --(3 GB/s, 500 ns)-- mem (100 ns, 7 GB/s): the link is the bottleneck.
//   64 B:   link ceil(64000/3)   = 21334 ps,   memory ceil(64000/7)   = 9143 ps
//   4096 B: link ceil(4096000/3) = 1365334 ps, memory ceil(4096000/7) = 585143 ps
const char* const kLinkBound = R"(
system:
  components:
    host:
      type: endpoint
    mem:
      type: ideal_memory
      latency: 100 ns
      bandwidth: 7 GB/s
  links:
    - between: [host, mem]
      bandwidth: 3 GB/s
      latency: 500 ns
)";

// host --(25 GB/s, 250 ns)-- mem (40 ns, 3 GB/s): the memory is the bottleneck.
//   64 B:   link 64e12/25e9 = 2560 ps,     memory 21334 ps
//   4096 B: link 4096e12/25e9 = 163840 ps, memory 1365334 ps
const char* const kMemoryBound = R"(
system:
  components:
    host:
      type: endpoint
    mem:
      type: ideal_memory
      latency: 40 ns
      bandwidth: 3 GB/s
  links:
    - between: [host, mem]
      bandwidth: 25 GB/s
      latency: 250 ns
)";

struct SimRun {
  CommandResult cmd;
  h5::Results res;
  fs::path path;
};

// Runs `tiersim run <dir>/<name>.yaml -o <dir>/<name>.h5` (plus `extra` arguments) and reads
// the results. A failed run throws with tiersim's stderr.
SimRun run_yaml(const TempDir& dir, const std::string& name, const std::string& yaml,
                const std::string& extra = "") {
  const fs::path cfg = dir.write(name + ".yaml", yaml);
  const fs::path out = dir.path() / (name + ".h5");
  SimRun r;
  r.cmd = run_tiersim(fmt::format("run {} -o {} -q --no-progress {}", shell_quote(cfg.string()),
                                  shell_quote(out.string()), extra));
  if (r.cmd.exit_code != 0) {
    throw std::runtime_error(
        fmt::format("tiersim exited {}:\n{}{}", r.cmd.exit_code, r.cmd.out, r.cmd.err));
  }
  r.res = h5::read_results(out.string());
  r.path = out;
  return r;
}

// An experiment: `system` plus one device_trace workload host -> mem reading `trace_file`.
std::string trace_experiment(const std::string& system, const std::string& trace_file,
                             const std::string& extra_workload_keys = "") {
  return fmt::format(R"(name: e2e
seed: 1
kernel:
  quantum: 0 ns
{}
workloads:
  - name: trace
    type: device_trace
    trace: {}
    source: host
    target: mem
{}
)",
                     system, trace_file, extra_workload_keys);
}

// ---- exact latencies of single requests ------------------------------------------------------

TEST(EndToEnd, Read64BytesLinkBoundExactCompletion) {
  TempDir dir;
  dir.write("t.trace", "0 R 0x0 64\n");
  const SimRun r = run_yaml(dir, "exp", trace_experiment(kLinkBound, "t.trace"));
  ASSERT_EQ(r.res.requests.size(), 1u);
  const auto& q = r.res.requests[0];
  // Request over the link: 500000. Memory: start 500000, first byte 600000, last 609143.
  // Back over the link: start 600000, busy_end = max(600000 + 21334, 609143) = 621334,
  // last byte at the host 621334 + 500000 = 1121334 ps.
  // (Store-and-forward would give 500000 + 100000 + 9143 + 21334 + 500000 = 1130477.)
  EXPECT_EQ(q.issue_ps, 0);
  EXPECT_EQ(q.arrival_ps, 0);
  EXPECT_EQ(q.complete_ps, 1121334);
  EXPECT_EQ(q.kind, 0);
  EXPECT_EQ(q.bytes, 64u);
  EXPECT_EQ(r.res.components, (std::vector<std::string>{"host", "mem"}));
  EXPECT_EQ(q.source, 0);
  EXPECT_EQ(q.target, 1);
  // One request: every latency figure is that request's, and the run ends with it.
  EXPECT_EQ(i64(r.res.summary, "latency_max_ps"), 1121334);
  EXPECT_EQ(i64(r.res.summary, "latency_min_ps"), 1121334);
  EXPECT_EQ(i64(r.res.summary, "latency_mean_ps"), 1121334);
  EXPECT_EQ(i64(r.res.summary, "sim_time_ps"), 1121334);
  EXPECT_EQ(u64(r.res.summary, "reads"), 1u);
  EXPECT_EQ(u64(r.res.summary, "writes"), 0u);
  EXPECT_EQ(u64(r.res.summary, "bytes_read"), 64u);
}

TEST(EndToEnd, Write4KiBLinkBoundDataForwardAckBack) {
  TempDir dir;
  dir.write("t.trace", "0 W 0x1000 4096\n");
  const SimRun r = run_yaml(dir, "exp", trace_experiment(kLinkBound, "t.trace"));
  ASSERT_EQ(r.res.requests.size(), 1u);
  // Data forward: link [0, 1365334) -> window at mem [500000, 1865334].
  // Memory: start 500000, port busy until 1085143; ack = max(1085143, 1865334) + 100000 = 1965334.
  // Ack back over the link: + 500000 = 2465334 ps.
  EXPECT_EQ(r.res.requests[0].kind, 1);
  EXPECT_EQ(r.res.requests[0].complete_ps, 2465334);
  EXPECT_EQ(i64(r.res.summary, "latency_max_ps"), 2465334);
  EXPECT_EQ(u64(r.res.summary, "writes"), 1u);
  EXPECT_EQ(u64(r.res.summary, "bytes_written"), 4096u);
}

TEST(EndToEnd, LinkBoundSequenceOfIsolatedRequests) {
  // Requests 10 us apart: every resource is idle again when the next one arrives.
  TempDir dir;
  dir.write("t.trace", "0 R 0x0 64\n10000 W 0x1000 4096\n20000 R 0x2000 4096\n");
  const SimRun r = run_yaml(dir, "exp", trace_experiment(kLinkBound, "t.trace"));
  ASSERT_EQ(r.res.requests.size(), 3u);
  const auto& q = r.res.requests;
  // #0 read 64 B: 1121334 (see Read64BytesLinkBoundExactCompletion).
  EXPECT_EQ(q[0].complete_ps, 1121334);
  // #1 write 4096 B at 10 us: 10000000 + 500000 + 1365334 + 100000 + 500000 = 12465334.
  EXPECT_EQ(q[1].issue_ps, 10000000);
  EXPECT_EQ(q[1].complete_ps, 12465334);
  // #2 read 4096 B at 20 us: memory data [20600000, 21185143]; link back
  // busy_end = max(20600000 + 1365334, 21185143) = 21965334; + 500000 = 22465334.
  EXPECT_EQ(q[2].issue_ps, 20000000);
  EXPECT_EQ(q[2].complete_ps, 22465334);
  EXPECT_EQ(i64(r.res.summary, "latency_min_ps"), 1121334);
  EXPECT_EQ(i64(r.res.summary, "latency_max_ps"), 2465334);
  EXPECT_EQ(i64(r.res.summary, "sim_time_ps"), 22465334);
  EXPECT_EQ(u64(r.res.summary, "requests"), 3u);

  // Component statistics. Link host_mem: host->mem carried the write's 4096 B (1 transfer; read
  // requests are 0-byte control messages and are not counted); mem->host 64 + 4096 = 4160 B.
  const auto link = h5::read_group_attrs(r.path.string(), "/components/host_mem");
  EXPECT_EQ(u64(link, "bytes_host_to_mem"), 4096u);
  EXPECT_EQ(u64(link, "transfers_host_to_mem"), 1u);
  EXPECT_EQ(u64(link, "bytes_mem_to_host"), 4160u);
  EXPECT_EQ(u64(link, "transfers_mem_to_host"), 2u);
  // Memory: 2 reads (4160 B), 1 write (4096 B); port busy 9143 + 585143 + 585143 = 1179429 ps.
  const auto mem = h5::read_group_attrs(r.path.string(), "/components/mem");
  EXPECT_EQ(u64(mem, "reads"), 2u);
  EXPECT_EQ(u64(mem, "writes"), 1u);
  EXPECT_EQ(u64(mem, "bytes_read"), 4160u);
  EXPECT_EQ(u64(mem, "bytes_written"), 4096u);
  EXPECT_EQ(u64(mem, "busy_ps"), 1179429u);
}

TEST(EndToEnd, MemoryBoundSequenceOfIsolatedRequests) {
  TempDir dir;
  dir.write("t.trace", "0 R 0x0 64\n10000 W 0x1000 4096\n20000 R 0x2000 4096\n");
  const SimRun r = run_yaml(dir, "exp", trace_experiment(kMemoryBound, "t.trace"));
  ASSERT_EQ(r.res.requests.size(), 3u);
  const auto& q = r.res.requests;
  // #0 read 64 B: request at mem 250000; data [290000, 311334]; link back start 290000,
  // busy_end = max(290000 + 2560, 311334) = 311334; + 250000 = 561334.
  // (Store-and-forward: 250000 + 40000 + 21334 + 2560 + 250000 = 563894.)
  EXPECT_EQ(q[0].complete_ps, 561334);
  // #1 write 4096 B at 10 us: data forward [10000000, 10163840) -> at mem [10250000, 10413840];
  // memory start 10250000, ack = max(10250000 + 1365334, 10413840) + 40000 = 11655334;
  // ack back + 250000 = 11905334.
  EXPECT_EQ(q[1].complete_ps, 11905334);
  // #2 read 4096 B at 20 us: data [20290000, 21655334]; link back
  // busy_end = max(20290000 + 163840, 21655334) = 21655334; + 250000 = 21905334.
  EXPECT_EQ(q[2].complete_ps, 21905334);
  EXPECT_EQ(i64(r.res.summary, "latency_min_ps"), 561334);
  EXPECT_EQ(i64(r.res.summary, "latency_max_ps"), 1905334);
  // Memory port busy 21334 + 1365334 + 1365334 = 2752002 ps.
  const auto mem = h5::read_group_attrs(r.path.string(), "/components/mem");
  EXPECT_EQ(u64(mem, "busy_ps"), 2752002u);
}

TEST(EndToEnd, MultiHopCutThroughWriteAndRead) {
  // host --(10 GB/s, 100 ns)-- sw --(5 GB/s, 200 ns)-- mem (30 ns, 20 GB/s)
  // 1000 B: 100000 ps on the first link, 200000 ps on the second, 50000 ps in the memory.
  TempDir dir;
  dir.write("t.trace", "0 W 0x0 1000\n10000 R 0x1000 1000\n");
  const std::string yaml = R"(name: hops
system:
  components:
    host: {type: endpoint}
    sw: {type: endpoint}
    mem: {type: ideal_memory, latency: 30 ns, bandwidth: 20 GB/s}
  links:
    - {between: [host, sw], bandwidth: 10 GB/s, latency: 100 ns}
    - {between: [sw, mem], bandwidth: 5 GB/s, latency: 200 ns}
workloads:
  - {type: device_trace, trace: t.trace, source: host, target: mem}
)";
  const SimRun r = run_yaml(dir, "hops", yaml);
  ASSERT_EQ(r.res.requests.size(), 2u);
  // Write: hop 1 [0, 100000) -> out [100000, 200000]; hop 2 start 100000,
  // busy_end = max(100000 + 200000, 200000) = 300000 -> out [300000, 500000]; memory start
  // 300000, ack = max(300000 + 50000, 500000) + 30000 = 530000; ack back 200000 + 100000:
  // 830000.
  EXPECT_EQ(r.res.requests[0].complete_ps, 830000);
  // Read at 10 us: request at mem 10300000; data [10330000, 10380000]; hop 2 back start
  // 10330000, busy_end = max(10330000 + 200000, 10380000) = 10530000 -> out [10530000, 10730000];
  // hop 1 back start 10530000, busy_end = max(10530000 + 100000, 10730000) = 10730000 -> out
  // last 10830000.
  EXPECT_EQ(r.res.requests[1].complete_ps, 10830000);
  EXPECT_EQ(i64(r.res.summary, "latency_max_ps"), 830000);
  EXPECT_EQ(i64(r.res.summary, "latency_min_ps"), 830000);
}

TEST(EndToEnd, QuantumZeroServesInitiatorsInTimeOrder) {
  // Two initiators on the link-bound system: A reads 4 KiB at 0 and at 5.5 us, B at 5 us.
  // With quantum 0 B's request (5 us) reaches the memory and link before A's second (5.5 us).
  TempDir dir;
  dir.write("a.trace", "0 R 0x0 4096\n5500 R 0x1000 4096\n");
  dir.write("b.trace", "5000 R 0x2000 4096\n");
  const std::string yaml = fmt::format(R"(name: order
kernel:
  quantum: 0 ns
{}
workloads:
  - {{name: a, type: device_trace, trace: a.trace, source: host, target: mem}}
  - {{name: b, type: device_trace, trace: b.trace, source: host, target: mem}}
)",
                                       kLinkBound);
  const SimRun r = run_yaml(dir, "order", yaml);
  ASSERT_EQ(r.res.requests.size(), 3u);
  std::map<std::int64_t, std::int64_t> complete_by_arrival;
  for (const auto& q : r.res.requests) complete_by_arrival[q.arrival_ps] = q.complete_ps;
  // A1 alone: 2465334.
  EXPECT_EQ(complete_by_arrival[0], 2465334);
  // B at 5 us, resources idle: 5000000 + 2465334 = 7465334 (memory port [5500000, 6085143),
  // link back [5600000, 6965334)).
  EXPECT_EQ(complete_by_arrival[5000000], 7465334);
  // A2 at 5.5 us: at mem 6000000, port free at 6085143 -> data [6185143, 6770286]; link back
  // free at 6965334 -> busy_end = max(6965334 + 1365334, 6770286) = 8330668; + 500000 = 8830668.
  EXPECT_EQ(complete_by_arrival[5500000], 8830668);
}

// ---- back-pressure -----------------------------------------------------------------------

std::string synthetic_experiment(const std::string& system, const std::string& workload_keys,
                                 std::uint64_t seed = 1) {
  return fmt::format(R"(name: e2e
seed: {}
kernel:
  quantum: 0 ns
{}
workloads:
  - name: synth
    type: synthetic
    source: host
    target: mem
{}
)",
                     seed, system, workload_keys);
}

TEST(EndToEnd, MaxOutstandingOneSerializesRequests) {
  TempDir dir;
  const SimRun r = run_yaml(dir, "exp", synthetic_experiment(kLinkBound, R"(    pattern: sequential
    requests: 8
    size: 4096 B
    interval: 0 ns
    max_outstanding: 1)"));
  ASSERT_EQ(r.res.requests.size(), 8u);
  // Each 4 KiB read alone: 500000 + 100000 + max(1365334, 585143) + 500000 = 2465334 ps, and
  // with one slot request k+1 is issued exactly when request k completes.
  const std::int64_t lat = 2465334;
  for (std::size_t k = 0; k < 8; ++k) {
    const auto& q = r.res.requests[k];
    const auto kk = static_cast<std::int64_t>(k);
    EXPECT_EQ(q.arrival_ps, 0) << "request " << k;
    EXPECT_EQ(q.issue_ps, kk * lat) << "request " << k;
    EXPECT_EQ(q.complete_ps, (kk + 1) * lat) << "request " << k;
    EXPECT_EQ(q.address, k * 4096) << "request " << k;
    if (k > 0) {
      EXPECT_EQ(q.issue_ps, r.res.requests[k - 1].complete_ps) << "request " << k;
    }
  }
  // 8 * 2465334 = 19722672 ps.
  EXPECT_EQ(i64(r.res.summary, "sim_time_ps"), 19722672);
  EXPECT_EQ(i64(r.res.summary, "latency_max_ps"), lat);
  EXPECT_EQ(i64(r.res.summary, "latency_min_ps"), lat);
}

TEST(EndToEnd, TwoOutstandingQueueOnMemoryPortAndLink) {
  TempDir dir;
  const SimRun r = run_yaml(dir, "exp", synthetic_experiment(kLinkBound, R"(    pattern: sequential
    requests: 3
    size: 4096 B
    interval: 0 ns
    max_outstanding: 2)"));
  ASSERT_EQ(r.res.requests.size(), 3u);
  const auto& q = r.res.requests;
  // #0 at 0: memory [500000, 1085143), data [600000, 1185143]; link back [600000, 1965334),
  // complete 2465334.
  EXPECT_EQ(q[0].issue_ps, 0);
  EXPECT_EQ(q[0].complete_ps, 2465334);
  // #1 at 0: at mem 500000, port free at 1085143 -> start 1085143, data [1185143, 1770286];
  // link back free at 1965334 -> start 1965334, busy_end = max(1965334 + 1365334, 1770286)
  // = 3330668; complete 3830668.
  EXPECT_EQ(q[1].issue_ps, 0);
  EXPECT_EQ(q[1].complete_ps, 3830668);
  // #2 waits for a slot: issued at #0's completion 2465334; at mem 2965334 (port idle), data
  // [3065334, 3650477]; link back free at 3330668 -> start 3330668,
  // busy_end = max(3330668 + 1365334, 3650477) = 4696002; complete 5196002.
  EXPECT_EQ(q[2].arrival_ps, 0);
  EXPECT_EQ(q[2].issue_ps, 2465334);
  EXPECT_EQ(q[2].complete_ps, 5196002);
  // Latencies 2465334, 3830668, 5196002 - 2465334 = 2730668.
  EXPECT_EQ(i64(r.res.summary, "latency_max_ps"), 3830668);
  EXPECT_EQ(i64(r.res.summary, "latency_min_ps"), 2465334);
}

// ---- two initiators sharing a link ---------------------------------------------------------

TEST(EndToEnd, TwoInitiatorsShareALinkFairly) {
  // h1 --(100 GB/s, 50 ns)-- sw --(10 GB/s, 100 ns)-- mem (50 ns, 1000 GB/s)
  // h2 --(100 GB/s, 50 ns)-- sw
  // Each initiator reads 64 x 1 MiB, one at a time. 1 MiB on the shared link takes
  // T = 1048576e12 / 10e9 = 104857600 ps; everything else is much faster, so the shared link is
  // the bottleneck and alternates between the two initiators.
  TempDir dir;
  const std::string yaml = R"(name: share
kernel:
  quantum: 0 ns
system:
  components:
    h1: {type: endpoint}
    h2: {type: endpoint}
    sw: {type: endpoint}
    mem: {type: ideal_memory, latency: 50 ns, bandwidth: 1000 GB/s}
  links:
    - {between: [h1, sw], bandwidth: 100 GB/s, latency: 50 ns}
    - {between: [h2, sw], bandwidth: 100 GB/s, latency: 50 ns}
    - {between: [sw, mem], bandwidth: 10 GB/s, latency: 100 ns}
workloads:
  - {name: w1, type: synthetic, source: h1, target: mem, requests: 64, size: 1 MiB,
     max_outstanding: 1}
  - {name: w2, type: synthetic, source: h2, target: mem, requests: 64, size: 1 MiB,
     max_outstanding: 1, base_address: 512 MiB}
)";
  const SimRun r = run_yaml(dir, "share", yaml);
  ASSERT_EQ(r.res.requests.size(), 128u);
  std::int64_t end1 = 0;
  std::int64_t end2 = 0;
  std::uint64_t bytes1 = 0;
  std::uint64_t bytes2 = 0;
  for (const auto& q : r.res.requests) {
    if (q.source == 0) {
      end1 = std::max(end1, q.complete_ps);
      bytes1 += q.bytes;
    } else {
      ASSERT_EQ(q.source, 1);
      end2 = std::max(end2, q.complete_ps);
      bytes2 += q.bytes;
    }
  }
  EXPECT_EQ(bytes1, 64u << 20);
  EXPECT_EQ(bytes2, 64u << 20);
  // The shared link starts at 200 ns (request 50 + 100 ns, memory 50 ns) and never idles: while
  // one initiator's transfer is on it, the other's next request arrives. The last transfer ends
  // at 200 ns + 128 T, then 100 ns + 50 ns of latency: 128 * 104857600 + 350000 = 13422122800.
  // The transfers alternate, so the other initiator's last one ended one T earlier:
  // 127 T + 350 ns = 13316915200 + 350000 = 13317265200.
  EXPECT_EQ(std::max(end1, end2), 13422122800);
  EXPECT_EQ(std::min(end1, end2), 13317265200);
  EXPECT_EQ(i64(r.res.summary, "sim_time_ps"), 13422122800);
  // Strict alternation: apart from the two first requests, each is issued when the same
  // initiator's previous one completed (transfer started at s, completed s + T + 150 ns), waits
  // for the other initiator's transfer (s + T .. s + 2T), then sends its own
  // (s + 2T .. s + 3T) and completes at s + 3T + 150 ns: latency exactly 2 T = 209715200 ps.
  // The first of them: T + 350 ns = 105207600; the second waits one T more: 210065200.
  std::vector<std::int64_t> first_latencies;
  for (const auto& q : r.res.requests) {
    if ((q.id & ((std::uint64_t{1} << 48) - 1)) == 0) {  // first request of its workload
      first_latencies.push_back(q.complete_ps - q.issue_ps);
    } else {
      EXPECT_EQ(q.complete_ps - q.issue_ps, 209715200) << "source " << q.source << " id " << q.id;
    }
  }
  std::sort(first_latencies.begin(), first_latencies.end());
  EXPECT_EQ(first_latencies, (std::vector<std::int64_t>{105207600, 210065200}));
  // The run's latency figures cover both workloads: min 105207600, max 210065200.
  EXPECT_EQ(i64(r.res.summary, "latency_min_ps"), 105207600);
  EXPECT_EQ(i64(r.res.summary, "latency_max_ps"), 210065200);
  // Mean: (105207600 + 210065200 + 126 * 209715200) / 128 = 26739388000 / 128 = 208901468.75
  // -> 208901469 ps (rounded to the nearest ps).
  EXPECT_EQ(i64(r.res.summary, "latency_mean_ps"), 208901469);
  // Each gets half of 10 GB/s: 64 MiB / 13.32 ms = 5.039 GB/s and 64 MiB / 13.42 ms = 5.000 GB/s.
  const double bw1 = static_cast<double>(bytes1) / (static_cast<double>(end1) * 1e-12);
  const double bw2 = static_cast<double>(bytes2) / (static_cast<double>(end2) * 1e-12);
  EXPECT_NEAR(bw1, 5e9, 0.02 * 5e9);
  EXPECT_NEAR(bw2, 5e9, 0.02 * 5e9);
  // Together: 128 MiB / 13.42 ms = 9.9997 GB/s, the link's bandwidth.
  EXPECT_NEAR(f64(r.res.summary, "bandwidth_GBps"), 10.0, 0.02 * 10.0);
  const auto shared = h5::read_group_attrs(r.path.string(), "/components/sw_mem");
  EXPECT_EQ(u64(shared, "bytes_mem_to_sw"), 128u << 20);
  EXPECT_EQ(u64(shared, "transfers_mem_to_sw"), 128u);
}

// ---- quantum, determinism, repeatability ---------------------------------------------------

// A single initiator mixing reads and writes at random addresses faster than the link drains
// them (256 B per 1 ns against 85334 ps per transfer), so back-pressure and queueing happen.
const char* const kRandomMix = R"(    pattern: random
    requests: 3000
    size: 256 B
    read_fraction: 0.5
    interval: 1 ns
    footprint: 1 MiB
    max_outstanding: 8)";

TEST(EndToEnd, OneInitiatorResultsDoNotDependOnQuantum) {
  TempDir dir;
  const std::string yaml = synthetic_experiment(kLinkBound, kRandomMix);
  const SimRun q0 = run_yaml(dir, "q0", yaml, "--set kernel.quantum='0 ns'");
  const SimRun q1 = run_yaml(dir, "q1", yaml, "--set kernel.quantum='1 us'");
  const SimRun q2 = run_yaml(dir, "q2", yaml, "--set kernel.quantum='1 ms'");
  ASSERT_EQ(q0.res.requests.size(), 3000u);
  // Back-pressure really happened (otherwise the test would prove little).
  EXPECT_GT(q0.res.requests.back().issue_ps, q0.res.requests.back().arrival_ps);
  EXPECT_TRUE(q0.res.requests == q1.res.requests);
  EXPECT_TRUE(q0.res.requests == q2.res.requests);
  EXPECT_EQ(q0.res.summary, q1.res.summary);
  EXPECT_EQ(q0.res.summary, q2.res.summary);
}

TEST(EndToEnd, SameSeedSameResultsDifferentSeedDifferentAddresses) {
  TempDir dir;
  const SimRun a = run_yaml(dir, "a", synthetic_experiment(kLinkBound, kRandomMix, 7));
  const SimRun b = run_yaml(dir, "b", synthetic_experiment(kLinkBound, kRandomMix, 7));
  const SimRun c = run_yaml(dir, "c", synthetic_experiment(kLinkBound, kRandomMix, 8));
  ASSERT_EQ(a.res.requests.size(), 3000u);
  EXPECT_TRUE(a.res.requests == b.res.requests);
  EXPECT_EQ(a.res.summary, b.res.summary);
  ASSERT_EQ(c.res.requests.size(), 3000u);
  // 4096 slots of 256 B: two independent streams agree on a slot with probability 1/4096, so
  // nearly every address differs (expect ~2999).
  std::size_t differ = 0;
  for (std::size_t i = 0; i < 3000; ++i) {
    if (a.res.requests[i].address != c.res.requests[i].address) ++differ;
  }
  EXPECT_GT(differ, 2900u);
  EXPECT_EQ(u64(c.res.summary, "seed"), 8u);
}

TEST(EndToEnd, RerunFromResultsFileIsBitIdentical) {
  TempDir dir;
  const fs::path orig = dir.path() / "orig";
  const fs::path elsewhere = dir.path() / "elsewhere";
  fs::create_directories(orig / "traces");
  fs::create_directories(elsewhere);
  std::string trace = "# time_ns op address bytes stream\n";
  for (int i = 0; i < 200; ++i) {
    trace +=
        fmt::format("{}.{:03d} {} {:#x} {} {}\n", i * 3, (i * 137) % 1000, i % 3 == 0 ? "W" : "R",
                    0x10000 + i * 4096, 64 << (i % 5), i % 2 == 0 ? "weights" : "kv");
  }
  dir.write("orig/traces/t.trace", trace);
  // The trace path is relative to the experiment file; the resolved config stored in the
  // results must make it absolute for the re-run from another directory to find it.
  const std::string yaml =
      trace_experiment(kLinkBound, "traces/t.trace", "    max_outstanding: 4") +
      R"(  - name: bg
    type: synthetic
    pattern: random
    requests: 500
    size: 128 B
    read_fraction: 0.7
    interval: 2 ns
    base_address: 1 GiB
    source: host
    target: mem
output:
  path: results.h5
)";
  dir.write("orig/exp.yaml", yaml);
  const std::string bin = shell_quote(TIERSIM_BINARY);
  const CommandResult first = run_command(
      fmt::format("cd {} && {} run exp.yaml -q --no-progress", shell_quote(orig.string()), bin));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const CommandResult again =
      run_command(fmt::format("cd {} && {} run ../orig/results.h5 -o other.h5 -q --no-progress",
                              shell_quote(elsewhere.string()), bin));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const h5::Results a = h5::read_results((orig / "results.h5").string());
  const h5::Results b = h5::read_results((elsewhere / "other.h5").string());
  ASSERT_EQ(a.requests.size(), 700u);
  EXPECT_TRUE(a.requests == b.requests);
  EXPECT_EQ(a.summary, b.summary);
  // The stored config of the re-run is the same resolved config.
  EXPECT_EQ(a.resolved_config, b.resolved_config);
}

}  // namespace
}  // namespace tiersim::test
