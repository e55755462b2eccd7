#include "sim/workload/logical_jsonl.h"

#include <cerrno>
#include <cstring>
#include <functional>
#include <limits>

#include <fmt/format.h>

#include "sim/trace/record_rules.h"
#include "sim/workload/json_line.h"

namespace tiersim::workload {

std::string format_header(const LogicalHeader& h) {
  return fmt::format("{{\"format\": \"{}\", \"version\": {}, \"model\": {}, \"generator\": {}}}",
                     kLogicalFormat, kLogicalVersion, json::quote(h.model),
                     json::quote(h.generator));
}

std::string format_request(const Request& r) {
  std::string s = fmt::format(
      "{{\"request\": {}, \"arrival_ps\": {}, \"prompt\": {}, \"output\": {}, \"prefix\": "
      "[{}]",
      r.id, r.arrival.ps(), r.prompt_tokens, r.output_tokens, fmt::join(r.prefix_blocks, ", "));
  if (r.user != kNoUser) s += fmt::format(", \"user\": {}", r.user);
  if (r.after != kNoAfter) {
    s += fmt::format(", \"after\": {}, \"think_ps\": {}", r.after, r.think.ps());
  }
  s += '}';
  return s;
}

std::string format_access(const Access& a) {
  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out), "{{\"step\": {}", a.step);
  if (a.request != kNoRequest)
    fmt::format_to(std::back_inserter(out), ", \"request\": {}", a.request);
  if (a.layer != kNoLayer) fmt::format_to(std::back_inserter(out), ", \"layer\": {}", a.layer);
  fmt::format_to(std::back_inserter(out),
                 ", \"kind\": \"{}\", \"index\": {}, \"count\": {}, \"bytes\": {}",
                 access_kind_name(a.kind), a.index, a.count, a.bytes.count());
  if (a.kind == AccessKind::kCompute) {
    fmt::format_to(std::back_inserter(out), ", \"m\": {}, \"n\": {}, \"k\": {}", a.m, a.n, a.k);
  }
  out.push_back('}');
  return fmt::to_string(out);
}

JsonlLogicalWriter::JsonlLogicalWriter(const std::string& path, const LogicalHeader& header)
    : core_(path) {
  file_ = std::fopen(core_.temp_path().c_str(), "wb");
  if (file_ == nullptr) {
    throw trace::TraceError(fmt::format("{}: cannot create trace: {}", path, std::strerror(errno)));
  }
  line(format_header(header));
}

JsonlLogicalWriter::~JsonlLogicalWriter() {
  if (file_ == nullptr) return;
  if (core_.unwinding()) {
    abandon();
    return;
  }
  try {
    close();
  } catch (...) {
    (void)0;  // close() removed the temp file; a destructor must not throw
  }
}

void JsonlLogicalWriter::check_open() const {
  if (file_ == nullptr) {
    throw trace::TraceError(fmt::format("{}: write to a closed trace writer", core_.path()));
  }
}

void JsonlLogicalWriter::line(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size() ||
      std::fputc('\n', file_) == EOF) {
    const int err = errno;
    abandon();
    throw trace::TraceError(
        fmt::format("{}: cannot write trace: {}", core_.path(), std::strerror(err)));
  }
}

void JsonlLogicalWriter::write_request(const Request& r) {
  check_open();
  if (const auto what = rules_.check_request(r)) {
    throw trace::TraceError(
        fmt::format("{}: request {}: {}", core_.path(), rules_.requests() + 1, *what));
  }
  line(format_request(r));
}

void JsonlLogicalWriter::write_access(const Access& a) {
  check_open();
  if (const auto what = rules_.check_access(a)) {
    throw trace::TraceError(trace::record_error(core_.path(), rules_.accesses() + 1, *what));
  }
  line(format_access(a));
}

void JsonlLogicalWriter::close() {
  if (file_ == nullptr) return;
  const bool ok = std::fclose(file_) == 0;
  const int err = errno;
  file_ = nullptr;
  if (!ok) {
    core_.discard();
    throw trace::TraceError(
        fmt::format("{}: cannot write trace: {}", core_.path(), std::strerror(err)));
  }
  core_.commit();
}

void JsonlLogicalWriter::abandon() noexcept {
  if (file_ != nullptr) (void)std::fclose(file_);
  file_ = nullptr;
  core_.discard();
}

