#include "sim/sweep/local_runner.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "sim/config/config_error.h"
#include "sim/config/loader.h"
#include "sim/run/experiment.h"
#include "sim/sweep/atomic_file.h"

extern char** environ;

namespace tiersim::sweep {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

volatile std::sig_atomic_t g_interrupted = 0;
void on_signal(int) {
  g_interrupted = 1;
}

std::string json_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '"':
        o += "\\\"";
        break;
      case '\\':
        o += "\\\\";
        break;
      case '\n':
        o += "\\n";
        break;
      case '\t':
        o += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          o += fmt::format("\\u{:04x}", static_cast<int>(c));
        } else {
          o += c;
        }
    }
  }
  return o;
}

std::string tail_of(const fs::path& p, std::size_t max_bytes) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  std::string s = ss.str();
  return s.size() > max_bytes ? s.substr(s.size() - max_bytes) : s;
}

void append_journal(const fs::path& out, const std::string& line) {
  const int fd =
      ::open((out / "journal.log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;
  const std::string l = line + "\n";
  (void)!::write(fd, l.data(), l.size());  // one small O_APPEND write: atomic
  ::close(fd);
}

std::string record_json(const ResolvedPoint& rp, const Point& p, const std::string& status,
                        int exit_code, double wall, const std::string& error) {
  std::string params;
  for (const auto& [k, v] : p.params) {
    params +=
        fmt::format("{}\"{}\": \"{}\"", params.empty() ? "" : ", ", json_escape(k), json_escape(v));
  }
  return fmt::format(
      "{{\"index\": {}, \"hash\": \"{}\", \"params\": {{{}}}, \"status\": \"{}\", "
      "\"exit_code\": {}, \"wall_seconds\": {:.3f}, \"error\": \"{}\"}}\n",
      rp.index, rp.hash, params, status, exit_code, wall, json_escape(error));
}

std::string read_status(const fs::path& json) {
  std::ifstream f(json);
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string s = ss.str();
  const auto k = s.find("\"status\": \"");
  if (k == std::string::npos) return "";
  const auto b = k + 11;
  return s.substr(b, s.find('"', b) - b);
}

void remove_stale_temps(const fs::path& dir, const std::string& hash) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string n = e.path().filename().string();
    if (n.rfind(hash + ".h5.tmp.", 0) == 0) fs::remove(e.path(), ec);
  }
}

// Temp files ("<name>.tmp.<pid>") left by processes that no longer exist: a killed runner's
// records, a killed point's results. Files of live processes (orphans still computing) stay.
void remove_dead_temps(const fs::path& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string n = e.path().filename().string();
    const auto k = n.rfind(".tmp.");
    if (k == std::string::npos) continue;
    const std::string pid_text = n.substr(k + 5);
    if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
    if (::kill(pid, 0) != 0 && errno == ESRCH) fs::remove(e.path(), ec);
  }
}

struct Running {
  pid_t pid;
  std::size_t slot;  // index into the resolved list
  Clock::time_point start;
};

}  // namespace

std::vector<ResolvedPoint> resolve_points(const SweepSpec& spec) {
  std::vector<ResolvedPoint> out;
  for (std::size_t i = 0; i < spec.points.size(); ++i) {
    std::vector<std::string> sets = spec.fixed_sets;
    for (auto& s : spec.points[i].sets()) sets.push_back(std::move(s));
    try {
      const config::Node root = run::load_experiment(spec.base, sets);
      std::string yaml = config::to_yaml(root);
      out.push_back({i, hash_text(yaml), std::move(yaml), ""});
    } catch (const config::ConfigError& e) {
      std::string key;
      for (const auto& s : sets) key += s + "\n";
      out.push_back({i, "bad-" + hash_text(key), "", e.what()});
    }
  }
  return out;
}

