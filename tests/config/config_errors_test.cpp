// Malformed configs: each case asserts the exact message (file:line:col, what, did-you-mean) and
// the exit status 2 of `tiersim config validate`.
#include <gtest/gtest.h>

#include <string>

#include "tests/common/test_util.h"

namespace tiersim::test {
namespace {

constexpr const char* kBase = R"(system:
  components:
    host: {type: endpoint}
    mem:
      type: ideal_memory
      bandwidth: 25 GB/s
      latency: 100 ns
  links:
    - between: [host, mem]
      bandwidth: 16 GB/s
workloads:
  - type: synthetic
    requests: 10
    source: host
    target: mem
)";

class ConfigErrors : public ::testing::Test {
 protected:
  // Writes base.yaml plus `file` into a temp dir and validates `file` (with extra args) there.
  CommandResult validate(const std::string& name, const std::string& text,
                         const std::string& extra = "") {
    dir_.write("base.yaml", kBase);
    if (!text.empty()) dir_.write(name, text);
    return run_command("cd " + shell_quote(dir_.path().string()) + " && " +
                       shell_quote(TIERSIM_BINARY) + " config validate " + name + extra);
  }
  void expect_error(const CommandResult& r, const std::string& message) {
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.err, message + "\n");
    EXPECT_EQ(r.out, "");
  }
  // The message, then a note listing every registered component type (a list that grows as
  // models are added): the message is exact, the note must name the types that exist today.
  void expect_error_with_type_list(const CommandResult& r, const std::string& message) {
    EXPECT_EQ(r.exit_code, 2) << r.err;
    const std::string note = "\n  note: known component types: ";
    ASSERT_EQ(r.err.substr(0, message.size() + note.size()), message + note) << r.err;
    EXPECT_NE(r.err.find("endpoint"), std::string::npos);
    EXPECT_NE(r.err.find("ideal_memory"), std::string::npos);
  }
  TempDir dir_;
};

TEST_F(ConfigErrors, BaseIsValid) {
  const auto r = validate("base.yaml", "");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "base.yaml: valid\n");
}

TEST_F(ConfigErrors, UnknownKeySuggestsClosest) {
  expect_error(validate("a.yaml",
                        "extends: base.yaml\nsystem:\n  components:\n    mem:\n"
                        "      latncy: 5 ns\n"),
               "a.yaml:5:7: error: unknown key 'latncy' in system.components.mem; did you mean "
               "'latency'?\n  note: valid keys here: type, latency, bandwidth, capacity, source");
}

TEST_F(ConfigErrors, UnknownTopLevelKey) {
  expect_error(
      validate("a.yaml", "extends: base.yaml\nsytem:\n  x: 1\n"),
      "a.yaml:2:1: error: unknown key 'sytem' at the top level; did you mean 'system'?\n"
      "  note: valid keys here: name, description, seed, kernel, system, workloads, serving, "
      "stats, output");
}

TEST_F(ConfigErrors, MissingRequiredKey) {
  expect_error(validate("a.yaml",
                        "system:\n  components:\n    host: {type: endpoint}\n"
                        "    mem: {type: ideal_memory, latency: 5 ns}\nworkloads: []\n"),
               "a.yaml:4:10: error: missing required key 'bandwidth' in system.components.mem\n"
               "  note: 'bandwidth': Data-port bandwidth.");
}

TEST_F(ConfigErrors, MissingComponentType) {
  expect_error_with_type_list(validate("a.yaml",
                                       "extends: base.yaml\nsystem:\n  components:\n"
                                       "    extra: {bandwidth: 1 GB/s}\n"),
                              "a.yaml:4:12: error: missing required key 'type' in "
                              "system.components.extra");
}

TEST_F(ConfigErrors, WrongUnitSizeWhereTimeExpected) {
  expect_error(
      validate("a.yaml",
               "extends: base.yaml\nsystem:\n  components:\n    mem:\n      latency: 5 GB\n"),
      "a.yaml:5:16: error: system.components.mem.latency: expected a time such as "
      "'120 ns', got a size '5 GB'");
}

TEST_F(ConfigErrors, WrongScalarType) {
  expect_error(validate("a.yaml", "extends: base.yaml\nseed: abc\n"),
               "a.yaml:2:7: error: seed: expected a non-negative integer such as 42, got 'abc'");
}

TEST_F(ConfigErrors, MapWhereScalarExpected) {
  expect_error(validate("a.yaml", "extends: base.yaml\nname: {a: 1}\n"),
               "a.yaml:2:7: error: name: expected a string such as 'hbm', got a map");
}

TEST_F(ConfigErrors, BadYamlSyntax) {
  expect_error(validate("a.yaml",
                        "extends: base.yaml\nsystem:\n  components:\n    mem:\n"
                        "      latency: [1, 2\n"),
               "a.yaml:6:1: error: YAML syntax error: end of sequence flow not found");
}

