#include "sim/config/schema.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "sim/config/config_error.h"
#include "sim/config/did_you_mean.h"
#include "sim/config/units_parse.h"

namespace tiersim::config {

namespace fs = std::filesystem;

std::string_view type_name(Type t) {
  switch (t) {
    case Type::kString:
      return "string";
    case Type::kBool:
      return "bool";
    case Type::kInt:
      return "integer";
    case Type::kUInt:
      return "non-negative integer";
    case Type::kFloat:
      return "number";
    case Type::kTime:
      return "time";
    case Type::kSize:
      return "size";
    case Type::kBandwidth:
      return "bandwidth";
    case Type::kFrequency:
      return "frequency";
    case Type::kTransferRate:
      return "transfer rate";
    case Type::kEnergy:
      return "energy";
    case Type::kPower:
      return "power";
    case Type::kPath:
      return "path";
    case Type::kMap:
      return "map";
    case Type::kList:
      return "list";
    case Type::kDict:
      return "map of named items";
    case Type::kAny:
      return "any";
  }
  return "?";
}

Field& Schema::add(std::string key, Type type, std::string doc) {
  Field f;
  f.key = std::move(key);
  f.type = type;
  f.doc = std::move(doc);
  fields_.push_back(std::move(f));
  return fields_.back();
}

const Field* Schema::field(std::string_view key) const {
  for (const auto& f : fields_) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

std::vector<std::string> Schema::keys() const {
  std::vector<std::string> k;
  for (const auto& f : fields_) k.push_back(f.key);
  return k;
}

namespace {

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) s += sep;
    s += v[i];
  }
  return s;
}

std::string child_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

std::string where(const std::string& path) {
  return path.empty() ? "the top level" : path;
}
std::string in_where(const std::string& path) {
  return path.empty() ? "at the top level" : "in " + path;
}

void check_number(const Node& n, const Field& f, const std::string& path, double v) {
  if (f.min_value && v < *f.min_value) {
    throw ConfigError(n.origin(), fmt::format("{}: must be >= {}, got {}", path,
                                              fmt::format("{}", *f.min_value), n.text()));
  }
  if (f.max_value && v > *f.max_value) {
    throw ConfigError(n.origin(), fmt::format("{}: must be <= {}, got {}", path,
                                              fmt::format("{}", *f.max_value), n.text()));
  }
}

Quantity quantity_of(Type t) {
  switch (t) {
    case Type::kTime:
      return Quantity::kTime;
    case Type::kSize:
      return Quantity::kSize;
    case Type::kBandwidth:
      return Quantity::kBandwidth;
    case Type::kFrequency:
      return Quantity::kFrequency;
    case Type::kTransferRate:
      return Quantity::kTransferRate;
    case Type::kEnergy:
      return Quantity::kEnergy;
    default:
      return Quantity::kPower;
  }
}

void validate_value(Node& n, const Field& f, Type type, const std::string& path);

void validate_item(Node& item, const Field& f, const std::string& path) {
  if (f.item_type != Type::kMap) {
    validate_value(item, f, f.item_type, path);
    return;
  }
  if (!item.is_map()) {
    throw ConfigError(item.origin(),
                      fmt::format("{}: expected a map, got a {}", path, item.kind_name()));
  }
  SchemaPtr s = f.resolver ? f.resolver(item, path) : f.schema;
  if (s) validate(item, *s, path);
}

void validate_scalar_text(Node& n, Type type, const std::string& path) {
  try {
    switch (type) {
      case Type::kBool:
        (void)n.as_bool();
        break;
      case Type::kInt:
        (void)n.as_int();
        break;
      case Type::kUInt:
        (void)n.as_uint();
        break;
      case Type::kFloat:
        (void)n.as_double();
        break;
      case Type::kString:
      case Type::kPath:
        (void)n.as_string();
        break;
      default:
        if (!n.is_scalar()) {
          throw ConfigError(
              n.origin(),
              fmt::format("expected {} {} such as '{}', got a {}",
                          type == Type::kEnergy ? "an" : "a", quantity_name(quantity_of(type)),
                          quantity_example(quantity_of(type)), n.kind_name()));
        }
        try {
          check_quantity(quantity_of(type), n.text());
        } catch (const UnitError& e) {
          throw ConfigError(n.origin(), e.what());
        }
    }
  } catch (const ConfigError& e) {
    throw ConfigError(e.origin(), fmt::format("{}: {}", path, e.message()));
  }
}