SweepOutcome run_local(const SweepSpec& spec, const LocalOptions& opts) {
  const std::vector<ResolvedPoint> pts = resolve_points(spec);
  const fs::path out(spec.output);
  const fs::path dir = out / "points";
  fs::create_directories(dir);
  remove_dead_temps(dir);
  const std::string binary =
      opts.tiersim.empty() ? fs::read_symlink("/proc/self/exe").string() : opts.tiersim;

  SweepOutcome result;
  std::deque<std::size_t> queue;
  std::set<std::string> seen;
  std::vector<std::size_t> distinct;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    if (seen.insert(pts[i].hash).second) distinct.push_back(i);  // else: same config as before
  }
  const std::size_t shards = std::max<std::size_t>(1, opts.shards);
  const std::size_t per = (distinct.size() + shards - 1) / shards;
  const std::size_t lo = std::min(distinct.size(), opts.shard * per);
  const std::size_t hi = std::min(distinct.size(), lo + per);
  for (std::size_t k = lo; k < hi; ++k) {
    const std::size_t i = distinct[k];
    ++result.points;
    const fs::path h5 = dir / (pts[i].hash + ".h5");
    const fs::path json = dir / (pts[i].hash + ".json");
    if (!pts[i].error.empty()) {  // its config does not resolve: nothing to run
      write_file_atomic(json.string(),
                        record_json(pts[i], spec.points[i], "failed", 2, 0.0, pts[i].error));
      ++result.failed;
      if (!opts.quiet) fmt::print("point {} failed: {}\n", i, pts[i].error);
      continue;
    }
    if (fs::exists(h5)) {
      if (!fs::exists(json)) {  // finished by a process whose runner was killed
        write_file_atomic(json.string(), record_json(pts[i], spec.points[i], "ok", 0, 0.0, ""));
      }
      ++result.skipped;
      continue;
    }
    if (fs::exists(json) && !opts.retry_failed && read_status(json) != "ok") {
      ++result.skipped;
      ++result.failed;
      continue;
    }
    queue.push_back(i);
  }

  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  struct sigaction old_int {
  }, old_term{};
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);

  std::map<pid_t, Running> running;
  std::deque<std::size_t> waiting;  // held by a process from an earlier, killed run
  const unsigned jobs = std::max(1u, opts.jobs);
  const std::size_t total = queue.size();
  std::size_t finished = 0;

  auto finish = [&](const Running& r, int status) {
    const ResolvedPoint& rp = pts[r.slot];
    const double wall = std::chrono::duration<double>(Clock::now() - r.start).count();
    const fs::path h5 = dir / (rp.hash + ".h5");
    std::string st = "ok";
    int code = 0;
    if (WIFEXITED(status)) code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) code = 128 + WTERMSIG(status);
    if (code == 137 && spec.timeout.ps() > 0 &&
        wall * 1e12 >= static_cast<double>(spec.timeout.ps())) {
      st = "timeout";
    } else if (code != 0 || !fs::exists(h5)) {
      st = "failed";
    }
    const std::string err = st == "ok" ? "" : tail_of(dir / (rp.hash + ".log"), 2000);
    write_file_atomic((dir / (rp.hash + ".json")).string(),
                      record_json(rp, spec.points[r.slot], st, code, wall, err));
    append_journal(out, fmt::format("end {} {} exit {}", rp.hash, st, code));
    if (st != "ok") ++result.failed;
    ++finished;
    if (!opts.quiet) {
      fmt::print("[{}/{}] point {} {} {} ({:.2f} s)\n", finished, total, rp.index, rp.hash, st,
                 wall);
      std::fflush(stdout);
    }
  };

  auto start = [&](std::size_t i) -> bool {
    const ResolvedPoint& rp = pts[i];
    const fs::path lock = dir / (rp.hash + ".lock");
    const int lfd = ::open(lock.c_str(), O_RDWR | O_CREAT, 0644);  // inherited by the child
    if (lfd < 0)
      throw std::runtime_error(fmt::format("{}: {}", lock.string(), std::strerror(errno)));
    if (::flock(lfd, LOCK_EX | LOCK_NB) != 0) {
      ::close(lfd);
      return false;  // an orphaned process of a killed run is computing it
    }
    if (fs::exists(dir / (rp.hash + ".h5"))) {  // it finished meanwhile
      ::close(lfd);
      ++result.skipped;
      return true;
    }
    remove_stale_temps(dir, rp.hash);
    const std::string cfg = (dir / (rp.hash + ".yaml")).string();
    write_file_atomic(cfg, rp.yaml);
    const std::string h5 = (dir / (rp.hash + ".h5")).string();
    const std::string log = (dir / (rp.hash + ".log")).string();
    std::vector<std::string> args = {binary, "run", cfg, "-o", h5, "-q", "--no-progress"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    posix_spawnattr_setpgroup(&at, 0);  // its own group: a timeout kills it and its children
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, binary.c_str(), &fa, &at, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    ::close(lfd);  // the child keeps the lock until it exits
    if (rc != 0)
      throw std::runtime_error(fmt::format("cannot start {}: {}", binary, std::strerror(rc)));
    append_journal(out, fmt::format("start {} point {}", rp.hash, rp.index));
    running.emplace(pid, Running{pid, i, Clock::now()});
    ++result.ran;
    return true;
  };

  while (!g_interrupted && (!queue.empty() || !running.empty() || !waiting.empty())) {
    while (!queue.empty() && running.size() < jobs) {
      const std::size_t i = queue.front();
      queue.pop_front();
      if (!start(i)) waiting.push_back(i);
    }
    // Points held by orphans: take the result when their lock is released.
    for (std::size_t k = waiting.size(); k > 0; --k) {
      const std::size_t i = waiting.front();
      waiting.pop_front();
      const fs::path lock = dir / (pts[i].hash + ".lock");
      const int lfd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
      const bool free = lfd >= 0 && ::flock(lfd, LOCK_EX | LOCK_NB) == 0;
      if (lfd >= 0) ::close(lfd);
      if (!free) {
        waiting.push_back(i);
      } else if (fs::exists(dir / (pts[i].hash + ".h5"))) {
        write_file_atomic((dir / (pts[i].hash + ".json")).string(),
                          record_json(pts[i], spec.points[i], "ok", 0, 0.0, ""));
        ++result.skipped;
      } else {
        queue.push_back(i);  // the orphan died without a result: run it now
      }
    }
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      auto it = running.find(pid);
      if (it != running.end()) {
        finish(it->second, status);
        running.erase(it);
      }
      continue;
    }
    if (spec.timeout.ps() > 0) {
      for (const auto& [p, r] : running) {
        const double s = std::chrono::duration<double>(Clock::now() - r.start).count();
        if (s * 1e12 >= static_cast<double>(spec.timeout.ps())) ::kill(-p, SIGKILL);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (g_interrupted) {
    for (const auto& [p, r] : running) ::kill(-p, SIGKILL);
    for (const auto& [p, r] : running) ::waitpid(p, nullptr, 0);
  }
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  if (g_interrupted) throw std::runtime_error("sweep interrupted; run it again to resume");
  return result;
}

}  // namespace tiersim::sweep
