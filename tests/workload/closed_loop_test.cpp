// Closed-loop synthetic users (docs/workloads.md, "Closed-loop users"): the after/think protocol,
// per-user streams, filtering, and both logical-trace forms (version 2 fields; version 1 still
// read).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <vector>

#include "sim/trace/trace_reader.h"
#include "sim/workload/logical_trace.h"
#include "sim/workload/request_filter.h"
#include "sim/workload/synthetic.h"
#include "tests/common/test_util.h"

namespace tiersim::test {
namespace {

using workload::ClosedLoopOptions;
using workload::ClosedLoopSource;
using workload::kNoAfter;
using workload::kNoUser;
using workload::Request;

ClosedLoopOptions options(std::uint64_t users, std::uint64_t per_user, const std::string& think,
                          std::uint64_t seed = 9) {
  ClosedLoopOptions o;
  o.users = users;
  o.per_user = per_user;
  o.seed = seed;
  o.think = workload::parse_think(think);
  o.prompt = workload::parse_length_dist("uniform:10:500");
  o.output = workload::parse_length_dist("uniform:1:100");
  return o;
}

std::vector<Request> drain(workload::RequestSource& src) {
  std::vector<Request> v;
  Request r;
  while (src.next(r)) v.push_back(r);
  return v;
}

TEST(ClosedLoop, FixedThinkTimesByHand) {
  // Two users, three requests each, think 1 s: nominal arrivals 1, 1, 2, 2, 3, 3 s, ties to the
  // lower user; each later request waits for its user's previous one.
  ClosedLoopSource src(options(2, 3, "fixed:1"));
  const auto v = drain(src);
  ASSERT_EQ(v.size(), 6u);
  const std::vector<std::uint64_t> users = {0, 1, 0, 1, 0, 1};
  const std::vector<std::uint64_t> after = {kNoAfter, kNoAfter, 0, 1, 2, 3};
  for (std::size_t i = 0; i < v.size(); ++i) {
    EXPECT_EQ(v[i].id, i);
    EXPECT_EQ(v[i].arrival, Time::ps(static_cast<std::int64_t>(i / 2 + 1) * 1'000'000'000'000));
    EXPECT_EQ(v[i].user, users[i]);
    EXPECT_EQ(v[i].after, after[i]);
    EXPECT_EQ(v[i].think, after[i] == kNoAfter ? Time::zero() : Time::ps(1'000'000'000'000));
  }
}

TEST(ClosedLoop, ChainsAreConsistentAndThinkMeansHold) {
  ClosedLoopSource src(options(16, 500, "exp:2.5"));
  const auto v = drain(src);
  ASSERT_EQ(v.size(), 8000u);
  std::map<std::uint64_t, std::uint64_t> last;  // user -> latest id
  std::map<std::uint64_t, std::uint64_t> count;
  double think_sum = 0;
  std::uint64_t thinks = 0;
  for (const Request& r : v) {
    ASSERT_NE(r.user, kNoUser);
    ASSERT_LT(r.user, 16u);
    const auto it = last.find(r.user);
    if (it == last.end()) {
      EXPECT_EQ(r.after, kNoAfter);
    } else {
      ASSERT_EQ(r.after, it->second);
      // Nominal arrival = predecessor's nominal arrival + think, exactly.
      EXPECT_EQ(r.arrival, v[r.after].arrival + r.think);
      think_sum += r.think.as_seconds();
      ++thinks;
    }
    if (r.id > 0) {
      EXPECT_GE(r.arrival, v[r.id - 1].arrival);
    }
    last[r.user] = r.id;
    ++count[r.user];
  }
  for (const auto& [u, n] : count) EXPECT_EQ(n, 500u) << u;
  EXPECT_NEAR(think_sum / static_cast<double>(thinks), 2.5, 0.1);  // 7,984 draws: SE 0.028
}

TEST(ClosedLoop, UsersDrawFromTheirOwnStreams) {
  ClosedLoopSource two(options(2, 50, "exp:1"));
  ClosedLoopSource five(options(5, 50, "exp:1"));
  std::vector<Request> a;
  std::vector<Request> b;
  for (const Request& r : drain(two)) {
    if (r.user == 1) a.push_back(r);
  }
  for (const Request& r : drain(five)) {
    if (r.user == 1) b.push_back(r);
  }
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].arrival, b[i].arrival);
    EXPECT_EQ(a[i].prompt_tokens, b[i].prompt_tokens);
    EXPECT_EQ(a[i].output_tokens, b[i].output_tokens);
    EXPECT_EQ(a[i].think, b[i].think);
  }
  EXPECT_THROW((void)workload::parse_think("poisson:2"), std::invalid_argument);
  EXPECT_THROW((void)workload::parse_think("exp:0"), std::invalid_argument);
}

