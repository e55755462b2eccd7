#include "sim/sweep/slurm_backend.h"

#include <fmt/format.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <set>
#include <stdexcept>

#include "sim/sweep/atomic_file.h"
#include "sim/sweep/local_runner.h"

namespace tiersim::sweep {

namespace fs = std::filesystem;

namespace {

std::string quote(const std::string& s) {
  std::string o = "'";
  for (char c : s) o += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return o + "'";
}

}  // namespace

SlurmSubmission submit_slurm(const SweepSpec& spec, const SlurmOptions& opts) {
  const auto pts = resolve_points(spec);
  std::set<std::string> distinct;
  for (const auto& p : pts) distinct.insert(p.hash);
  SlurmSubmission s;
  s.points = distinct.size();
  const std::size_t chunk = std::max<std::size_t>(1, opts.chunk);
  s.tasks = std::max<std::size_t>(1, (s.points + chunk - 1) / chunk);
  const fs::path out = fs::absolute(spec.output);
  const fs::path dir = out / "slurm";
  fs::create_directories(dir);
  fs::create_directories(out / "points");
  const std::string binary =
      opts.tiersim.empty() ? fs::read_symlink("/proc/self/exe").string() : opts.tiersim;
  const std::string sweep_file = fs::absolute(spec.file).string();

  std::string script = "#!/bin/bash\n";
  script += fmt::format("#SBATCH --job-name=tiersim-{}\n", spec.name);
  script += fmt::format("#SBATCH --array=0-{}\n", s.tasks - 1);
  script += fmt::format("#SBATCH --output={}/%A_%a.log\n", dir.string());
  script += fmt::format("#SBATCH --cpus-per-task={}\n", opts.cpus_per_task);
  script += "#SBATCH --ntasks=1\n";
  if (!opts.partition.empty()) script += fmt::format("#SBATCH --partition={}\n", opts.partition);
  if (!opts.time_limit.empty()) script += fmt::format("#SBATCH --time={}\n", opts.time_limit);
  if (!opts.mem.empty()) script += fmt::format("#SBATCH --mem={}\n", opts.mem);
  for (const auto& e : opts.extra) script += fmt::format("#SBATCH {}\n", e);
  script += fmt::format(
      "# tiersim sweep '{}': {} distinct points in {} chunks of up to {}.\n"
      "# Each task runs its chunk with the local runner (resumable; done points are skipped).\n"
      "cd {}\n"
      "exec {} sweep {} -j 1 -q --no-collect --shard \"$SLURM_ARRAY_TASK_ID\" --shards {}\n",
      spec.name, s.points, s.tasks, chunk, quote(fs::current_path().string()), quote(binary),
      quote(sweep_file), s.tasks);
  s.script = (dir / "job.sh").string();
  write_file_atomic(s.script, script);
  fs::permissions(s.script, fs::perms::owner_exec, fs::perm_options::add);

  const std::string cmd =
      fmt::format("sbatch --parsable {} {} 2>&1", opts.wait ? "--wait" : "", quote(s.script));
  std::FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) throw std::runtime_error("cannot run sbatch");
  std::string text;
  std::array<char, 512> buf{};
  while (std::fgets(buf.data(), buf.size(), p) != nullptr) text += buf.data();
  const int status = ::pclose(p);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error(fmt::format("sbatch failed: {}", text.empty() ? "no output" : text));
  }
  // --parsable prints "jobid[;cluster]" (with --wait, the job id comes first).
  s.job_id = text.substr(0, text.find_first_of(";\n"));
  write_file_atomic((dir / "job_id").string(), s.job_id + "\n");
  return s;
}

}  // namespace tiersim::sweep
