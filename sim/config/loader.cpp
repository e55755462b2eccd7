#include "sim/config/loader.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/config/config_error.h"

namespace tiersim::config {

namespace fs = std::filesystem;

namespace {

Origin origin_of(const YAML::Mark& m, const std::string& file) {
  if (m.is_null()) return Origin{file, 0, 0};
  return Origin{file, m.line + 1, m.column + 1};
}

Node convert(const YAML::Node& y, const std::string& file) {
  const Origin o = origin_of(y.Mark(), file);
  switch (y.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return Node::null(o);
    case YAML::NodeType::Scalar:
      return Node::scalar(y.Scalar(), o, y.Tag() == "!");
    case YAML::NodeType::Sequence: {
      Node n = Node::seq(o);
      for (const auto& item : y) n.push(convert(item, file));
      return n;
    }
    case YAML::NodeType::Map: {
      Node n = Node::map(o);
      for (const auto& kv : y) {
        const Origin ko = origin_of(kv.first.Mark(), file);
        if (!kv.first.IsScalar()) {
          throw ConfigError(ko, "map keys must be plain strings");
        }
        const std::string key = kv.first.Scalar();
        if (const Node::Entry* prev = n.find_entry(key)) {
          throw ConfigError(ko, fmt::format("duplicate key '{}'", key),
                            fmt::format("first defined at {}", prev->key_origin.str()));
        }
        n.entries().push_back(Node::Entry{key, ko, convert(kv.second, file)});
      }
      return n;
    }
  }
  return Node::null(o);
}

std::string read_text(const std::string& path, const Origin& where) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    const std::string why = std::strerror(errno);
    if (where.file.empty()) {
      throw ConfigError(Origin{path, 0, 0}, fmt::format("cannot open config file: {}", why));
    }
    throw ConfigError(where, fmt::format("cannot open '{}': {}", path, why));
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string canonical_or_same(const std::string& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(fs::path(p), ec);
  return ec ? p : c.string();
}

class Resolver {
 public:
  Node load(const std::string& path, const Origin& requested_at) {
    const std::string canon = canonical_or_same(path);
    for (std::size_t i = 0; i < stack_.size(); ++i) {
      if (stack_[i].canon == canon) {
        std::string chain;
        for (std::size_t j = i; j < stack_.size(); ++j) chain += stack_[j].shown + " -> ";
        chain += path;
        throw ConfigError(requested_at, fmt::format("include cycle: {}", chain));
      }
    }
    stack_.push_back({canon, path});
    Node root = parse_yaml(read_text(path, requested_at), path);
    resolve(root, fs::path(path).parent_path());
    stack_.pop_back();
    return root;
  }

 private:
  // Resolves `extends` in `n` and below. `dir` is the directory of the file `n` came from.
  void resolve(Node& n, const fs::path& dir) {
    if (n.is_seq()) {
      for (auto& item : n.items()) resolve(item, dir);
      return;
    }
    if (!n.is_map()) return;
    const Node::Entry* ext = n.find_entry("extends");
    if (ext != nullptr) {
      std::vector<const Node*> paths;
      if (ext->value.is_scalar()) {
        paths.push_back(&ext->value);
      } else if (ext->value.is_seq()) {
        for (const auto& p : ext->value.items()) {
          if (!p.is_scalar()) {
            throw ConfigError(p.origin(), "'extends' items must be file paths");
          }
          paths.push_back(&p);
        }
      } else {
        throw ConfigError(ext->value.origin(),
                          "'extends' must be a file path or a list of file paths");
      }
      Node merged = Node::map(n.origin());
      for (const Node* p : paths) {
        const fs::path target = dir / p->text();
        Node base = load(target.lexically_normal().string(), p->origin());
        if (!base.is_map()) {
          throw ConfigError(p->origin(),
                            fmt::format("'{}' does not hold a map, cannot extend it", p->text()));
        }
        merge_into(merged, base);
      }
      Node own = n;
      own.erase("extends");
      for (auto& e : own.entries()) resolve(e.value, dir);
      merge_into(merged, own);
      merged.set_origin(n.origin());
      n = std::move(merged);
      return;
    }
    for (auto& e : n.entries()) resolve(e.value, dir);
  }

