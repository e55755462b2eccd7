// kernel::System built from YAML, and Fabric routing (fewest hops, direction, unreachable pairs).
// SystemC elaborates once per process: ctest runs every case in its own process, and each case
// builds exactly one System.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "sim/config/config_error.h"
#include "sim/config/loader.h"
#include "sim/config/schema.h"
#include "sim/kernel/sc_time_conv.h"
#include "sim/kernel/system.h"
#include "sim/stats/stat_group.h"

namespace tiersim::kernel {
namespace {

// Parses `yaml` (a document with a `system:` key), validates the section and builds the System.
class SystemFromYaml {
 public:
  explicit SystemFromYaml(const std::string& yaml)
      : root_(config::parse_yaml(yaml, "system_test.yaml")) {
    init_systemc();
    config::Node* sys = root_.find("system");
    if (sys == nullptr) throw std::runtime_error("test YAML has no system: section");
    config::validate(*sys, *system_schema(), "system");
    system_ = std::make_unique<System>(*sys, stats_);
  }
  System& operator*() { return *system_; }
  System* operator->() { return system_.get(); }
  ComponentId id(const std::string& name) const {
    return system_->id_of(name, config::Origin{"test", 0, 0});
  }

 private:
  config::Node root_;
  stats::StatsRegistry stats_{Time::us(1)};
  std::unique_ptr<System> system_;
};

void expect_route(const Fabric::Route* r, const std::vector<std::pair<std::size_t, int>>& want) {
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ((*r)[i].link, want[i].first) << "hop " << i;
    EXPECT_EQ((*r)[i].dir, want[i].second) << "hop " << i;
  }
}

// host --link0 (25 GB/s, 500 ns)-- sw --link1, declared [mem, sw]-- mem
const char* const kChain = R"(
system:
  components:
    host: {type: endpoint}
    sw: {type: endpoint}
    mem: {type: ideal_memory, latency: 100 ns, bandwidth: 16 GB/s}
  links:
    - between: [host, sw]
      bandwidth: 25 GB/s
      latency: 500 ns
    - between: [mem, sw]
      bandwidth: 12.5 GB/s
      latency: 40 ns
)";

TEST(System, BuildsComponentsAndLinksFromYaml) {
  SystemFromYaml s(kChain);
  // Ids follow declaration order.
  ASSERT_EQ(s->size(), 3u);
  EXPECT_EQ(s.id("host"), 0);
  EXPECT_EQ(s.id("sw"), 1);
  EXPECT_EQ(s.id("mem"), 2);
  EXPECT_EQ(s->names(), (std::vector<std::string>{"host", "sw", "mem"}));
  EXPECT_FALSE(s->component(0).serves_requests());
  EXPECT_FALSE(s->component(1).serves_requests());
  EXPECT_TRUE(s->component(2).serves_requests());

  const auto& links = s->fabric().links();
  ASSERT_EQ(links.size(), 2u);
  // Default names `<a>_<b>`; endpoints in the declared order; units parsed exactly:
  // 25 GB/s = 25e9 B/s, 500 ns = 500000 ps; 12.5 GB/s = 12.5e9 B/s, 40 ns = 40000 ps.
  EXPECT_EQ(links[0]->name(), "host_sw");
  EXPECT_EQ(links[0]->a(), 0);
  EXPECT_EQ(links[0]->b(), 1);
  EXPECT_DOUBLE_EQ(links[0]->bandwidth().bytes_per_second(), 25e9);
  EXPECT_EQ(links[0]->latency().ps(), 500000);
  EXPECT_EQ(links[1]->name(), "mem_sw");
  EXPECT_EQ(links[1]->a(), 2);
  EXPECT_EQ(links[1]->b(), 1);
  EXPECT_DOUBLE_EQ(links[1]->bandwidth().bytes_per_second(), 12.5e9);
  EXPECT_EQ(links[1]->latency().ps(), 40000);
}

TEST(Fabric, RouteHasOneHopPerLinkWithDirection) {
  SystemFromYaml s(kChain);
  Fabric& f = s->fabric();
  // host -> sw: link 0 from its a to its b (dir 0).
  expect_route(f.route(0, 1), {{0, 0}});
  // host -> mem: link 0 a->b (dir 0), then link 1 = [mem, sw] from sw (its b) to mem (its a):
  // dir 1.
  expect_route(f.route(0, 2), {{0, 0}, {1, 1}});
  // mem -> host: the same links reversed: link 1 mem->sw (dir 0), link 0 sw->host (dir 1).
  expect_route(f.route(2, 0), {{1, 0}, {0, 1}});
  // sw -> mem: one hop, link 1 b->a.
  expect_route(f.route(1, 2), {{1, 1}});
  // Routes are computed once and cached: the same object comes back.
  EXPECT_EQ(f.route(0, 2), f.route(0, 2));
}

