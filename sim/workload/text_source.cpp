#include "sim/workload/text_source.h"

#include <charconv>
#include <limits>

#include "sim/trace/record_rules.h"

namespace tiersim::workload {

bool TextSource::next_line(std::string_view& line, bool count) {
  for (;;) {
    const auto status = lines_.next(line);
    if (status == trace::LineReader::Status::kEnd) return false;
    if (status == trace::LineReader::Status::kTooLong) {
      throw trace::TraceError(trace::text_record_error(
          path_, lines_.line_number(), records_ + 1,
          fmt::format("line is longer than {} bytes", trace::LineReader::kMaxLineBytes)));
    }
    if (lines_.line_number() == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (count) ++records_;
    return true;
  }
}

trace::TraceError TextSource::error(std::string_view what) const {
  return trace::TraceError(trace::text_record_error(path_, lines_.line_number(), records_, what));
}

std::vector<std::string_view> split_csv(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    std::string_view f =
        line.substr(start, comma == std::string_view::npos ? line.npos : comma - start);
    while (!f.empty() && f.front() == ' ') f.remove_prefix(1);
    while (!f.empty() && f.back() == ' ') f.remove_suffix(1);
    out.push_back(f);
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

namespace {

std::optional<std::int64_t> digits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.front() == '-' || s.front() == '+') {
    return std::nullopt;
  }
  return v;
}

// Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, std::int64_t m, std::int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

std::optional<std::int64_t> parse_decimal_ps(std::string_view text, std::int64_t unit_ps) {
  const std::size_t dot = text.find('.');
  const auto whole = digits(text.substr(0, dot));
  if (!whole) return std::nullopt;
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  if (*whole > kMax / unit_ps) return std::nullopt;
  std::int64_t ps = *whole * unit_ps;
  if (dot == std::string_view::npos) return ps;
  const std::string_view frac = text.substr(dot + 1);
  std::int64_t scale = unit_ps;
  for (const char c : frac) {
    if (c < '0' || c > '9') return std::nullopt;
    if (scale % 10 != 0) {
      if (c != '0') return std::nullopt;  // finer than 1 ps
      continue;
    }
    scale /= 10;
    const std::int64_t add = (c - '0') * scale;
    if (ps > kMax - add) return std::nullopt;
    ps += add;
  }
  return ps;
}

std::optional<DateTime> parse_datetime(std::string_view t) {
  if (t.ends_with("+00:00")) t.remove_suffix(6);
  if (t.ends_with("Z")) t.remove_suffix(1);
  if (t.size() < 19 || t[4] != '-' || t[7] != '-' || (t[10] != ' ' && t[10] != 'T') ||
      t[13] != ':' || t[16] != ':') {
    return std::nullopt;
  }
  const auto y = digits(t.substr(0, 4));
  const auto mo = digits(t.substr(5, 2));
  const auto d = digits(t.substr(8, 2));
  const auto h = digits(t.substr(11, 2));
  const auto mi = digits(t.substr(14, 2));
  if (!y || !mo || !d || !h || !mi || *mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 ||
      *mi > 59) {
    return std::nullopt;
  }
  const auto sec_ps = parse_decimal_ps(t.substr(17), 1'000'000'000'000);
  if (!sec_ps || *sec_ps >= 61'000'000'000'000) return std::nullopt;
  DateTime dt;
  dt.seconds =
      days_from_civil(*y, *mo, *d) * 86400 + *h * 3600 + *mi * 60 + *sec_ps / 1'000'000'000'000;
  dt.ps = *sec_ps % 1'000'000'000'000;
  return dt;
}

std::int64_t ps_between(const DateTime& a, const DateTime& b) {
  return (b.seconds - a.seconds) * 1'000'000'000'000 + (b.ps - a.ps);
}

std::optional<std::uint32_t> parse_tokens(std::string_view text) {
  if (text.ends_with(".0")) text.remove_suffix(2);
  const auto v = digits(text);
  if (!v || *v > 0xFFFFFFFFll) return std::nullopt;
  return static_cast<std::uint32_t>(*v);
}

}  // namespace tiersim::workload