  struct Frame {
    std::string canon;
    std::string shown;
  };
  std::vector<Frame> stack_;
};

void emit(YAML::Emitter& out, const Node& n) {
  switch (n.kind()) {
    case Node::Kind::kNull:
      out << YAML::Null;
      return;
    case Node::Kind::kScalar:
      if (n.quoted()) out << YAML::DoubleQuoted;
      out << n.text();
      return;
    case Node::Kind::kSeq:
      out << YAML::BeginSeq;
      for (const auto& i : n.items()) emit(out, i);
      out << YAML::EndSeq;
      return;
    case Node::Kind::kMap:
      out << YAML::BeginMap;
      for (const auto& e : n.entries()) {
        out << YAML::Key << e.key << YAML::Value;
        emit(out, e.value);
      }
      out << YAML::EndMap;
      return;
  }
}

}  // namespace

Node parse_yaml(const std::string& text, const std::string& file) {
  try {
    const YAML::Node y = YAML::Load(text);
    Node n = convert(y, file);
    if (n.is_null()) n = Node::map(Origin{file, 1, 1});  // an empty file is an empty map
    return n;
  } catch (const YAML::ParserException& e) {
    throw ConfigError(origin_of(e.mark, file), fmt::format("YAML syntax error: {}", e.msg));
  }
}

Node load_file(const std::string& path) {
  Resolver r;
  return r.load(path, Origin{});
}

void merge_into(Node& base, const Node& top) {
  if (!base.is_map() || !top.is_map()) {
    base = top;
    return;
  }
  for (const auto& e : top.entries()) {
    Node* existing = base.find(e.key);
    if (existing != nullptr && existing->is_map() && e.value.is_map()) {
      merge_into(*existing, e.value);
      existing->set_origin(e.value.origin());
    } else {
      base.set(e.key, e.value, e.key_origin);
    }
  }
}

void apply_override(Node& root, const std::string& assignment) {
  const Origin where{fmt::format("--set {}", assignment), 0, 0};
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw ConfigError(where, "expected --set path.to.key=value");
  }
  const std::string path = assignment.substr(0, eq);
  const std::string value = assignment.substr(eq + 1);
  Node parsed;
  try {
    parsed = parse_yaml(value, where.file);
  } catch (const ConfigError& e) {
    throw ConfigError(where, fmt::format("cannot parse the value: {}", e.message()));
  }
  if (value.empty()) parsed = Node::null(where);
  // Re-stamp origins so errors name the --set argument.
  struct Stamp {
    static void all(Node& n, const Origin& o) {
      n.set_origin(o);
      for (auto& e : n.entries()) {
        e.key_origin = o;
        all(e.value, o);
      }
      for (auto& i : n.items()) all(i, o);
    }
  };
  Stamp::all(parsed, where);

  Node* cur = &root;
  std::size_t start = 0;
  while (true) {
    const auto dot = path.find('.', start);
    const std::string part = path.substr(start, dot == std::string::npos ? dot : dot - start);
    if (part.empty()) throw ConfigError(where, fmt::format("empty key in path '{}'", path));
    const bool last = dot == std::string::npos;
    if (cur->is_seq()) {
      std::size_t idx = 0;
      try {
        idx = std::stoul(part);
      } catch (const std::exception&) {
        throw ConfigError(where, fmt::format("'{}' indexes a list; expected a number", part));
      }
      if (idx >= cur->items().size()) {
        throw ConfigError(where, fmt::format("index {} is past the end of a list of {} items", idx,
                                             cur->items().size()));
      }
      if (last) {
        cur->items()[idx] = parsed;
        return;
      }
      cur = &cur->items()[idx];
    } else {
      if (!cur->is_map()) *cur = Node::map(where);
      if (last) {
        Node* existing = cur->find(part);
        if (existing != nullptr && existing->is_map() && parsed.is_map()) {
          merge_into(*existing, parsed);
        } else {
          cur->set(part, parsed, where);
        }
        return;
      }
      Node* next = cur->find(part);
      if (next == nullptr) next = &cur->set(part, Node::map(where), where);
      cur = next;
    }
    start = dot + 1;
  }
}

Node load_with_overrides(const std::string& path, const std::vector<std::string>& overrides) {
  Node root = load_file(path);
  for (const auto& o : overrides) apply_override(root, o);
  return root;
}

std::string to_yaml(const Node& root) {
  YAML::Emitter out;
  out.SetIndent(2);
  emit(out, root);
  std::string s = out.c_str();
  s += "\n";
  return s;
}

}  // namespace tiersim::config
