// Loading: extends composition, --set overrides, defaults, paths, YAML round trip.
#include <gtest/gtest.h>

#include <filesystem>

#include "sim/config/config_error.h"
#include "sim/config/loader.h"
#include "sim/config/schema.h"
#include "tests/common/test_util.h"

namespace tiersim::config {
namespace {

using test::TempDir;

TEST(Loader, ExtendsMergesMapsAndReplacesScalarsAndLists) {
  TempDir d;
  d.write("presets/base.yaml", "a: {x: 1, y: 2, list: [1, 2, 3]}\nb: base\nkeep: yes\n");
  d.write("exp.yaml", "extends: presets/base.yaml\na: {y: 20, list: [9]}\nb: derived\n");
  const Node n = load_file((d.path() / "exp.yaml").string());
  EXPECT_EQ(n.at("a").get_string("x"), "1");           // inherited
  EXPECT_EQ(n.at("a").get_string("y"), "20");          // overridden inside a merged map
  ASSERT_EQ(n.at("a").at("list").items().size(), 1u);  // lists replace, not append
  EXPECT_EQ(n.get_string("b"), "derived");
  EXPECT_EQ(n.get_string("keep"), "yes");
  EXPECT_FALSE(n.has("extends"));
  // Origins follow the file that set the value.
  EXPECT_NE(n.at("a").at("x").origin().file.find("base.yaml"), std::string::npos);
  EXPECT_NE(n.at("a").at("y").origin().file.find("exp.yaml"), std::string::npos);
}

TEST(Loader, ListOfExtendsAppliesInOrderAndNestedMapsMayExtend) {
  TempDir d;
  d.write("one.yaml", "v: 1\nw: 1\n");
  d.write("two.yaml", "v: 2\n");
  d.write("mem.yaml", "type: ideal_memory\nlatency: 10 ns\n");
  d.write("exp.yaml",
          "extends: [one.yaml, two.yaml]\nparts:\n  m:\n    extends: mem.yaml\n"
          "    latency: 20 ns\n");
  const Node n = load_file((d.path() / "exp.yaml").string());
  EXPECT_EQ(n.get_string("v"), "2");  // later base wins
  EXPECT_EQ(n.get_string("w"), "1");
  EXPECT_EQ(n.at("parts").at("m").get_string("type"), "ideal_memory");
  EXPECT_EQ(n.at("parts").at("m").get_time("latency"), Time::ns(20));
}

TEST(Loader, OverridesCreateReplaceAndIndexLists) {
  TempDir d;
  d.write("exp.yaml", "a: {b: 1}\nl: [{x: 1}, {x: 2}]\n");
  Node n = load_with_overrides((d.path() / "exp.yaml").string(),
                               {"a.b=5", "a.c.d=7 ns", "l.1.x=3", "new=[1, 2]"});
  EXPECT_EQ(n.at("a").get_uint("b"), 5u);
  EXPECT_EQ(n.at("a").at("c").get_time("d"), Time::ns(7));
  EXPECT_EQ(n.at("l").items()[1].get_uint("x"), 3u);
  EXPECT_EQ(n.at("new").items().size(), 2u);
  EXPECT_EQ(n.at("a").at("b").origin().file, "--set a.b=5");
  EXPECT_THROW(apply_override(n, "l.5.x=1"), ConfigError);
}

TEST(Loader, YamlRoundTripKeepsOrderAndQuoting) {
  const Node n = parse_yaml("z: 1\na: \"true\"\nm: {k: [1, 2]}\nnull_value:\n", "t.yaml");
  const std::string text = to_yaml(n);
  const Node back = parse_yaml(text, "t2.yaml");
  EXPECT_EQ(back.keys(), (std::vector<std::string>{"z", "a", "m", "null_value"}));
  EXPECT_TRUE(back.at("a").quoted());
  EXPECT_THROW((void)back.at("a").as_bool(), ConfigError);  // a quoted "true" is a string
  EXPECT_TRUE(back.at("null_value").is_null());
  EXPECT_EQ(to_yaml(back), text);
}

TEST(Schema, DefaultsAreFilledAndPathsMadeAbsolute) {
  TempDir d;
  d.write("sub/exp.yaml", "trace: ../t.trace\n");
  Node n = load_file((d.path() / "sub/exp.yaml").string());
  Schema s("test");
  s.add("trace", Type::kPath, "A file.").require();
  s.add("window", Type::kTime, "A time.").default_to("1 us");
  validate(n, s);
  EXPECT_EQ(n.get_string("trace"), (d.path() / "t.trace").lexically_normal().string());
  EXPECT_EQ(n.get_time("window"), Time::us(1));
  EXPECT_EQ(n.at("window").origin().file, "<default>");
}

TEST(Schema, DescribeListsEveryKeyWithTypeAndDefault) {
  Schema s("thing", "A thing.");
  s.add("latency", Type::kTime, "Latency.").default_to("5 ns");
  s.add("mode", Type::kString, "Mode.").one_of({"a", "b"}).require();
  const std::string md = describe(s);
  EXPECT_NE(md.find("| `latency` | time |  | `5 ns` | Latency. |"), std::string::npos) << md;
  EXPECT_NE(md.find("| `mode` | string | yes |  | Mode. One of: a, b. |"), std::string::npos) << md;
}

}  // namespace
}  // namespace tiersim::config