TEST_F(ConfigErrors, IncludeCycle) {
  dir_.write("b.yaml", "extends: a.yaml\nname: b\n");
  expect_error(validate("a.yaml", "extends: b.yaml\nname: a\n"),
               "b.yaml:1:10: error: include cycle: a.yaml -> b.yaml -> a.yaml");
}

TEST_F(ConfigErrors, ExtendsMissingFile) {
  expect_error(validate("a.yaml", "extends: nothere.yaml\n"),
               "a.yaml:1:10: error: cannot open 'nothere.yaml': No such file or directory");
}

TEST_F(ConfigErrors, UnknownComponentTypeSuggestsClosest) {
  expect_error_with_type_list(
      validate("a.yaml",
               "extends: base.yaml\nsystem:\n  components:\n    mem:\n"
               "      type: ideal_memry\n"),
      "a.yaml:5:13: error: system.components.mem.type: unknown component type "
      "'ideal_memry'; did you mean 'ideal_memory'?");
}

TEST_F(ConfigErrors, UnknownWorkloadType) {
  expect_error(validate("a.yaml",
                        "extends: base.yaml\nworkloads:\n  - type: synthtic\n"
                        "    source: host\n    target: mem\n"),
               "a.yaml:3:11: error: workloads.0.type: unknown workload type 'synthtic'; did you "
               "mean 'synthetic'?\n  note: known workload types: device_trace, synthetic");
}

TEST_F(ConfigErrors, DuplicateKey) {
  expect_error(validate("a.yaml", "extends: base.yaml\nseed: 1\nseed: 2\n"),
               "a.yaml:3:1: error: duplicate key 'seed'\n  note: first defined at a.yaml:2:1");
}

TEST_F(ConfigErrors, BadChoice) {
  expect_error(validate("a.yaml",
                        "extends: base.yaml\nworkloads:\n  - type: synthetic\n"
                        "    requests: 1\n    pattern: randon\n"
                        "    source: host\n    target: mem\n"),
               "a.yaml:5:14: error: workloads.0.pattern: 'randon' is not one of: sequential, "
               "strided, random; did you mean 'random'?");
}

TEST_F(ConfigErrors, BelowMinimum) {
  expect_error(validate("base.yaml", "", " --set workloads.0.max_outstanding=0"),
               "--set workloads.0.max_outstanding=0: error: workloads.0.max_outstanding: must be "
               ">= 1, got 0");
}

TEST_F(ConfigErrors, TimeBelowResolution) {
  expect_error(validate("base.yaml", "", " --set system.components.mem.latency=0.5ps"),
               "--set system.components.mem.latency=0.5ps: error: system.components.mem.latency: "
               "'0.5ps' is not a whole number of picoseconds (the time resolution is 1 ps)");
}

TEST_F(ConfigErrors, NumberWithoutUnit) {
  expect_error(validate("base.yaml", "", " --set system.components.mem.latency=12"),
               "--set system.components.mem.latency=12: error: system.components.mem.latency: "
               "'12' has no unit; expected a time such as '120 ns'");
}

TEST_F(ConfigErrors, UnknownUnitSuggestsClosest) {
  expect_error(validate("a.yaml",
                        "extends: base.yaml\nsystem:\n  components:\n    mem:\n"
                        "      bandwidth: 25 GBs\n"),
               "a.yaml:5:18: error: system.components.mem.bandwidth: unknown bandwidth unit 'GBs' "
               "in '25 GBs' (did you mean 'GB/s'?)");
}

TEST_F(ConfigErrors, WorkloadTargetMustNameAComponent) {
  expect_error(validate("base.yaml", "", " --set workloads.0.target=mme"),
               "--set workloads.0.target=mme: error: workloads.0.target: no component named "
               "'mme'; did you mean 'mem'?\n  note: components: host, mem");
}

TEST_F(ConfigErrors, LinkEndpointMustNameAComponent) {
  expect_error(validate("a.yaml",
                        "extends: base.yaml\nsystem:\n  links:\n"
                        "    - between: [host, memm]\n      bandwidth: 1 GB/s\n"),
               "a.yaml:4:23: error: system.links.0.between.1: no component named 'memm'; did you "
               "mean 'mem'?\n  note: components: host, mem");
}

TEST_F(ConfigErrors, MissingConfigFile) {
  expect_error(validate("nothere.yaml", ""),
               "nothere.yaml: error: cannot open config file: No such file or directory");
}

TEST_F(ConfigErrors, BadOverrideSyntax) {
  expect_error(validate("base.yaml", "", " --set seed"),
               "--set seed: error: expected --set path.to.key=value");
}

}  // namespace
}  // namespace tiersim::test
