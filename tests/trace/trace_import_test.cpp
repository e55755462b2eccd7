// Ramulator 2 and DRAMsim3 trace importers: records, cycle -> time conversion, error texts
// naming file:line: record n. (Lives with the SRAM tests while issue 3 is split across agents;
// LABELS trace.)
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/trace/import_line_reader.h"
#include "sim/trace/trace_import.h"
#include "tests/common/test_util.h"

namespace tiersim::trace {
namespace {

struct Imported {
  std::vector<Record> records;
  std::string error = "no error";
};

Imported import(const std::string& text, ImportFormat format, ImportOptions options = {}) {
  test::TempDir dir;
  const auto path = dir.write("in.trace", text);
  Imported out;
  try {
    auto reader = open_imported_trace(path.string(), format, options);
    Record r;
    while (reader->next(r)) out.records.push_back(r);
    EXPECT_EQ(reader->records_read(), out.records.size());
    EXPECT_EQ(reader->streams(), std::vector<std::string>{"default"});
  } catch (const TraceError& e) {
    // Strip the temp directory: keep "in.trace:<line>: record <n>: <what>".
    const std::string what = e.what();
    out.error = what.substr(what.find("in.trace"));
  }
  return out;
}

ImportOptions at(double hz, std::uint64_t size = 64) {
  ImportOptions o;
  o.clock = Frequency::hz(hz);
  o.request_size = Bytes(size);
  return o;
}

TEST(CyclesToTime, RoundsOncePerCountSoThereIsNoDrift) {
  EXPECT_EQ(cycles_to_time(1, Frequency::hz(1.6e9))->ps(), 625);
  EXPECT_EQ(cycles_to_time(1, Frequency::hz(3e9))->ps(), 333);  // 333.3
  EXPECT_EQ(cycles_to_time(2, Frequency::hz(3e9))->ps(), 667);  // 666.7
  EXPECT_EQ(cycles_to_time(3000, Frequency::hz(3e9))->ps(), 1'000'000);
  EXPECT_EQ(cycles_to_time(1, Frequency::hz(4e12))->ps(), 0);  // 0.25 ps
  EXPECT_EQ(cycles_to_time(1, Frequency::hz(2e12))->ps(), 1);  // 0.5 ps: half up
  EXPECT_FALSE(cycles_to_time(~0ULL, Frequency::hz(1e9)).has_value());
}

TEST(RamulatorImport, OneRequestPerFrontendCycle) {
  const auto t =
      import("LD 0x40\nST 128\n# comment\n\nld 0x1000\n", ImportFormat::kRamulator, at(1e9));
  ASSERT_EQ(t.error, "no error");
  ASSERT_EQ(t.records.size(), 3u);
  EXPECT_EQ(t.records[0].time.ps(), 0);
  EXPECT_EQ(t.records[0].op, Op::kRead);
  EXPECT_EQ(t.records[0].address, 0x40u);
  EXPECT_EQ(t.records[0].bytes.count(), 64u);
  EXPECT_EQ(t.records[1].time.ps(), 1000);
  EXPECT_EQ(t.records[1].op, Op::kWrite);
  EXPECT_EQ(t.records[1].address, 128u);
  EXPECT_EQ(t.records[2].time.ps(), 2000);
  EXPECT_EQ(t.records[2].address, 0x1000u);
}

TEST(RamulatorImport, BubbleCountsAreIdleCyclesBeforeTheRequest) {
  // 2 GHz (500 ps): cycles 5, 5 + 1 + 0 = 6, 6 + 1 + 10 = 17.
  const auto t =
      import("5 LD 0x0\n0 ST 0x40\n10 LD 0x80\n", ImportFormat::kRamulator, at(2e9, 128));
  ASSERT_EQ(t.error, "no error");
  ASSERT_EQ(t.records.size(), 3u);
  EXPECT_EQ(t.records[0].time.ps(), 2500);
  EXPECT_EQ(t.records[1].time.ps(), 3000);
  EXPECT_EQ(t.records[2].time.ps(), 8500);
  EXPECT_EQ(t.records[2].bytes.count(), 128u);
}

TEST(RamulatorImport, ErrorsNameTheLineAndRecord) {
  const auto k = ImportFormat::kRamulator;
  EXPECT_EQ(import("LD 0x0\nXX 0x40\n", k).error,
            "in.trace:2: record 2: bad op 'XX' (expected LD or ST)");
  EXPECT_EQ(import("# header\nLD\n", k).error,
            "in.trace:2: record 1: missing field 'address' (expected: [bubbles] LD|ST address)");
  EXPECT_EQ(import("LD 0x0 0x40\n", k).error,
            "in.trace:1: record 1: unexpected extra field '0x40'");
  EXPECT_EQ(import("LD 0xZZ\n", k).error,
            "in.trace:1: record 1: address '0xZZ' is not a hex or decimal integer");
  EXPECT_EQ(import("# a\n\n1a LD 0\n", k).error,
            "in.trace:3: record 1: bubble count '1a' is not a decimal integer");
  EXPECT_EQ(import("7\n", k).error,
            "in.trace:1: record 1: missing field 'op' (expected: [bubbles] LD|ST address)");
  EXPECT_EQ(import("18446744073709551615 LD 0\n1 LD 0\n", k, at(1e18)).error,
            "in.trace:2: record 2: cycle count overflows 64 bits");
}

TEST(DramSim3Import, HexAddressesOpsAndMemoryCycles) {
  // Default clock 1.6 GHz: cycle 16 = 10 ns. Addresses are hex with or without 0x.
  const auto t = import("0x1F00 READ 0\n2000 WRITE 16\n0xabc read 16\n", ImportFormat::kDramSim3);
  ASSERT_EQ(t.error, "no error");
  ASSERT_EQ(t.records.size(), 3u);
  EXPECT_EQ(t.records[0].address, 0x1F00u);
  EXPECT_EQ(t.records[0].op, Op::kRead);
  EXPECT_EQ(t.records[0].time.ps(), 0);
  EXPECT_EQ(t.records[1].address, 0x2000u);
  EXPECT_EQ(t.records[1].op, Op::kWrite);
  EXPECT_EQ(t.records[1].time.ps(), 10'000);
  EXPECT_EQ(t.records[2].address, 0xABCu);
  EXPECT_EQ(t.records[2].time.ps(), 10'000);
  EXPECT_EQ(t.records[2].bytes.count(), 64u);
}

TEST(DramSim3Import, ErrorsNameTheLineAndRecord) {
  const auto k = ImportFormat::kDramSim3;
  EXPECT_EQ(import("0x0 READ 10\n0x0 READ 5\n", k).error,
            "in.trace:2: record 2: time 3.125 ns is earlier than the previous record's 6.25 ns "
            "(times must be non-decreasing)");
  EXPECT_EQ(import("0x0 READX 1\n", k).error,
            "in.trace:1: record 1: bad op 'READX' (expected READ or WRITE)");
  EXPECT_EQ(import("0x0 READ\n", k).error,
            "in.trace:1: record 1: missing field 'cycle' (expected: address READ|WRITE cycle)");
  EXPECT_EQ(import("0x0\n", k).error,
            "in.trace:1: record 1: missing field 'op' (expected: address READ|WRITE cycle)");
  EXPECT_EQ(import("0x0 READ 1 9\n", k).error, "in.trace:1: record 1: unexpected extra field '9'");
  EXPECT_EQ(import("0xG READ 1\n", k).error,
            "in.trace:1: record 1: address '0xG' is not a hex integer");
  EXPECT_EQ(import("0x10000000000000000 READ 1\n", k).error,
            "in.trace:1: record 1: address '0x10000000000000000' does not fit in 64 bits");
  EXPECT_EQ(import("0x0 READ 1.5\n", k).error,
            "in.trace:1: record 1: cycle '1.5' is not a decimal integer");
  EXPECT_EQ(import("0x0 READ 18446744073709551615\n", k).error,
            "in.trace:1: record 1: cycle 18446744073709551615 is too large for a time in "
            "picoseconds");
}

TEST(TraceImport, FormatNamesAndOptionsAreChecked) {
  ImportFormat f{};
  EXPECT_TRUE(parse_import_format("Ramulator", f));
  EXPECT_EQ(f, ImportFormat::kRamulator);
  EXPECT_TRUE(parse_import_format("dramsim3", f));
  EXPECT_EQ(f, ImportFormat::kDramSim3);
  EXPECT_FALSE(parse_import_format("dramsim2", f));
  test::TempDir dir;
  const auto p = dir.write("t", "LD 0\n").string();
  EXPECT_THROW((void)open_imported_trace(p, ImportFormat::kRamulator, at(0.0)),
               std::invalid_argument);
  EXPECT_THROW((void)open_imported_trace(p, ImportFormat::kRamulator, at(1e9, 0)),
               std::invalid_argument);
  try {
    (void)open_imported_trace((dir.path() / "missing").string(), ImportFormat::kDramSim3, {});
    FAIL() << "expected a TraceError";
  } catch (const TraceError& e) {
    EXPECT_NE(std::string(e.what()).find("missing: cannot open trace: "), std::string::npos);
  }
}

}  // namespace
}  // namespace tiersim::trace