TEST(ClosedLoop, FilterRenumbersAfterAndScalesThink) {
  // Window [1.5 s, 10 s) over the hand case: drops requests 0 and 1 (at 1 s); requests 2 and 3
  // lose their predecessor (after cleared), 4 and 5 follow them under new ids 0 and 1.
  workload::RequestFilterOptions f;
  f.window_start = Time::ps(1'500'000'000'000);
  f.window_end = Time::ps(10'000'000'000'000);
  f.rate_scale = 2.0;
  workload::FilteredSource src(std::make_unique<ClosedLoopSource>(options(2, 3, "fixed:1")), f);
  const auto v = drain(src);
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0].after, kNoAfter);
  EXPECT_EQ(v[0].think, Time::zero());
  EXPECT_EQ(v[1].after, kNoAfter);
  EXPECT_EQ(v[2].after, 0u);
  EXPECT_EQ(v[3].after, 1u);
  EXPECT_EQ(v[2].think, Time::ps(500'000'000'000));    // 1 s / 2
  EXPECT_EQ(v[2].arrival, Time::ps(750'000'000'000));  // (3 - 1.5) s / 2
  EXPECT_EQ(v[2].arrival, v[0].arrival + v[2].think);  // 0.25 + 0.5 s
}

TEST(ClosedLoop, BothFormsRoundTripTheFields) {
  const TempDir dir;
  ClosedLoopSource src(options(3, 4, "gamma:0.5:2"));
  const auto v = drain(src);
  for (const char* name : {"c.h5", "c.jsonl"}) {
    const auto path = (dir.path() / name).string();
    {
      auto w = workload::create_logical_trace(path, workload::LogicalHeader{});
      for (const Request& r : v) w->write_request(r);
      w->close();
    }
    auto rd = workload::open_logical_trace(path);
    Request r;
    std::size_t i = 0;
    while (rd->next_request(r)) {
      ASSERT_LT(i, v.size());
      EXPECT_EQ(r, v[i]) << name << " " << i;
      ++i;
    }
    EXPECT_EQ(i, v.size());
  }
  // The writer refuses an `after` that is not an earlier request.
  Request bad = v[0];
  bad.user = 0;
  bad.after = 0;
  auto w = workload::create_logical_trace((dir.path() / "bad.jsonl").string(),
                                          workload::LogicalHeader{});
  EXPECT_THROW(w->write_request(bad), trace::TraceError);
}

TEST(ClosedLoop, VersionOneJsonlStillReads) {
  const TempDir dir;
  const auto path = (dir.path() / "v1.jsonl").string();
  std::ofstream(path) << "{\"format\": \"tiersim-logical-trace\", \"version\": 1, \"model\": \"\", "
                         "\"generator\": \"\"}\n"
                         "{\"request\": 0, \"arrival_ps\": 5, \"prompt\": 3, \"output\": 2, "
                         "\"prefix\": []}\n";
  auto rd = workload::open_logical_trace(path);
  Request r;
  ASSERT_TRUE(rd->next_request(r));
  EXPECT_EQ(r.user, kNoUser);
  EXPECT_EQ(r.after, kNoAfter);
  const auto v3 = (dir.path() / "v3.jsonl").string();
  std::ofstream(v3) << "{\"format\": \"tiersim-logical-trace\", \"version\": 3, \"model\": \"\", "
                       "\"generator\": \"\"}\n";
  EXPECT_THROW((void)workload::open_logical_trace(v3), trace::TraceError);
}

}  // namespace
}  // namespace tiersim::test
