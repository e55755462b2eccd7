// tiersim_cuda_replay: runs the validation suite (sim/validate/suite.h) on a real NVIDIA GPU and
// writes the measurements as JSON Lines (docs/validation.md): a `device` record, one `point`
// record per measured point (or an `error` record naming the point), and an `end` record.
// The output is written to "<out>.partial" while running and renamed onto <out> at the end.
//
//   tiersim_cuda_replay -o measurements.jsonl [--only PREFIX]... [--samples N] [--device I]
//                       [--command TEXT] [--list] [--no-check]
// Before measuring, the decode-attention kernel is checked against a float64 host reference
// (check_decode_attention); a relative error above 2e-3 stops the run (exit status 1) and the
// errors are recorded in the device record. --no-check skips that.
// Exit status: 0 all points measured, 1 some point failed, the check failed or CUDA is unusable,
// 2 usage error.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "sim/replay/cuda/attention.cuh"
#include "sim/replay/cuda/cuda_check.h"
#include "sim/replay/cuda/device_info.h"
#include "sim/replay/cuda/measure.h"
#include "sim/validate/suite.h"

namespace {

using tiersim::validate::json_quote;

struct Options {
  std::string out;
  std::vector<std::string> only;
  int samples = 10;
  int device = 0;
  std::string command;
  bool list = false;
  bool check = true;
};

constexpr double kCheckBound = 2e-3;

int usage(const std::string& why) {
  std::cerr << "tiersim_cuda_replay: " << why
            << "\nusage: tiersim_cuda_replay -o OUT.jsonl [--only PREFIX]... [--samples N >= 10] "
               "[--device I] [--command TEXT] [--list] [--no-check]\n";
  return 2;
}

bool selected(const Options& o, const std::string& id) {
  if (o.only.empty()) return true;
  for (const auto& p : o.only) {
    if (id.rfind(p, 0) == 0) return true;
  }
  return false;
}

std::string number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6e", x);
  return buf;
}

std::string point_record(const tiersim::validate::Point& p, const tiersim::cuda::Timing& t) {
  const auto s = tiersim::cuda::summarize(t.samples_s);
  std::string r = "{\"record\":\"point\"," + tiersim::validate::json_members(p) +
                  ",\"reps\":" + std::to_string(t.reps) +
                  ",\"samples\":" + std::to_string(t.samples_s.size()) +
                  ",\"median_s\":" + number(s.median) + ",\"min_s\":" + number(s.min) +
                  ",\"max_s\":" + number(s.max) + ",\"samples_s\":[";
  for (std::size_t i = 0; i < t.samples_s.size(); ++i) {
    if (i > 0) r += ',';
    r += number(t.samples_s[i]);
  }
  return r + "]}";
}

int run(const Options& o) {
  std::vector<tiersim::validate::Point> points;
  for (const auto& p : tiersim::validate::standard_suite()) {
    if (selected(o, p.id)) points.push_back(p);
  }
  if (o.list) {
    for (const auto& p : points) {
      std::cout << p.id << (p.calibration ? "  (calibration)" : "") << "\n";
    }
    return 0;
  }
  if (points.empty()) return usage("no point matches --only");
  TIERSIM_CUDA(cudaSetDevice(o.device));
  const tiersim::cuda::DeviceInfo dev = tiersim::cuda::query_device(o.device);
  std::string check_log;
  double check_error = 0;
  if (o.check) {
    check_error = tiersim::cuda::check_decode_attention(dev.sms, &check_log);
    std::cerr << "decode-attention check against a float64 reference:\n" << check_log;
    if (!(check_error <= kCheckBound)) {
      std::cerr << "tiersim_cuda_replay: decode attention is wrong (relative error " << check_error
                << " > " << kCheckBound << "); nothing measured\n";
      return 1;
    }
  }
  const std::string partial = o.out + ".partial";
  std::ofstream f(partial, std::ios::trunc);
  if (!f) throw std::runtime_error("cannot write " + partial);
  f << "{\"record\":\"device\"," << tiersim::cuda::json_members(dev)
    << ",\"smi_fields\":" << json_quote(tiersim::cuda::smi_fields())
    << ",\"smi_before\":" << json_quote(tiersim::cuda::smi_reading(o.device))
    << ",\"command\":" << json_quote(o.command) << ",\"samples_per_point\":" << o.samples
    << ",\"attention_check\":" << json_quote(o.check ? check_log : "skipped") << "}\n";
  f.flush();
  tiersim::cuda::Gpu gpu(o.samples);
  int failed = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto& p = points[i];
    std::cerr << "[" << i + 1 << "/" << points.size() << "] " << p.id << std::flush;
    try {
      const tiersim::cuda::Timing t = tiersim::cuda::measure(gpu, p);
      f << point_record(p, t) << "\n";
      std::cerr << "  median " << tiersim::cuda::summarize(t.samples_s).median << " s\n";
    } catch (const std::exception& e) {
      ++failed;
      f << "{\"record\":\"error\",\"id\":" << json_quote(p.id)
        << ",\"message\":" << json_quote(e.what()) << "}\n";
      std::cerr << "  FAILED: " << e.what() << "\n";
      (void)cudaGetLastError();
    }
    f.flush();
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  f << "{\"record\":\"end\",\"points\":" << points.size() << ",\"failed\":" << failed
    << ",\"wall_s\":" << number(wall)
    << ",\"smi_after\":" << json_quote(tiersim::cuda::smi_reading(o.device)) << "}\n";
  f.close();
  if (!f) throw std::runtime_error("write failed: " + partial);
  std::filesystem::rename(partial, o.out);
  std::cerr << "wrote " << o.out << " (" << points.size() - static_cast<std::size_t>(failed)
            << " points, " << failed << " failed, " << wall << " s)\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    try {
      if (a == "-o") {
        o.out = value();
      } else if (a == "--only") {
        o.only.push_back(value());
      } else if (a == "--samples") {
        o.samples = std::stoi(value());
      } else if (a == "--device") {
        o.device = std::stoi(value());
      } else if (a == "--command") {
        o.command = value();
      } else if (a == "--list") {
        o.list = true;
      } else if (a == "--no-check") {
        o.check = false;
      } else {
        return usage("unknown argument " + a);
      }
    } catch (const std::exception& e) {
      return usage(e.what());
    }
  }
  if (o.out.empty() && !o.list) return usage("-o is required");
  if (o.samples < 10) return usage("--samples must be >= 10");
  try {
    return run(o);
  } catch (const std::exception& e) {
    std::cerr << "tiersim_cuda_replay: error: " << e.what() << "\n";
    return 1;
  }
}