JsonlLogicalReader::JsonlLogicalReader(const std::string& path) : text_(path) {
  std::string_view first;
  json::Object h;
  if (!text_.next_line(first, false) || json::parse_object(first, h) ||
      h.find("format") == nullptr || h.find("format")->text != kLogicalFormat) {
    throw trace::TraceError(
        fmt::format("{}: not a tiersim logical trace (the first line must be the JSON header with "
                    "\"format\": \"{}\")",
                    path, kLogicalFormat));
  }
  const json::Value* v = h.find("version");
  const auto version = v == nullptr ? std::nullopt : json::as_uint(v->text);
  if (!version || *version < kLogicalMinVersion || *version > kLogicalVersion) {
    throw trace::TraceError(fmt::format(
        "{}: unsupported logical trace version {} (this tiersim reads versions {} to {})", path,
        v == nullptr ? "?" : v->text, kLogicalMinVersion, kLogicalVersion));
  }
  if (const json::Value* m = h.find("model")) header_.model = m->text;
  if (const json::Value* g = h.find("generator")) header_.generator = g->text;
}

bool JsonlLogicalReader::fetch() {
  if (have_line_) return true;
  if (at_end_) return false;
  std::string_view line;
  if (!text_.next_line(line)) {
    at_end_ = true;
    return false;
  }
  if (const auto e = json::parse_object(line, obj_)) throw text_.error(*e);
  have_line_ = true;
  return true;
}

void JsonlLogicalReader::bad(const std::string& what, bool request) const {
  const std::uint64_t n = request ? rules_.requests() + 1 : rules_.accesses() + 1;
  throw trace::TraceError(fmt::format("{}:{}: {} {}: {}", text_.path(), text_.line_number(),
                                      request ? "request" : "record", n, what));
}

namespace {

template <class T>
T field(const json::Object& o, std::string_view key, T fallback, bool required,
        const std::function<void(const std::string&)>& bad) {
  const json::Value* v = o.find(key);
  if (v == nullptr) {
    if (required) bad(fmt::format("missing field '{}'", key));
    return fallback;
  }
  const auto u = json::as_uint(v->text);
  if (v->kind != json::Value::Kind::kNumber || !u || *u > std::numeric_limits<T>::max()) {
    bad(fmt::format("'{}' is not an unsigned integer that fits", key));
  }
  return static_cast<T>(*u);
}

}  // namespace

bool JsonlLogicalReader::next_request(Request& out) {
  if (!fetch() || obj_.find("step") != nullptr || obj_.find("request") == nullptr) return false;
  const auto fail = [this](const std::string& w) { bad(w, true); };
  out.id = field<std::uint64_t>(obj_, "request", 0, true, fail);
  const json::Value* arrival = obj_.find("arrival_ps");
  const auto ps = arrival == nullptr ? std::nullopt : json::as_int(arrival->text);
  if (!ps || *ps < 0) fail("'arrival_ps' is not a non-negative integer");
  out.arrival = Time::ps(*ps);
  out.prompt_tokens = field<std::uint32_t>(obj_, "prompt", 0, true, fail);
  out.output_tokens = field<std::uint32_t>(obj_, "output", 0, true, fail);
  out.prefix_blocks.clear();
  if (const json::Value* p = obj_.find("prefix")) {
    for (const std::string& n : p->numbers) {
      const auto b = json::as_uint(n);
      if (!b) fail("prefix block ids must be unsigned integers");
      out.prefix_blocks.push_back(*b);
    }
  }
  out.user = field<std::uint64_t>(obj_, "user", kNoUser, false, fail);
  out.after = field<std::uint64_t>(obj_, "after", kNoAfter, false, fail);
  out.think = Time::zero();
  if (const json::Value* t = obj_.find("think_ps")) {
    const auto think = json::as_int(t->text);
    if (!think || *think < 0) fail("'think_ps' is not a non-negative integer");
    out.think = Time::ps(*think);
  }
  if (const auto what = rules_.check_request(out)) fail(*what);
  have_line_ = false;
  return true;
}

bool JsonlLogicalReader::next_access(Access& out) {
  Request skipped;
  while (next_request(skipped)) {
  }
  if (!fetch()) return false;
  const auto fail = [this](const std::string& w) { bad(w, false); };
  out.step = field<std::uint64_t>(obj_, "step", 0, true, fail);
  out.request = field<std::uint64_t>(obj_, "request", kNoRequest, false, fail);
  out.layer = field<std::uint16_t>(obj_, "layer", kNoLayer, false, fail);
  const json::Value* kind = obj_.find("kind");
  const auto k = kind == nullptr ? std::nullopt : access_kind_from_name(kind->text);
  if (!k) fail("missing or unknown 'kind'");
  out.kind = *k;
  out.index = field<std::uint32_t>(obj_, "index", 0, false, fail);
  out.count = field<std::uint64_t>(obj_, "count", 0, false, fail);
  out.bytes = Bytes(field<std::uint64_t>(obj_, "bytes", 0, false, fail));
  out.m = field<std::uint32_t>(obj_, "m", 0, false, fail);
  out.n = field<std::uint32_t>(obj_, "n", 0, false, fail);
  out.k = field<std::uint32_t>(obj_, "k", 0, false, fail);
  if (const auto what = rules_.check_access(out)) fail(*what);
  have_line_ = false;
  return true;
}

}  // namespace tiersim::workload
