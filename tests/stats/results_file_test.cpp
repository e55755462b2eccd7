#include "sim/stats/results_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/common/test_util.h"
#include "tests/stats/h5_read.h"

namespace tiersim::stats {
namespace {

namespace fs = std::filesystem;
using namespace tiersim::test::h5read;
using tiersim::test::TempDir;

constexpr const char* kYaml = "system:\n  name: demo\n  dram:\n    bandwidth: 100 GB/s\n";

RequestRow make_row(std::uint64_t i) {
  RequestRow r{};
  r.id = i;
  r.stream = static_cast<std::uint16_t>(i % 3);
  r.kind = static_cast<std::uint8_t>(i % 3);
  r.source = 1;
  r.target = static_cast<std::uint16_t>(2 + i % 2);
  r.address = 0x1000 * i;
  r.bytes = 64 * (1 + i % 4);
  r.arrival_ps = static_cast<std::int64_t>(i) * 1000;
  r.issue_ps = r.arrival_ps + static_cast<std::int64_t>(i % 7) * 10;
  r.complete_ps = r.issue_ps + 5000 + static_cast<std::int64_t>(i);
  return r;
}

void expect_row_eq(const RequestRow& got, const RequestRow& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.stream, want.stream);
  EXPECT_EQ(got.kind, want.kind);
  EXPECT_EQ(got.source, want.source);
  EXPECT_EQ(got.target, want.target);
  EXPECT_EQ(got.address, want.address);
  EXPECT_EQ(got.bytes, want.bytes);
  EXPECT_EQ(got.arrival_ps, want.arrival_ps);
  EXPECT_EQ(got.issue_ps, want.issue_ps);
  EXPECT_EQ(got.complete_ps, want.complete_ps);
}

StatsRegistry make_stats() {
  StatsRegistry reg(Time::ns(100));
  StatGroup& dram = reg.group("dram0");  // registered before "cache": order is not alphabetical
  dram.counter("reads", "reads served").add(42);
  dram.counter("writes").add(7);
  // 200 B over [50, 250) ns: windows of 100 ns get 50, 100, 50.
  dram.series("bytes", "B", "bytes moved").add_interval(Time::ns(50), Time::ns(250), 200.0);
  LatencyHistogram& lat = dram.histogram("latency", "read latency");
  for (std::int64_t i = 1; i <= 1000; ++i) lat.add(Time::ns(i));
  StatGroup& cache = reg.group("cache");
  cache.counter("hits").add(3);
  static_cast<void>(cache.histogram("empty_latency"));
  return reg;
}

std::vector<Attr> make_summary(double mean_latency_ns = 12.5) {
  return {{"requests", std::uint64_t{10000}},
          {"sim_time_ps", std::int64_t{123456789}},
          {"mean_latency_ns", mean_latency_ns},
          {"model", std::string("basic")},
          {"a_last", std::int64_t{-3}}};
}

// Writes every part of the schema (what a run writes), with `rows` request rows.
void populate(ResultsFile& f, std::uint64_t rows, double mean_latency_ns = 12.5) {
  f.write_config(kYaml, "configs/demo.yaml");
  f.write_names("components", {"host", "cache", "dram0", "dram1"});
  f.write_names("streams", {"weights", "kv", "activations"});
  for (std::uint64_t i = 0; i < rows; ++i) f.append_request(make_row(i));
  f.write_summary(make_summary(mean_latency_ns));
  f.write_stats(make_stats());
  f.write_run_info({{"wall_time_s", 1.25}, {"host", std::string("testhost")}});
}

TEST(ResultsFile, RoundTripOfEveryPart) {
  const TempDir dir;
  const std::string path = (dir.path() / "run.h5").string();
  {
    ResultsFile f(path);
    populate(f, 10000);
    f.commit();
  }
  const H5::H5File file(path, H5F_ACC_RDONLY);
  const H5::Group root = file.openGroup("/");
  EXPECT_EQ(str_attr(root, "format"), "tiersim-results");
  EXPECT_EQ(attr_kind(root, "schema_version"), "int64");
  EXPECT_EQ(i64_attr(root, "schema_version"), 1);
  EXPECT_EQ(str_attr(root, "tiersim_version"), TIERSIM_VERSION);
  EXPECT_EQ(link_names(root), (std::vector<std::string>{"requests", "config", "names", "summary",
                                                        "components", "run_info"}));

  const H5::DataSet cfg = file.openDataSet("/config/resolved");
  EXPECT_EQ(cfg.getSpace().getSimpleExtentType(), H5S_SCALAR);
  EXPECT_EQ(read_scalar_string(cfg), kYaml);
  EXPECT_EQ(str_attr(cfg, "source_file"), "configs/demo.yaml");

  EXPECT_EQ(read_strings(file.openDataSet("/names/components")),
            (std::vector<std::string>{"host", "cache", "dram0", "dram1"}));
  EXPECT_EQ(read_strings(file.openDataSet("/names/streams")),
            (std::vector<std::string>{"weights", "kv", "activations"}));

  const H5::Group summary = file.openGroup("/summary");
  EXPECT_EQ(attr_names(summary), (std::vector<std::string>{"requests", "sim_time_ps",
                                                           "mean_latency_ns", "model", "a_last"}));
  EXPECT_EQ(attr_kind(summary, "requests"), "uint64");
  EXPECT_EQ(u64_attr(summary, "requests"), 10000u);
  EXPECT_EQ(attr_kind(summary, "sim_time_ps"), "int64");
  EXPECT_EQ(i64_attr(summary, "sim_time_ps"), 123456789);
  EXPECT_EQ(attr_kind(summary, "mean_latency_ns"), "double");
  EXPECT_EQ(f64_attr(summary, "mean_latency_ns"), 12.5);
  EXPECT_EQ(attr_kind(summary, "model"), "string");
  EXPECT_EQ(str_attr(summary, "model"), "basic");
  EXPECT_EQ(i64_attr(summary, "a_last"), -3);

  const H5::DataSet req = file.openDataSet("/requests");
  const std::vector<RequestRow> rows = read_requests(req);
  ASSERT_EQ(rows.size(), 10000u);
  for (std::uint64_t i = 0; i < rows.size(); ++i) {
    expect_row_eq(rows[i], make_row(i));
    if (testing::Test::HasFailure()) FAIL() << "first bad row " << i;
  }
  const H5::CompType req_type = req.getCompType();
  ASSERT_EQ(req_type.getNmembers(), 10);
  const std::vector<std::string> fields = {"id",       "stream",     "kind",  "source",
                                           "target",   "address",    "bytes", "arrival_ps",
                                           "issue_ps", "complete_ps"};
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(req_type.getMemberName(static_cast<unsigned>(i)),
              fields[static_cast<std::size_t>(i)]);

  const H5::Group components = file.openGroup("/components");
  EXPECT_EQ(link_names(components), (std::vector<std::string>{"dram0", "cache"}));
  const H5::Group dram = file.openGroup("/components/dram0");
  EXPECT_EQ(attr_names(dram), (std::vector<std::string>{"reads", "writes"}));
  EXPECT_EQ(attr_kind(dram, "reads"), "uint64");
  EXPECT_EQ(u64_attr(dram, "reads"), 42u);
  EXPECT_EQ(u64_attr(dram, "writes"), 7u);

  const H5::DataSet bytes = file.openDataSet("/components/dram0/series/bytes");
  EXPECT_EQ(read_f64(bytes), (std::vector<double>{50.0, 100.0, 50.0}));
  EXPECT_EQ(attr_kind(bytes, "window_ps"), "int64");
  EXPECT_EQ(i64_attr(bytes, "window_ps"), 100000);
  EXPECT_EQ(str_attr(bytes, "unit"), "B");
  EXPECT_EQ(str_attr(bytes, "doc"), "bytes moved");

  const H5::Group lat = file.openGroup("/components/dram0/histograms/latency");
  const LatencyHistogram expected = [] {
    LatencyHistogram h;
    for (std::int64_t i = 1; i <= 1000; ++i) h.add(Time::ns(i));
    return h;
  }();
  EXPECT_EQ(read_f64(file.openDataSet("/components/dram0/histograms/latency/edges_ps")),
            expected.edges_ps());
  const std::vector<std::uint64_t> counts =
      read_u64(file.openDataSet("/components/dram0/histograms/latency/counts"));
  EXPECT_EQ(counts, expected.counts());
  EXPECT_EQ(counts.size(), 1500u);  // empty bins are kept
  EXPECT_EQ(attr_names(lat),
            (std::vector<std::string>{"count", "underflow", "overflow", "min_ps", "max_ps",
                                      "mean_ps", "p50_ps", "p90_ps", "p99_ps", "p999_ps", "doc"}));
  EXPECT_EQ(u64_attr(lat, "count"), 1000u);
  EXPECT_EQ(u64_attr(lat, "underflow"), 0u);
  EXPECT_EQ(u64_attr(lat, "overflow"), 0u);
  EXPECT_EQ(attr_kind(lat, "min_ps"), "int64");
  EXPECT_EQ(i64_attr(lat, "min_ps"), 1000);
  EXPECT_EQ(i64_attr(lat, "max_ps"), 1000000);
  EXPECT_EQ(i64_attr(lat, "mean_ps"), 500500);
  EXPECT_EQ(i64_attr(lat, "p50_ps"), expected.percentile(0.5).ps());
  EXPECT_NEAR(static_cast<double>(i64_attr(lat, "p50_ps")), 500000.0, 0.0233 * 500000.0);
  EXPECT_EQ(i64_attr(lat, "p90_ps"), expected.percentile(0.9).ps());
  EXPECT_EQ(i64_attr(lat, "p99_ps"), expected.percentile(0.99).ps());
  EXPECT_EQ(i64_attr(lat, "p999_ps"), expected.percentile(0.999).ps());
  EXPECT_EQ(str_attr(lat, "doc"), "read latency");

  const H5::Group cache = file.openGroup("/components/cache");
  EXPECT_EQ(u64_attr(cache, "hits"), 3u);
  EXPECT_EQ(file.openGroup("/components/cache/series").getNumObjs(), 0u);
  const H5::Group empty = file.openGroup("/components/cache/histograms/empty_latency");
  EXPECT_EQ(u64_attr(empty, "count"), 0u);
  EXPECT_EQ(i64_attr(empty, "min_ps"), 0);
  EXPECT_EQ(i64_attr(empty, "p99_ps"), 0);
  EXPECT_EQ(read_u64(file.openDataSet("/components/cache/histograms/empty_latency/counts")),
            std::vector<std::uint64_t>(1500, 0));

  const H5::Group run_info = file.openGroup("/run_info");
  EXPECT_EQ(attr_names(run_info), (std::vector<std::string>{"wall_time_s", "host"}));
  EXPECT_EQ(f64_attr(run_info, "wall_time_s"), 1.25);
  EXPECT_EQ(str_attr(run_info, "host"), "testhost");
}

TEST(ResultsFile, RequestsAreChunkedCompressedAndExtendedAcrossChunks) {
  const TempDir dir;
  const std::string path = (dir.path() / "run.h5").string();
  constexpr std::uint64_t kRows = 2 * 16384 + 5;
  {
    ResultsFile f(path);
    for (std::uint64_t i = 0; i < kRows; ++i) f.append_request(make_row(i));
    f.commit();
  }
  const H5::H5File file(path, H5F_ACC_RDONLY);
  const H5::DataSet req = file.openDataSet("/requests");
  hsize_t dims[1] = {0};
  hsize_t max_dims[1] = {0};
  req.getSpace().getSimpleExtentDims(dims, max_dims);
  EXPECT_EQ(dims[0], kRows);
  EXPECT_EQ(max_dims[0], H5S_UNLIMITED);
  const H5::DSetCreatPropList dcpl = req.getCreatePlist();
  EXPECT_EQ(dcpl.getLayout(), H5D_CHUNKED);
  hsize_t chunk[1] = {0};
  dcpl.getChunk(1, chunk);
  EXPECT_EQ(chunk[0], 16384u);
  EXPECT_TRUE(dcpl.allFiltersAvail());
  ASSERT_EQ(dcpl.getNfilters(), 2);
  unsigned flags = 0;
  std::size_t nvalues = 4;
  unsigned values[4] = {};
  char name[64] = {};
  unsigned config = 0;
  EXPECT_EQ(dcpl.getFilter(0, flags, nvalues, values, sizeof(name), name, config),
            H5Z_FILTER_SHUFFLE);
  nvalues = 4;
  EXPECT_EQ(dcpl.getFilter(1, flags, nvalues, values, sizeof(name), name, config),
            H5Z_FILTER_DEFLATE);
  EXPECT_EQ(values[0], 1u);  // deflate level
  const std::vector<RequestRow> rows = read_requests(req);
  ASSERT_EQ(rows.size(), kRows);
  for (const std::uint64_t i : {std::uint64_t{0}, std::uint64_t{16383}, std::uint64_t{16384},
                                std::uint64_t{32767}, std::uint64_t{32768}, kRows - 1}) {
    expect_row_eq(rows[i], make_row(i));
  }
  std::uint64_t id_sum = 0;
  for (const RequestRow& r : rows) id_sum += r.id;
  EXPECT_EQ(id_sum, kRows * (kRows - 1) / 2);
}

TEST(ResultsFile, NoRequestsDatasetWhenDisabled) {
  const TempDir dir;
  const std::string path = (dir.path() / "run.h5").string();
  {
    ResultsFile f(path, /*write_requests=*/false);
    populate(f, 1000);  // append_request is a no-op
    f.commit();
  }
  const H5::H5File file(path, H5F_ACC_RDONLY);
  EXPECT_FALSE(file.nameExists("/requests"));
  EXPECT_TRUE(file.nameExists("/summary"));
}

TEST(ResultsFile, EmptyRequestsDatasetWhenNoRowWasAppended) {
  const TempDir dir;
  const std::string path = (dir.path() / "run.h5").string();
  {
    ResultsFile f(path);
    f.commit();
  }
  const H5::H5File file(path, H5F_ACC_RDONLY);
  ASSERT_TRUE(file.nameExists("/requests"));
  const H5::DataSet req = file.openDataSet("/requests");
  EXPECT_EQ(req.getSpace().getSimpleExtentNpoints(), 0);
  EXPECT_EQ(req.getCompType().getNmembers(), 10);
}

TEST(ResultsFile, FileAppearsAtPathOnlyOnCommit) {
  const TempDir dir;
  const fs::path path = dir.path() / "run.h5";
  ResultsFile f(path.string());
  EXPECT_EQ(f.path(), path.string());
  EXPECT_EQ(f.temp_path(), path.string() + ".tmp." + std::to_string(::getpid()));
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(fs::exists(f.temp_path()));
  populate(f, 100);
  EXPECT_FALSE(fs::exists(path));
  f.commit();
  EXPECT_TRUE(fs::exists(path));
  EXPECT_FALSE(fs::exists(f.temp_path()));
  EXPECT_THROW(f.write_summary({}), std::logic_error);
  EXPECT_THROW(f.commit(), std::logic_error);
}

TEST(ResultsFile, DestroyWithoutCommitLeavesNothing) {
  const TempDir dir;
  const fs::path path = dir.path() / "run.h5";
  std::string temp;
  {
    ResultsFile f(path.string());
    temp = f.temp_path();
    populate(f, 20000);  // one chunk of rows already written to the temp file
    EXPECT_TRUE(fs::exists(temp));
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(ResultsFile, CommitReplacesAnExistingFile) {
  const TempDir dir;
  const fs::path path = dir.write("run.h5", "old contents");
  {
    ResultsFile f(path.string());
    f.write_summary(make_summary());
    f.commit();
  }
  const H5::H5File file(path.string(), H5F_ACC_RDONLY);
  EXPECT_EQ(str_attr(file.openGroup("/summary"), "model"), "basic");
}

TEST(ResultsFile, MissingDirectoryIsAClearError) {
  const TempDir dir;
  const std::string path = (dir.path() / "no_such_dir" / "run.h5").string();
  try {
    ResultsFile f(path);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
    EXPECT_NE(msg.find("does not exist"), std::string::npos) << msg;
  }
  EXPECT_FALSE(fs::exists(dir.path() / "no_such_dir"));
}

TEST(ResultsFile, Hdf5FailureBecomesRuntimeErrorNamingFileAndOperation) {
  const TempDir dir;
  const fs::path path = dir.path() / "run.h5";
  std::string temp;
  {
    ResultsFile f(path.string());
    temp = f.temp_path();
    f.write_summary(make_summary());
    try {
      f.write_summary(make_summary());  // /summary exists already
      FAIL() << "expected an error";
    } catch (const std::runtime_error& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find(path.string()), std::string::npos) << msg;
      EXPECT_NE(msg.find("create group /summary"), std::string::npos) << msg;
    }
    try {
      f.write_names("bad/table", {"x"});  // parent group "bad" does not exist
      FAIL() << "expected an error";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("/names/bad/table"), std::string::npos) << e.what();
    }
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(temp));
}

TEST(ResultsFile, IdenticalContentGivesByteIdenticalFiles) {
  const TempDir dir;
  const std::string a = (dir.path() / "a.h5").string();
  const std::string b = (dir.path() / "b.h5").string();
  const std::string c = (dir.path() / "c.h5").string();
  for (const std::string& p : {a, b}) {
    ResultsFile f(p);
    populate(f, 20000);
    f.commit();
    // HDF5 object timestamps have one-second resolution: write the twin in a later second so
    // that any tracked time would make the bytes differ.
    if (p == a) std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  }
  {
    ResultsFile f(c);
    populate(f, 20000, /*mean_latency_ns=*/12.75);  // one summary value differs
    f.commit();
  }
  const auto same = tiersim::test::run_command("cmp " + tiersim::test::shell_quote(a) + " " +
                                               tiersim::test::shell_quote(b));
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
  const auto differ = tiersim::test::run_command("cmp " + tiersim::test::shell_quote(a) + " " +
                                                 tiersim::test::shell_quote(c));
  EXPECT_EQ(differ.exit_code, 1) << "cmp must see the differing summary value: " << differ.out
                                 << differ.err;
}

TEST(ResultsFile, PythonH5pyReadsSummaryAndRequests) {
  const auto probe = tiersim::test::run_command(std::string(TIERSIM_PYTHON) + " -c 'import h5py'");
  if (probe.exit_code != 0) {
    GTEST_SKIP() << TIERSIM_PYTHON << " cannot import h5py (install python3-h5py): " << probe.err;
  }
  const TempDir dir;
  const std::string path = (dir.path() / "run.h5").string();
  {
    ResultsFile f(path);
    populate(f, 10000);
    f.commit();
  }
  const fs::path script = dir.write("read.py", R"(import sys
import h5py
with h5py.File(sys.argv[1], "r") as f:
    print(f.attrs["format"], int(f.attrs["schema_version"]))
    s = f["summary"].attrs
    print(",".join(s.keys()))
    print(int(s["requests"]), int(s["sim_time_ps"]), float(s["mean_latency_ns"]), s["model"])
    r = f["requests"]
    print(r.shape[0], ",".join(r.dtype.names))
    row = r[9999]
    print(int(row["id"]), int(row["bytes"]), int(row["complete_ps"]))
    print(int(r["bytes"].sum()))
    names = [n.decode() for n in f["names/components"][:]]
    print(",".join(names))
    print(",".join(f["components"].keys()))
)");
  const auto out = tiersim::test::run_command(std::string(TIERSIM_PYTHON) + " " +
                                              tiersim::test::shell_quote(script.string()) + " " +
                                              tiersim::test::shell_quote(path));
  ASSERT_EQ(out.exit_code, 0) << out.err;
  // Row 9999: bytes 64 * (1 + 9999 % 4) = 256; complete = 9999000 + 30 + 5000 + 9999.
  // Bytes over all rows: 2500 rows each of 64, 128, 192, 256 = 1,600,000.
  const std::string expected =
      "tiersim-results 1\n"
      "requests,sim_time_ps,mean_latency_ns,model,a_last\n"
      "10000 123456789 12.5 basic\n"
      "10000 id,stream,kind,source,target,address,bytes,arrival_ps,issue_ps,complete_ps\n"
      "9999 256 10014029\n"
      "1600000\n"
      "host,cache,dram0,dram1\n"
      "dram0,cache\n";
  EXPECT_EQ(out.out, expected) << out.err;
}

}  // namespace
}  // namespace tiersim::stats
