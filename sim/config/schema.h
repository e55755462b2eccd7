// Declarative schemas for config maps, and validation against them.
//
// A Schema lists the keys a map may hold: each with a value type (string, bool, int, time, size,
// bandwidth, ..., nested map, list, dict of named items), whether it is required, its default,
// allowed choices and a doc string. Polymorphic items (a component chosen by `type:`) are
// validated through a resolver that returns the schema for the item.
//
// validate() contract:
//  - Throws ConfigError at the first problem, naming file:line:col:
//      unknown key      -> "unknown key 'latncy' in system.components.hbm; did you mean 'latency'?"
//      missing key      -> "missing required key 'bandwidth' in system.components.hbm"
//      wrong type/unit  -> "system.components.hbm.latency: expected a time such as '120 ns', ..."
//      bad choice       -> "... 'rnd' is not one of: sequential, random; did you mean 'random'?"
//  - Fills in defaults (so the resolved config shows every effective value) and puts keys in the
//    schema's order.
//  - Rewrites `path` values to absolute paths, relative to the directory of the file that holds
//    them (or the working directory for --set and defaults), so a resolved config runs anywhere.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/config/node.h"

namespace tiersim::config {

enum class Type {
  kString,
  kBool,
  kInt,
  kUInt,
  kFloat,
  kTime,
  kSize,
  kBandwidth,
  kFrequency,
  kTransferRate,
  kEnergy,
  kPower,
  kPath,
  kMap,   // nested map with fixed keys (schema)
  kList,  // list of items (item_type, or maps validated by item schema / resolver)
  kDict,  // map of user-named items (e.g. components), each validated like a list item
  kAny,   // accepted as is
};

[[nodiscard]] std::string_view type_name(Type t);

class Schema;
using SchemaPtr = std::shared_ptr<const Schema>;
// Returns the schema for a polymorphic item (e.g. by its `type:` key); throws ConfigError itself
// for an unknown type. `path` is the item's dotted path, for messages.
using SchemaResolver = std::function<SchemaPtr(const Node& item, const std::string& path)>;

struct Field {
  std::string key;
  Type type = Type::kString;
  std::string doc;
  bool required = false;
  std::optional<std::string> default_text;
  std::vector<std::string> choices;
  SchemaPtr schema;                 // kMap; or the item schema of kList/kDict
  Type item_type = Type::kMap;      // kList/kDict: item type when items are scalars
  SchemaResolver resolver;          // kList/kDict with polymorphic map items
  std::optional<double> min_value;  // numeric types: inclusive lower bound
  std::optional<double> max_value;  // numeric types: inclusive upper bound
  std::string unit_hint;            // shown in docs only

  Field& require() {
    required = true;
    return *this;
  }
  Field& default_to(std::string text) {
    default_text = std::move(text);
    return *this;
  }
  Field& one_of(std::vector<std::string> c) {
    choices = std::move(c);
    return *this;
  }
  Field& nested(SchemaPtr s) {
    schema = std::move(s);
    return *this;
  }
  Field& items(Type t) {
    item_type = t;
    return *this;
  }
  Field& items(SchemaPtr s) {
    item_type = Type::kMap;
    schema = std::move(s);
    return *this;
  }
  Field& items_by(SchemaResolver r) {
    item_type = Type::kMap;
    resolver = std::move(r);
    return *this;
  }
  Field& at_least(double v) {
    min_value = v;
    return *this;
  }
  Field& at_most(double v) {
    max_value = v;
    return *this;
  }
};

class Schema {
 public:
  explicit Schema(std::string name, std::string doc = "")
      : name_(std::move(name)), doc_(std::move(doc)) {}
  Field& add(std::string key, Type type, std::string doc);
  [[nodiscard]] const std::vector<Field>& fields() const { return fields_; }
  [[nodiscard]] const Field* field(std::string_view key) const;
  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const std::string& doc() const { return doc_; }
  [[nodiscard]] std::vector<std::string> keys() const;

 private:
  std::string name_;
  std::string doc_;
  std::vector<Field> fields_;
};

// Validates `root` (a map) against `schema`; fills defaults; absolutizes paths.
void validate(Node& root, const Schema& schema, const std::string& path = "");

// Markdown reference of a schema (and nested schemas), for docs and `tiersim config schema`.
[[nodiscard]] std::string describe(const Schema& schema, int heading_level = 3);

}  // namespace tiersim::config