void validate_value(Node& n, const Field& f, Type type, const std::string& path) {
  switch (type) {
    case Type::kAny:
      return;
    case Type::kMap:
      if (!n.is_map()) {
        throw ConfigError(n.origin(),
                          fmt::format("{}: expected a map, got a {}", path, n.kind_name()));
      }
      if (f.schema) validate(n, *f.schema, path);
      return;
    case Type::kList:
      if (!n.is_seq()) {
        throw ConfigError(n.origin(),
                          fmt::format("{}: expected a list, got a {}", path, n.kind_name()));
      }
      for (std::size_t i = 0; i < n.items().size(); ++i) {
        validate_item(n.items()[i], f, fmt::format("{}.{}", path, i));
      }
      return;
    case Type::kDict:
      if (!n.is_map()) {
        throw ConfigError(n.origin(),
                          fmt::format("{}: expected a map, got a {}", path, n.kind_name()));
      }
      for (auto& e : n.entries()) validate_item(e.value, f, child_path(path, e.key));
      return;
    default:
      break;
  }
  validate_scalar_text(n, type, path);
  if (!f.choices.empty() && type == Type::kString) {
    bool ok = false;
    for (const auto& c : f.choices) ok = ok || c == n.text();
    if (!ok) {
      const std::string hint = closest(n.text(), f.choices);
      throw ConfigError(
          n.origin(),
          fmt::format("{}: '{}' is not one of: {}{}", path, n.text(), join(f.choices, ", "),
                      hint.empty() ? "" : fmt::format("; did you mean '{}'?", hint)));
    }
  }
  if (type == Type::kInt) check_number(n, f, path, static_cast<double>(n.as_int()));
  if (type == Type::kUInt) check_number(n, f, path, static_cast<double>(n.as_uint()));
  if (type == Type::kFloat) check_number(n, f, path, n.as_double());
  if (type == Type::kPath) {
    fs::path p(n.text());
    if (p.is_relative()) {
      const std::string& file = n.origin().file;
      const bool from_file = n.origin().line > 0 && !file.empty();
      fs::path base = from_file ? fs::absolute(fs::path(file)).parent_path() : fs::current_path();
      p = (base / p).lexically_normal();
      n.set_text(p.string());
    }
  }
}

}  // namespace

void validate(Node& root, const Schema& schema, const std::string& path) {
  if (!root.is_map()) {
    throw ConfigError(root.origin(),
                      fmt::format("{}: expected a map, got a {}", where(path), root.kind_name()));
  }
  // Unknown keys first: a typo is the most likely cause of every other error.
  for (const auto& e : root.entries()) {
    if (schema.field(e.key) == nullptr) {
      const auto valid = schema.keys();
      const std::string hint = closest(e.key, valid);
      throw ConfigError(e.key_origin,
                        fmt::format("unknown key '{}' {}{}", e.key, in_where(path),
                                    hint.empty() ? "" : fmt::format("; did you mean '{}'?", hint)),
                        fmt::format("valid keys here: {}", join(valid, ", ")));
    }
  }
  for (const auto& f : schema.fields()) {
    Node* n = root.find(f.key);
    const std::string p = child_path(path, f.key);
    if (n == nullptr || n->is_null()) {
      if (f.required) {
        const Origin& o = n ? n->origin() : root.origin();
        throw ConfigError(o, fmt::format("missing required key '{}' {}", f.key, in_where(path)),
                          f.doc.empty() ? "" : fmt::format("'{}': {}", f.key, f.doc));
      }
      if (f.default_text) {
        Origin d{"<default>", 0, 0};
        root.set(f.key, Node::scalar(*f.default_text, d), d);
        n = root.find(f.key);
      } else if (f.type == Type::kMap && f.schema && n == nullptr &&
                 std::none_of(f.schema->fields().begin(), f.schema->fields().end(),
                              [](const Field& x) { return x.required; })) {
        // Absent optional sections still get their defaults (unless they need keys of their
        // own: then absent means "not used").
        Origin d{"<default>", 0, 0};
        Node& m = root.set(f.key, Node::map(d), d);
        validate(m, *f.schema, p);
        continue;
      } else {
        continue;
      }
    }
    validate_value(*n, f, f.type, p);
  }
  // Canonical order: the schema's order, so resolved configs read the same however composed.
  std::stable_sort(root.entries().begin(), root.entries().end(),
                   [&schema](const Node::Entry& a, const Node::Entry& b) {
                     const Field* fa = schema.field(a.key);
                     const Field* fb = schema.field(b.key);
                     return fa < fb;  // fields live in one vector: address order is schema order
                   });
}

namespace {

void describe_into(std::string& out, const Schema& s, int level, std::vector<const Schema*>& seen) {
  for (const Schema* x : seen) {
    if (x == &s) return;
  }
  seen.push_back(&s);
  out += fmt::format("{} {}\n\n", std::string(static_cast<std::size_t>(level), '#'), s.name());
  if (!s.doc().empty()) out += s.doc() + "\n\n";
  out += "| key | type | required | default | description |\n|---|---|---|---|---|\n";
  for (const auto& f : s.fields()) {
    std::string type(type_name(f.type));
    if (f.type == Type::kList || f.type == Type::kDict) {
      if (f.resolver) {
        type += " of entries typed by their `type` key";
      } else {
        type += fmt::format(" of {}", f.item_type == Type::kMap
                                          ? (f.schema ? f.schema->name() : std::string("maps"))
                                          : std::string(type_name(f.item_type)));
      }
    } else if (f.type == Type::kMap && f.schema) {
      type = f.schema->name();
    }
    std::string doc = f.doc;
    if (!f.choices.empty()) doc += fmt::format(" One of: {}.", join(f.choices, ", "));
    out += fmt::format("| `{}` | {} | {} | {} | {} |\n", f.key, type, f.required ? "yes" : "",
                       f.default_text ? fmt::format("`{}`", *f.default_text) : "", doc);
  }
  out += "\n";
  for (const auto& f : s.fields()) {
    if (f.schema) describe_into(out, *f.schema, level, seen);
  }
}

}  // namespace

std::string describe(const Schema& schema, int heading_level) {
  std::string out;
  std::vector<const Schema*> seen;
  describe_into(out, schema, heading_level, seen);
  return out;
}

}  // namespace tiersim::config
