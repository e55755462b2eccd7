#include "sim/stats/stat_group.h"

#include <algorithm>
#include <stdexcept>

namespace tiersim::stats {

namespace {

// Stat and group names become HDF5 link/attribute names: non-empty, no '/', not "." or "..".
void check_name(const std::string& what, const std::string& name) {
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos) {
    throw std::invalid_argument(what + " name '" + name +
                                "' is invalid: it must be non-empty, not '.' or '..', "
                                "and contain no '/'");
  }
}

template <class T>
T* find(std::deque<StatGroup::Named<T>>& items, const std::string& name) {
  const auto it = std::find_if(items.begin(), items.end(),
                               [&](const StatGroup::Named<T>& n) { return n.name == name; });
  return it == items.end() ? nullptr : &it->value;
}

}  // namespace

Counter& StatGroup::counter(const std::string& name, const std::string& doc) {
  if (Counter* c = find(counters_, name)) return *c;
  check_name("counter", name);
  return counters_.emplace_back(Named<Counter>{name, doc, Counter{}}).value;
}

LatencyHistogram& StatGroup::histogram(const std::string& name, const std::string& doc) {
  if (LatencyHistogram* h = find(hists_, name)) return *h;
  check_name("histogram", name);
  return hists_.emplace_back(Named<LatencyHistogram>{name, doc, LatencyHistogram()}).value;
}

TimeSeries& StatGroup::series(const std::string& name, const std::string& unit,
                              const std::string& doc) {
  if (TimeSeries* s = find(series_, name)) {
    if (s->unit() != unit) {
      throw std::invalid_argument("series '" + name_ + "/" + name + "' was registered with unit '" +
                                  s->unit() + "', asked again with unit '" + unit + "'");
    }
    return *s;
  }
  check_name("series", name);
  return series_.emplace_back(Named<TimeSeries>{name, doc, TimeSeries(unit, window_)}).value;
}

StatGroup& StatsRegistry::group(const std::string& name) {
  const auto it = std::find_if(groups_.begin(), groups_.end(),
                               [&](const StatGroup& g) { return g.name() == name; });
  if (it != groups_.end()) return *it;
  check_name("stat group", name);
  return groups_.emplace_back(name, window_);
}

}  // namespace tiersim::stats
