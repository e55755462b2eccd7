// Registries of things built by type name from config (components, workloads, ...).
//
// Contract:
//  - Each implementation registers itself with one macro next to its code; there is no central
//    list to edit. Registration happens during static initialization, so libraries holding
//    registered types are linked whole (cmake: tiersim_link_whole).
//  - Registering a name twice aborts at start-up with a message (a programming error).
//  - names() is sorted, so listings and "did you mean" are deterministic.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config/schema.h"

namespace tiersim::kernel {

template <class Base, class Context>
class Registry {
 public:
  using Factory = std::function<std::unique_ptr<Base>(const Context&)>;
  struct Entry {
    std::string type;
    std::string doc;
    std::function<config::SchemaPtr()> schema;
    Factory make;
  };

  static Registry& instance() {
    static Registry r;
    return r;
  }

  bool add(Entry e) {
    if (entries_.count(e.type) != 0) {
      std::fprintf(stderr, "tiersim: type '%s' registered twice\n", e.type.c_str());
      std::abort();
    }
    std::string key = e.type;
    entries_.emplace(std::move(key), std::move(e));
    return true;
  }

  [[nodiscard]] const Entry* find(std::string_view type) const {
    auto it = entries_.find(std::string(type));
    return it == entries_.end() ? nullptr : &it->second;
  }

  [[nodiscard]] std::vector<std::string> names() const {
    std::vector<std::string> n;
    for (const auto& [k, v] : entries_) n.push_back(k);
    return n;
  }

 private:
  std::map<std::string, Entry> entries_;
};

}  // namespace tiersim::kernel

#define TIERSIM_CONCAT_INNER(a, b) a##b
#define TIERSIM_CONCAT(a, b) TIERSIM_CONCAT_INNER(a, b)
