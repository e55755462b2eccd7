// `tiersim trace import-device` as registered by add_trace_import_command() (sim/cli), parsed with
// CLI11 in-process: conversion, exit statuses, and the output read back with open_trace().
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "sim/cli/commands.h"
#include "sim/trace/trace_reader.h"
#include "tests/common/test_util.h"

namespace tiersim::cli {
void add_trace_import_command(CLI::App& trace_cmd, Context& ctx);
}

namespace tiersim::cli {
namespace {

int run(std::vector<std::string> args) {
  CLI::App app{"test"};
  Context ctx;
  auto* trace_cmd = app.add_subcommand("trace", "Trace tools.");
  add_trace_import_command(*trace_cmd, ctx);
  args.insert(args.begin(), {"tiersim", "trace"});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    return kConfigError;
  }
  return ctx.exit_code;
}

TEST(TraceImportCommand, ConvertsDramsim3ToTextWithClockAndSize) {
  test::TempDir dir;
  const auto in = dir.write("in.trc", "0x100 READ 0\n0x200 WRITE 3\n").string();
  const auto out = (dir.path() / "out.trace").string();
  EXPECT_EQ(
      run({"import-device", "--from", "dramsim3", "--clock", "1 GHz", "--size", "128 B", in, out}),
      kOk);
  auto r = trace::open_trace(out);
  trace::Record rec;
  ASSERT_TRUE(r->next(rec));
  EXPECT_EQ(rec.address, 0x100u);
  EXPECT_EQ(rec.bytes.count(), 128u);
  ASSERT_TRUE(r->next(rec));
  EXPECT_EQ(rec.op, trace::Op::kWrite);
  EXPECT_EQ(rec.time.ps(), 3000);
  EXPECT_FALSE(r->next(rec));
}

TEST(TraceImportCommand, ConvertsRamulatorToHdf5) {
  test::TempDir dir;
  const auto in = dir.write("in.trace", "LD 0x0\nST 0x40\n").string();
  const auto out = (dir.path() / "out.h5").string();
  EXPECT_EQ(run({"import-device", "--from", "ramulator", in, out}), kOk);
  auto r = trace::open_trace(out);
  trace::Record rec;
  ASSERT_TRUE(r->next(rec));
  ASSERT_TRUE(r->next(rec));
  EXPECT_EQ(rec.time.ps(), 625);  // default 1.6 GHz
  EXPECT_EQ(rec.bytes.count(), 64u);
}

TEST(TraceImportCommand, BadOptionsExit2AndBadTracesExit3) {
  test::TempDir dir;
  const auto in = dir.write("in.trace", "LD 0x0\nXX 0x40\n").string();
  const auto out = (dir.path() / "out.trace").string();
  EXPECT_EQ(run({"import-device", "--from", "dramsim2", in, out}), kConfigError);
  EXPECT_EQ(run({"import-device", "--from", "ramulator", "--clock", "5 ns", in, out}),
            kConfigError);
  EXPECT_EQ(run({"import-device", "--from", "ramulator", "--size", "0 B", in, out}), kConfigError);
  EXPECT_EQ(run({"import-device", in, out}), kConfigError);  // --from is required
  EXPECT_EQ(run({"import-device", "--from", "ramulator", in, out}), kTraceError);
  EXPECT_FALSE(std::filesystem::exists(out));  // nothing published for a bad trace
}

}  // namespace
}  // namespace tiersim::cli
