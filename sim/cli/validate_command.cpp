// tiersim validate <measurements.jsonl> [-o report.csv|report.h5] [--plot scatter.png]
//                  [--configs DIR] [--gpu PRESET] [--summary-only]
//                  [--max-calibration-error FRACTION]
// Predicts every point the CUDA reference backend measured and reports the simulator's error
// (docs/validation.md). Exit status: 0 report written; 2 bad usage or unknown device (no GPU
// preset matches), or a bad preset; 3 missing or malformed measurement file (the message names
// file, line and record); 1 a simulation, the plot or writing the report failed; 4 a calibration
// point is further off than max(--max-calibration-error, half its sample spread) (the presets no
// longer match the calibration they cite, beyond the point's own noise; each such point is
// named). Held-out errors never change the status.
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>

#include "sim/cli/commands.h"
#include "sim/validate/validate.h"

extern char** environ;

namespace tiersim::cli {
namespace {

namespace fs = std::filesystem;

struct ValidateArgs {
  std::string measurements;
  std::string output;
  std::string plot;
  std::string configs = "configs";
  std::string gpu;
  bool summary_only = false;
  double max_calibration_error = -1;  // < 0: not checked
};

constexpr int kCalibrationDrift = 4;

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Runs analysis/plot_validation.py on a report CSV.
void plot(const std::string& csv, const std::string& png, const std::string& configs,
          const std::string& title) {
  const std::string script =
      (fs::path(configs) / ".." / "analysis" / "plot_validation.py").string();
  if (!fs::exists(script)) throw std::runtime_error("--plot: no " + script);
  std::string python = "/usr/bin/python3";
  if (!fs::exists(python)) python = "python3";
  std::vector<std::string> args = {python, script, csv, "-o", png, "--title", title};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, python.c_str(), nullptr, nullptr, argv.data(), environ);
  if (rc != 0)
    throw std::runtime_error("--plot: cannot start " + python + ": " + std::strerror(rc));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error("--plot: waitpid failed");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("--plot: " + script + " failed");
  }
}

int run_validate(const ValidateArgs& a) {
  if (!a.output.empty() && !ends_with(a.output, ".csv") && !ends_with(a.output, ".h5")) {
    std::cerr << "error: -o must end in .csv or .h5, got '" << a.output << "'\n";
    return kConfigError;
  }
  const validate::MeasurementFile f = validate::read_measurements(a.measurements);
  validate::ValidateOptions o;
  o.configs_dir = a.configs;
  o.gpu_preset = a.gpu;
  o.tiersim = fs::read_symlink("/proc/self/exe").string();
  validate::Report r;
  try {
    r = validate::validate(f, o);
  } catch (const validate::UnknownDevice& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kConfigError;
  }
  validate::print_report(std::cout, r, !a.summary_only);
  if (!a.output.empty()) {
    if (ends_with(a.output, ".csv")) {
      validate::write_csv(a.output, r);
    } else {
      validate::write_h5(a.output, r);
    }
    std::cout << "report: " << a.output << "\n";
  }
  if (!a.plot.empty()) {
    std::string csv = a.output;
    std::string tmp;
    if (!ends_with(csv, ".csv")) {
      tmp = a.plot + ".tmp." + std::to_string(::getpid()) + ".csv";
      validate::write_csv(tmp, r);
      csv = tmp;
    }
    std::string title = r.device;
    for (const auto& [key, value] : r.device_fields) {
      if (key == "synthetic") title += " - SYNTHETIC TEST INPUT, not measured";
    }
    try {
      plot(csv, a.plot, a.configs, title);
    } catch (...) {
      if (!tmp.empty()) fs::remove(tmp);
      throw;
    }
    if (!tmp.empty()) fs::remove(tmp);
    std::cout << "plot: " << a.plot << "\n";
  }
  if (a.max_calibration_error >= 0) {
    int off = 0;
    for (const auto& x : r.points) {
      const double noise = std::isfinite(x.spread) ? x.spread / 2 : 0.0;
      const double bound = std::max(a.max_calibration_error, noise);
      if (x.point.calibration && !(std::abs(x.error) <= bound)) {
        std::cerr << fmt::format("error: calibration point {} is {:+.1f}% off (bound {:.1f}%)\n",
                                 x.point.id, 100 * x.error, 100 * bound);
        ++off;
      }
    }
    if (off > 0) return kCalibrationDrift;
  }
  return kOk;
}

}  // namespace

void add_validate_command(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<ValidateArgs>();
  auto* cmd = app.add_subcommand(
      "validate", "Compare the simulator with measurements of the CUDA reference backend.");
  cmd->add_option("measurements", a->measurements,
                  "Measurement file (JSON Lines) written by tiersim_cuda_replay")
      ->required();
  cmd->add_option("-o,--output", a->output, "Write the per-point report (.csv or .h5)");
  cmd->add_option("--plot", a->plot, "Write a log-log scatter plot (PNG) with +-10% bands");
  cmd->add_option("--configs", a->configs, "Directory of presets (default: configs)");
  cmd->add_option("--gpu", a->gpu, "GPU preset to use instead of the one matched by device name");
  cmd->add_flag("--summary-only", a->summary_only, "Print only the statistics, not every point");
  cmd->add_option("--max-calibration-error", a->max_calibration_error,
                  "Exit 4 if a calibration point's |error| exceeds this fraction (e.g. 0.05) "
                  "and half its sample spread")
      ->check(CLI::Range(0.0, 10.0));
  cmd->callback([a, &ctx] { ctx.exit_code = guarded([&] { return run_validate(*a); }); });
}

}  // namespace tiersim::cli
