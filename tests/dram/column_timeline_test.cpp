// ColumnTimeline (fast fidelity): pairwise column-to-column gaps on one data bus, taken from the
// HBM3 preset's constraint table, including columns placed before ones already recorded.
#include "models/dram/column_timeline.h"

#include <gtest/gtest.h>

#include "tests/dram/dram_test_util.h"

namespace tiersim::models::dram::test {
namespace {

DramAddress at_bank(std::uint32_t rank, std::uint32_t bank_group, std::uint32_t bank) {
  DramAddress a;
  a[Level::kRank] = rank;
  a[Level::kBankGroup] = bank_group;
  a[Level::kBank] = bank;
  return a;
}

class ColumnTimelineTest : public ::testing::Test {
 protected:
  ColumnTimelineTest() : spec(load_preset("hbm3_6400.yaml")), t(spec) { t.set_horizon(1000); }
  Cycle p(const char* name) const { return spec.params.at(name); }
  DramSpec spec;
  ColumnTimeline t;
};

TEST_F(ColumnTimelineTest, AfterAColumnKeepsTheTableGap) {
  t.record(0, Command::kRD, at_bank(0, 0, 0), 100);
  EXPECT_EQ(t.place(0, Command::kRD, at_bank(0, 1, 0), 100), 100 + p("nCCDS"));  // other BG
  EXPECT_EQ(t.place(0, Command::kRD, at_bank(0, 0, 1), 100), 100 + p("nCCDL"));  // same BG
  EXPECT_EQ(t.place(0, Command::kRD, at_bank(1, 0, 0), 100), 100 + p("nCCDR"));  // other SID
  EXPECT_EQ(t.place(0, Command::kWR, at_bank(0, 1, 0), 101),
            100 + p("nCL") + p("nBL") + 2 - p("nCWL"));             // read-to-write turnaround
  EXPECT_EQ(t.place(1, Command::kRD, at_bank(0, 0, 0), 100), 100);  // another bus: free
  EXPECT_EQ(t.place(0, Command::kRD, at_bank(0, 0, 0), 50), 50);    // well before: free
}

TEST_F(ColumnTimelineTest, FillsAGapBeforeLaterColumnsOnlyWhenBothSidesFit) {
  t.record(0, Command::kRD, at_bank(0, 0, 0), 100);
  t.record(0, Command::kRD, at_bank(0, 0, 1), 140);
  // A read to another bank group fits between them at its ready cycle.
  EXPECT_EQ(t.place(0, Command::kRD, at_bank(0, 1, 0), 120), 120);
  // A write needs tWTR before the read at 140: it cannot sit before it, so it goes after.
  const Cycle wtr = p("nCWL") + p("nBL") + p("nWTRL");
  EXPECT_GT(120 + wtr, 140);
  EXPECT_EQ(t.place(0, Command::kWR, at_bank(0, 0, 2), 120),
            140 + p("nCL") + p("nBL") + 2 - p("nCWL"));
  // Too close to the first read (same bank group): pushed to tCCD_L after it.
  EXPECT_EQ(t.place(0, Command::kRD, at_bank(0, 0, 3), 101), 100 + p("nCCDL"));
}

TEST_F(ColumnTimelineTest, TrainBlocksItsSpanAndTheWidestGapBeforeIt) {
  t.record_train(0, Command::kRD, at_bank(0, 3, 0), 200, 400, p("nCCDS"));
  EXPECT_EQ(t.newest(0), 400);
  EXPECT_EQ(t.place(0, Command::kRD, at_bank(0, 0, 0), 300), 400 + p("nCCDS"));
  EXPECT_EQ(t.place(0, Command::kRD, at_bank(0, 3, 0), 300), 400 + p("nCCDL"));
  EXPECT_EQ(t.place(0, Command::kRD, at_bank(0, 0, 0), 100), 100);  // well before: free
}

}  // namespace
}  // namespace tiersim::models::dram::test
