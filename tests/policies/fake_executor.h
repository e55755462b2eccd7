// A recording Executor (sim/policies/executor.h) for policy unit tests, without SystemC.
//
// Model (simple on purpose, so tests can compute expected times by hand):
//  - Components are added by name: memories (bandwidth, latency, capacity) and compute units
//    (peak FLOP/s, memory bandwidth, latency). Ids are assigned in the order of addition, from 0.
//  - Links join two components (bandwidth, latency); a read/write between two components uses the
//    link between them when one was added (otherwise only the target's timeline).
//  - Every component and every link has one FCFS timeline ("free at"). A read or write of `bytes`
//    issued at `at` starts at max(at, target free, link free), occupies the target and the link
//    for max(bytes / target bandwidth, bytes / link bandwidth), and completes at that end plus the
//    target's and the link's latency. A zero bandwidth means "not a bottleneck".
//  - A compute on `unit` starts at max(at, unit free), takes max(flops / peak, bytes / unit
//    bandwidth) (the roofline) and completes at that end plus the unit's latency.
//  - Every call is recorded (calls()) with its arguments and result, and bytes are summed per
//    (source, target, kind) (bytes_moved()).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "sim/config/config_error.h"
#include "sim/config/origin.h"
#include "sim/kernel/transaction.h"
#include "sim/policies/executor.h"
#include "sim/units/units.h"

namespace tiersim::policies::testing {

class FakeExecutor : public Executor {
 public:
  struct Call {
    kernel::TxnKind kind = kernel::TxnKind::kRead;
    ComponentId source = 0;
    ComponentId target = 0;  // the unit for compute
    std::uint64_t address = 0;
    Bytes bytes;
    std::uint64_t flops = 0;
    kernel::OpShape op;
    Time at;
    Time start;
    Time done;
  };

  ComponentId add_memory(const std::string& name, Bandwidth bandwidth, Time latency,
                         Bytes capacity) {
    return add({name, bandwidth, latency, capacity, 0.0, Time::zero()});
  }
  // peak_flops_per_second: the unit's peak rate used by compute(); bandwidth its memory rate.
  ComponentId add_compute(const std::string& name, double peak_flops_per_second,
                          Bandwidth bandwidth, Time latency = Time::zero(),
                          Bytes capacity = Bytes(0)) {
    return add({name, bandwidth, latency, capacity, peak_flops_per_second, Time::zero()});
  }
  void add_link(ComponentId a, ComponentId b, Bandwidth bandwidth, Time latency) {
    links_[key(a, b)] = Resource{"link", bandwidth, latency, Bytes(0), 0.0, Time::zero()};
  }

  Time read(ComponentId source, ComponentId target, std::uint64_t address, Bytes bytes,
            Time at) override {
    return transfer(kernel::TxnKind::kRead, source, target, address, bytes, at);
  }
  Time write(ComponentId source, ComponentId target, std::uint64_t address, Bytes bytes,
             Time at) override {
    return transfer(kernel::TxnKind::kWrite, source, target, address, bytes, at);
  }
  Time compute(ComponentId unit, const kernel::OpShape& op, std::uint64_t flops, Bytes bytes,
               Time at, std::uint64_t address = 0) override {
    Resource& u = res(unit);
    const Time start = std::max(at, u.free);
    Time dur = time_of_bytes(u.bandwidth, bytes);
    if (u.peak_flops > 0 && flops > 0) {
      dur = std::max(dur, Time::ps(static_cast<std::int64_t>(
                              std::ceil(static_cast<double>(flops) * 1e12 / u.peak_flops))));
    }
    u.free = start + dur;
    const Time done = u.free + u.latency;
    calls_.push_back(
        {kernel::TxnKind::kCompute, unit, unit, address, bytes, flops, op, at, start, done});
    moved_[{unit, unit, kernel::TxnKind::kCompute}] += bytes.count();
    return done;
  }
  ComponentId id(const std::string& name, const config::Origin& where) const override {
    for (std::size_t i = 0; i < comps_.size(); ++i) {
      if (comps_[i].name == name) return static_cast<ComponentId>(i);
    }
    throw config::ConfigError(where, "no component named '" + name + "'");
  }
  Bytes capacity(ComponentId c) const override { return comps_.at(c).capacity; }

  [[nodiscard]] const std::vector<Call>& calls() const { return calls_; }
  // Bytes per (source, target, kind) over all calls.
  [[nodiscard]] std::uint64_t bytes_moved(ComponentId source, ComponentId target,
                                          kernel::TxnKind kind) const {
    auto it = moved_.find({source, target, kind});
    return it == moved_.end() ? 0 : it->second;
  }
  // Bytes of all calls touching `c` (as source or target) of `kind`.
  [[nodiscard]] std::uint64_t bytes_at(ComponentId c, kernel::TxnKind kind) const {
    std::uint64_t b = 0;
    for (const auto& [k, v] : moved_) {
      if (std::get<2>(k) == kind && (std::get<0>(k) == c || std::get<1>(k) == c)) b += v;
    }
    return b;
  }
  [[nodiscard]] Time free_at(ComponentId c) const { return comps_.at(c).free; }
  void clear_calls() { calls_.clear(); }

 private:
  struct Resource {
    std::string name;
    Bandwidth bandwidth;
    Time latency;
    Bytes capacity;
    double peak_flops = 0.0;
    Time free;
  };

  static std::pair<ComponentId, ComponentId> key(ComponentId a, ComponentId b) {
    return {std::min(a, b), std::max(a, b)};
  }
  static Time time_of_bytes(Bandwidth bw, Bytes b) {
    return bw.bytes_per_second() > 0 ? bw.transfer_time(b) : Time::zero();
  }
  ComponentId add(Resource r) {
    comps_.push_back(std::move(r));
    return static_cast<ComponentId>(comps_.size() - 1);
  }
  Resource& res(ComponentId c) {
    if (c >= comps_.size()) throw std::out_of_range("FakeExecutor: unknown component id");
    return comps_[c];
  }

  Time transfer(kernel::TxnKind kind, ComponentId source, ComponentId target, std::uint64_t address,
                Bytes bytes, Time at) {
    Resource& t = res(target);
    (void)res(source);
    Resource* link = nullptr;
    if (auto it = links_.find(key(source, target)); it != links_.end() && source != target) {
      link = &it->second;
    }
    Time start = std::max(at, t.free);
    Time dur = time_of_bytes(t.bandwidth, bytes);
    Time lat = t.latency;
    if (link != nullptr) {
      start = std::max(start, link->free);
      dur = std::max(dur, time_of_bytes(link->bandwidth, bytes));
      lat += link->latency;
      link->free = start + dur;
    }
    t.free = start + dur;
    const Time done = start + dur + lat;
    calls_.push_back({kind, source, target, address, bytes, 0, {}, at, start, done});
    moved_[{source, target, kind}] += bytes.count();
    return done;
  }

  std::vector<Resource> comps_;
  std::map<std::pair<ComponentId, ComponentId>, Resource> links_;
  std::vector<Call> calls_;
  std::map<std::tuple<ComponentId, ComponentId, kernel::TxnKind>, std::uint64_t> moved_;
};

}  // namespace tiersim::policies::testing
