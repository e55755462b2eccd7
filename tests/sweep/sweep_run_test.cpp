// Running sweeps through the CLI: merged table, failures recorded, resume after SIGKILL with
// nothing lost, nothing run twice and no truncated results.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "tests/common/h5_results.h"
#include "tests/common/test_util.h"

namespace tiersim::test {
namespace {

namespace fs = std::filesystem;

// A small base experiment (~10-30 ms per point) and a sweep over it.
void write_sweep(const TempDir& d, int points, const std::string& extra = "") {
  d.write("base.yaml", R"(name: tiny
system:
  components:
    host: {type: endpoint}
    mem: {type: ideal_memory, bandwidth: 25 GB/s, latency: 100 ns}
  links:
    - {between: [host, mem], bandwidth: 16 GB/s}
workloads:
  - {type: synthetic, pattern: random, requests: 20000, size: 64 B, source: host, target: mem}
output: {requests: false}
)");
  std::string values;
  for (int i = 1; i <= points; ++i) values += fmt::format("{}{}", i > 1 ? ", " : "", i);
  d.write("sweep.yaml", fmt::format("name: t\nbase: base.yaml\noutput: {}\n{}grid:\n"
                                    "  workloads.0.max_outstanding: [{}]\n",
                                    (d.path() / "out").string(), extra, values));
}

std::vector<std::string> lines_of(const fs::path& p) {
  std::vector<std::string> v;
  std::istringstream s(read_file(p));
  for (std::string l; std::getline(s, l);) v.push_back(l);
  return v;
}

TEST(SweepRun, AllPointsInTheMergedTableAndAResumeRunsNothing) {
  TempDir d;
  write_sweep(d, 6);
  const auto sweep = shell_quote((d.path() / "sweep.yaml").string());
  auto r = run_tiersim("sweep " + sweep + " -j 2 -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("6 points, 6 run now, 0 already done, 0 failed"), std::string::npos);
  auto rows = lines_of(d.path() / "out/summary.csv");
  ASSERT_EQ(rows.size(), 7u);  // header + 6
  EXPECT_EQ(rows[0].substr(0, 45), "point,hash,status,workloads.0.max_outstanding");
  for (int i = 1; i <= 6; ++i)
    EXPECT_NE(rows[i].find(",ok," + std::to_string(i) + ","), std::string::npos);
  r = run_tiersim("sweep " + sweep + " -j 2 -q");
  EXPECT_NE(r.out.find("6 points, 0 run now, 6 already done, 0 failed"), std::string::npos);
}

TEST(SweepRun, AFailedPointIsRecordedAndTheSweepGoesOn) {
  TempDir d;
  write_sweep(d, 0);
  d.write("sweep.yaml", fmt::format("name: t\nbase: base.yaml\noutput: {}\npoints:\n"
                                    "  - {{workloads.0.size: 64 B}}\n"
                                    "  - {{workloads.0.size: 5 ns}}\n"
                                    "  - {{workloads.0.base_address: 100 GiB, "
                                    "system.components.mem.capacity: 1 GiB}}\n",
                                    (d.path() / "out").string()));
  const auto r = run_tiersim("sweep " + shell_quote((d.path() / "sweep.yaml").string()) + " -q");
  EXPECT_EQ(r.exit_code, 1);  // some points failed
  const auto rows = lines_of(d.path() / "out/summary.csv");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_NE(rows[1].find(",ok,"), std::string::npos);
  EXPECT_NE(rows[2].find(",failed,"), std::string::npos);  // a config error: not run
  EXPECT_NE(rows[3].find(",failed,"), std::string::npos);  // a run-time error: exit status 1
  // The records keep the error text and exit status.
  std::string records;
  for (const auto& e : fs::directory_iterator(d.path() / "out/points")) {
    if (e.path().extension() == ".json") records += read_file(e.path());
  }
  EXPECT_NE(records.find("expected a size such as '64 KiB', got a time '5 ns'"), std::string::npos)
      << records;
  EXPECT_NE(records.find("\"exit_code\": 1"), std::string::npos) << records;
  EXPECT_NE(records.find("is outside 'mem'"), std::string::npos) << records;
}

TEST(SweepRun, SigkillAtARandomMomentThenResumeLosesNothingAndRunsNothingTwice) {
  TempDir d;
  write_sweep(d, 24);
  const std::string sweep = (d.path() / "sweep.yaml").string();
  std::mt19937 rng(static_cast<unsigned>(::getpid()));
  const auto delay = std::chrono::milliseconds(150 + rng() % 400);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::execl(TIERSIM_BINARY, TIERSIM_BINARY, "sweep", sweep.c_str(), "-j", "2", "-q", "--no-collect",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::this_thread::sleep_for(delay);
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  // Resume (orphans of the killed run may still be computing; the runner waits for them).
  const auto r = run_tiersim(fmt::format("sweep {} -j 2 -q", shell_quote(sweep)));
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  // Every point exactly once in the merged table, all ok.
  const auto rows = lines_of(d.path() / "out/summary.csv");
  ASSERT_EQ(rows.size(), 25u);
  std::map<std::string, int> seen;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    EXPECT_NE(rows[i].find(",ok,"), std::string::npos) << rows[i];
    ++seen[rows[i].substr(0, rows[i].find(',', rows[i].find(',') + 1))];
  }
  EXPECT_EQ(seen.size(), 24u);
  // Nothing started twice: one "start" per hash in the journal across both runs.
  std::map<std::string, int> starts;
  for (const auto& l : lines_of(d.path() / "out/journal.log")) {
    if (l.rfind("start ", 0) == 0) ++starts[l.substr(6, 16)];
  }
  for (const auto& [h, n] : starts) EXPECT_EQ(n, 1) << h;
  EXPECT_EQ(starts.size(), 24u);
  // No truncated results: every file opens and has its summary; no temp files are left.
  for (const auto& e : fs::directory_iterator(d.path() / "out/points")) {
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
    if (e.path().extension() == ".h5") {
      const auto summary = h5::read_group_attrs(e.path().string(), "/summary");
      EXPECT_EQ(h5::u64(summary, "requests"), 20000u);
    }
  }
}

}  // namespace
}  // namespace tiersim::test
