// `tiersim validate` as a user meets it, on synthetic measurement files (tests/validate/fixtures:
// hand-made numbers, not hardware results): the report and its files, and the error paths with
// their exit status (2 usage / unknown device, 3 missing or malformed measurements).
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "tests/common/test_util.h"

namespace tiersim::test {
namespace {

namespace fs = std::filesystem;

std::string fixture(const std::string& name) {
  return source_dir() + "/tests/validate/fixtures/" + name;
}

CommandResult validate(const std::string& args) {
  return run_command("cd " + shell_quote(source_dir()) + " && " + shell_quote(TIERSIM_BINARY) +
                     " validate " + args);
}

// The start of a statistics row: the set's name padded to 28 columns, then n in 4.
std::string stats_row(const std::string& set, std::size_t n) {
  std::string count = std::to_string(n);
  return "\n" + set + std::string(28 - set.size(), ' ') + " " + std::string(4 - count.size(), ' ') +
         count + " ";
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

TEST(ValidateCli, ReportsEveryPointAndTheStatisticsBySet) {
  TempDir dir;
  const std::string csv = (dir.path() / "report.csv").string();
  const auto r = validate(shell_quote(fixture("synthetic_h100.jsonl")) + " -o " + shell_quote(csv));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("GPU preset configs/gpu/h100_sxm.yaml"), std::string::npos) << r.out;
  // Sets: 9 points, 4 calibration, 5 held out; the unmeasured point is listed, not scored.
  EXPECT_NE(r.out.find(stats_row("all", 9)), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(stats_row("calibration", 4)), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(stats_row("held_out", 5)), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("copy/d2d/1MiB: synthetic: an unmeasured point"), std::string::npos);
  const auto rows = lines(read_file(csv));
  ASSERT_EQ(rows.size(), 10u);
  EXPECT_EQ(rows[0], "id,kind,set,measured_s,predicted_s,error,spread");
  for (std::size_t i = 1; i < rows.size(); ++i) {
    // error == (predicted - measured) / measured, row by row
    std::vector<std::string> f;
    std::stringstream ss(rows[i]);
    for (std::string c; std::getline(ss, c, ',');) f.push_back(c);
    ASSERT_GE(f.size(), 6u) << rows[i];
    const double m = std::stod(f[3]), p = std::stod(f[4]), e = std::stod(f[5]);
    EXPECT_GT(p, 0) << rows[i];
    EXPECT_NEAR(e, (p - m) / m, 1e-5 * std::max(1.0, std::abs(e))) << rows[i];
  }
  EXPECT_EQ(rows[1].rfind("copy/h2d/pinned/64MiB,copy,held_out,1.200000e-03,", 0), 0u) << rows[1];
  // The first point carries min/max: spread (1.22 - 1.19) / 1.2 = 2.5%.
  EXPECT_EQ(rows[1].substr(rows[1].size() - 8), "0.025000") << rows[1];
}

TEST(ValidateCli, WritesHdf5AndThePlot) {
  TempDir dir;
  const std::string h5 = (dir.path() / "report.h5").string();
  const std::string png = (dir.path() / "scatter.png").string();
  const auto r = validate(shell_quote(fixture("synthetic_h100.jsonl")) + " --summary-only -o " +
                          shell_quote(h5) + " --plot " + shell_quote(png));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("hbm/copy/1GiB/occ100"), std::string::npos);  // --summary-only
  const auto check = run_command(
      std::string(TIERSIM_PYTHON) + " -c " +
      shell_quote("import h5py,sys; f=h5py.File(sys.argv[1]); print(len(f['points/id']), "
                  "int(f['summary/held_out'].attrs['n']), f.attrs['device'])") +
      " " + shell_quote(h5));
  ASSERT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.out, "9 5 NVIDIA H100 80GB HBM3\n");
  ASSERT_TRUE(fs::exists(png));
  EXPECT_EQ(read_file(png).substr(1, 3), "PNG");
  // No temp files left next to the outputs.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 2u);
}

TEST(ValidateCli, MissingFileIsExitStatus3) {
  const auto r = validate("/nonexistent/m.jsonl");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.err, "error: /nonexistent/m.jsonl: cannot open the measurement file\n");
}

TEST(ValidateCli, MalformedRecordIsExitStatus3NamingLineAndRecord) {
  const std::string f = fixture("synthetic_malformed.jsonl");
  const auto r = validate(shell_quote(f));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.err, "error: " + f + ":4: record 3: field 'm' must be an unsigned integer\n");
  EXPECT_EQ(r.out, "");
}

TEST(ValidateCli, UnknownDeviceIsExitStatus2WithTheKnownOnes) {
  const std::string f = fixture("synthetic_unknown_device.jsonl");
  const auto r = validate(shell_quote(f));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: " + f +
                       ": unknown device 'Imaginary GPU 9000': no GPU preset matches it (known: "
                       "NVIDIA H100 SXM (\"NVIDIA H100 80GB HBM3\"), NVIDIA H200 SXM (\"NVIDIA "
                       "H200\")); name one with --gpu configs/gpu/<preset>.yaml\n");
  // Naming a preset makes it work.
  const auto ok = validate(shell_quote(f) + " --gpu configs/gpu/h200_sxm.yaml");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("GPU preset configs/gpu/h200_sxm.yaml"), std::string::npos);
}

TEST(ValidateCli, CalibrationDriftIsExitStatus4NamingThePoints) {
  // The committed H100 measurements: every calibration point within 5% of the presets (the
  // largest, the pinned D2H copy, -4.2%).
  const std::string h100 = source_dir() + "/tests/golden/h100/measurements.jsonl";
  const auto ok = validate(shell_quote(h100) + " --summary-only --max-calibration-error 0.05");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  // At 3%, the pinned D2H copy (-4.2%, spread 0.7%) is named; the GEMM (0.0%) is not.
  const auto drift = validate(shell_quote(h100) + " --summary-only --max-calibration-error 0.03");
  EXPECT_EQ(drift.exit_code, 4);
  EXPECT_NE(drift.err.find("calibration point copy/d2h/pinned/256MiB is -4.2% off (bound 3.0%)"),
            std::string::npos)
      << drift.err;
  EXPECT_EQ(drift.err.find("gemm/8192x8192x8192"), std::string::npos) << drift.err;
  EXPECT_EQ(drift.err.find("pageable"), std::string::npos) << drift.err;
}

TEST(ValidateCli, UsageErrorsAreExitStatus2) {
  EXPECT_EQ(validate("").exit_code, 2);  // no measurement file
  const auto r = validate(shell_quote(fixture("synthetic_h100.jsonl")) + " -o report.txt");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: -o must end in .csv or .h5, got 'report.txt'\n");
}

}  // namespace
}  // namespace tiersim::test