TEST(Fabric, RouteIsTheFewestHopPath) {
  // Two paths host -> mem: a 3-hop one declared first (host-a-b-mem, links 0..2) and a 2-hop
  // one declared after it (host-c-mem, links 3, 4). The fewest-hop one must win.
  SystemFromYaml s(R"(
system:
  components:
    host: {type: endpoint}
    a: {type: endpoint}
    b: {type: endpoint}
    c: {type: endpoint}
    mem: {type: ideal_memory, bandwidth: 10 GB/s}
  links:
    - {between: [host, a], bandwidth: 100 GB/s}
    - {between: [a, b], bandwidth: 100 GB/s}
    - {between: [b, mem], bandwidth: 100 GB/s}
    - {between: [host, c], bandwidth: 1 GB/s}
    - {between: [mem, c], bandwidth: 1 GB/s}
)");
  const ComponentId host = s.id("host");
  const ComponentId mem = s.id("mem");
  // host -> c on link 3 (dir 0), c -> mem on link 4 = [mem, c] from its b to its a (dir 1).
  expect_route(s->fabric().route(host, mem), {{3, 0}, {4, 1}});
  // And back: link 4 dir 0, link 3 dir 1.
  expect_route(s->fabric().route(mem, host), {{4, 0}, {3, 1}});
  // host -> b: 2 hops via a (links 0 and 1, both a->b); mem -> b: 1 hop on link 2 = [b, mem]
  // from its b to its a (dir 1).
  expect_route(s->fabric().route(host, s.id("b")), {{0, 0}, {1, 0}});
  expect_route(s->fabric().route(mem, s.id("b")), {{2, 1}});
}

TEST(Fabric, EqualLengthPathsBreakTiesByLinkDeclarationOrder) {
  // host -> mem through y or through x, both 2 hops. host's first declared link goes to y
  // (link 0), so the route is link 0 then y's link to mem (link 3), whichever way round.
  SystemFromYaml s(R"(
system:
  components:
    host: {type: endpoint}
    x: {type: endpoint}
    y: {type: endpoint}
    mem: {type: ideal_memory, bandwidth: 10 GB/s}
  links:
    - {between: [host, y], bandwidth: 1 GB/s}
    - {between: [host, x], bandwidth: 1 GB/s}
    - {between: [x, mem], bandwidth: 1 GB/s}
    - {between: [y, mem], bandwidth: 1 GB/s}
)");
  expect_route(s->fabric().route(s.id("host"), s.id("mem")), {{0, 0}, {3, 0}});
  // From mem, its first declared link is link 2 (to x): mem -> x -> host = link 2 dir 1, link 1
  // dir 1.
  expect_route(s->fabric().route(s.id("mem"), s.id("host")), {{2, 1}, {1, 1}});
}

TEST(Fabric, UnreachablePairsHaveNoRoute) {
  SystemFromYaml s(R"(
system:
  components:
    host: {type: endpoint}
    mem: {type: ideal_memory, bandwidth: 10 GB/s}
    island: {type: ideal_memory, bandwidth: 10 GB/s}
    far_host: {type: endpoint}
  links:
    - {between: [host, mem], bandwidth: 10 GB/s, latency: 5 ns}
    - {between: [far_host, island], bandwidth: 10 GB/s}
)");
  Fabric& f = s->fabric();
  const ComponentId host = s.id("host");
  const ComponentId mem = s.id("mem");
  const ComponentId island = s.id("island");
  const ComponentId far = s.id("far_host");
  EXPECT_EQ(f.route(host, island), nullptr);
  EXPECT_EQ(f.route(island, host), nullptr);
  EXPECT_EQ(f.route(mem, far), nullptr);
  // Asking twice gives the cached answer, still null.
  EXPECT_EQ(f.route(host, island), nullptr);
  expect_route(f.route(host, mem), {{0, 0}});
  expect_route(f.route(far, island), {{1, 0}});
}

TEST(System, LinkToUnknownComponentIsAConfigError) {
  try {
    SystemFromYaml s(R"(
system:
  components:
    host: {type: endpoint}
    mem: {type: ideal_memory, bandwidth: 10 GB/s}
  links:
    - {between: [host, mme], bandwidth: 10 GB/s}
)");
    FAIL() << "expected a ConfigError";
  } catch (const config::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("no component named 'mme'; did you mean 'mem'?"),
              std::string::npos)
        << e.what();
    // Points at the offending value: line 7 of the YAML text (line 1 is the empty first line).
    EXPECT_EQ(e.origin().line, 7);
  }
}

}  // namespace
}  // namespace tiersim::kernel
