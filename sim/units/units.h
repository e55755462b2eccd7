// Typed physical quantities used everywhere in tiersim.
//
// Contract:
//  - Time is an exact integer count of picoseconds (the SystemC resolution tiersim uses).
//    Arithmetic on Time is exact; conversions to double are for reporting only.
//  - Bytes is an exact unsigned integer count of bytes.
//  - Bandwidth is bytes per second (double). Bandwidth::transfer_time() rounds *up* to the next
//    picosecond so a transfer never finishes earlier than physics allows.
//  - Frequency (Hz), TransferRate (transfers/s) and Energy (joules) are doubles.
// No bare double that could be "ns or s" crosses an interface: use these types.
#pragma once

#include <cmath>
#include <compare>
#include <cstdint>
#include <limits>

namespace tiersim {

class Time {
 public:
  constexpr Time() = default;
  [[nodiscard]] static constexpr Time ps(std::int64_t v) { return Time(v); }
  [[nodiscard]] static constexpr Time ns(std::int64_t v) { return Time(v * 1000); }
  [[nodiscard]] static constexpr Time us(std::int64_t v) { return Time(v * 1000000); }
  [[nodiscard]] static constexpr Time ms(std::int64_t v) { return Time(v * 1000000000); }
  [[nodiscard]] static constexpr Time zero() { return Time(0); }
  [[nodiscard]] static constexpr Time max() {
    return Time(std::numeric_limits<std::int64_t>::max());
  }

  [[nodiscard]] constexpr std::int64_t ps() const { return ps_; }
  [[nodiscard]] constexpr double as_ns() const { return static_cast<double>(ps_) * 1e-3; }
  [[nodiscard]] constexpr double as_us() const { return static_cast<double>(ps_) * 1e-6; }
  [[nodiscard]] constexpr double as_seconds() const { return static_cast<double>(ps_) * 1e-12; }

  constexpr Time& operator+=(Time o) {
    ps_ += o.ps_;
    return *this;
  }
  constexpr Time& operator-=(Time o) {
    ps_ -= o.ps_;
    return *this;
  }
  friend constexpr Time operator+(Time a, Time b) { return Time(a.ps_ + b.ps_); }
  friend constexpr Time operator-(Time a, Time b) { return Time(a.ps_ - b.ps_); }
  friend constexpr Time operator*(Time a, std::int64_t k) { return Time(a.ps_ * k); }
  friend constexpr Time operator*(std::int64_t k, Time a) { return Time(a.ps_ * k); }
  friend constexpr auto operator<=>(Time, Time) = default;

 private:
  constexpr explicit Time(std::int64_t v) : ps_(v) {}
  std::int64_t ps_ = 0;
};

[[nodiscard]] constexpr Time max(Time a, Time b) {
  return a < b ? b : a;
}
[[nodiscard]] constexpr Time min(Time a, Time b) {
  return a < b ? a : b;
}

class Bytes {
 public:
  constexpr Bytes() = default;
  constexpr explicit Bytes(std::uint64_t v) : v_(v) {}
  [[nodiscard]] static constexpr Bytes KiB(std::uint64_t v) { return Bytes(v << 10); }
  [[nodiscard]] static constexpr Bytes MiB(std::uint64_t v) { return Bytes(v << 20); }
  [[nodiscard]] static constexpr Bytes GiB(std::uint64_t v) { return Bytes(v << 30); }
  [[nodiscard]] constexpr std::uint64_t count() const { return v_; }
  [[nodiscard]] constexpr double as_double() const { return static_cast<double>(v_); }

  constexpr Bytes& operator+=(Bytes o) {
    v_ += o.v_;
    return *this;
  }
  friend constexpr Bytes operator+(Bytes a, Bytes b) { return Bytes(a.v_ + b.v_); }
  friend constexpr Bytes operator-(Bytes a, Bytes b) { return Bytes(a.v_ - b.v_); }
  friend constexpr auto operator<=>(Bytes, Bytes) = default;

 private:
  std::uint64_t v_ = 0;
};

class Bandwidth {
 public:
  constexpr Bandwidth() = default;
  [[nodiscard]] static constexpr Bandwidth bytes_per_second(double v) { return Bandwidth(v); }
  [[nodiscard]] static constexpr Bandwidth GBps(double v) { return Bandwidth(v * 1e9); }
  [[nodiscard]] constexpr double bytes_per_second() const { return bps_; }
  [[nodiscard]] constexpr double as_GBps() const { return bps_ * 1e-9; }

  // Time to move `b` at this bandwidth, rounded up to a whole picosecond.
  // An unset (zero) bandwidth means "infinitely fast" and costs no time.
  // Exact when the bandwidth is a whole number of bytes per second (every configured value with
  // at most 9 decimals of GB/s is): ceil(bytes * 10^12 / bps) in 128-bit integers.
  [[nodiscard]] Time transfer_time(Bytes b) const {
    if (bps_ <= 0.0 || b.count() == 0) return Time::zero();
    if (bps_ < 0x1.0p63 && bps_ == std::floor(bps_)) {
      const auto den64 = static_cast<std::uint64_t>(bps_);
      if (b.count() <= 18'000'000ULL) {  // bytes * 10^12 fits in 64 bits
        const std::uint64_t num64 = b.count() * 1000000000000ULL;
        return Time::ps(static_cast<std::int64_t>((num64 + den64 - 1) / den64));
      }
      __extension__ using u128 = unsigned __int128;
      const auto den = static_cast<u128>(den64);
      const u128 num = static_cast<u128>(b.count()) * 1000000000000ULL;
      return Time::ps(static_cast<std::int64_t>((num + den - 1) / den));
    }
    const double ps = std::ceil(b.as_double() * 1e12 / bps_);
    return Time::ps(static_cast<std::int64_t>(ps));
  }
  // Achieved bandwidth of moving `b` in `t` (zero if t is zero).
  [[nodiscard]] static Bandwidth achieved(Bytes b, Time t) {
    if (t.ps() <= 0) return Bandwidth(0.0);
    return Bandwidth(b.as_double() / t.as_seconds());
  }
  friend constexpr auto operator<=>(Bandwidth, Bandwidth) = default;

 private:
  constexpr explicit Bandwidth(double v) : bps_(v) {}
  double bps_ = 0.0;
};

class Frequency {
 public:
  constexpr Frequency() = default;
  [[nodiscard]] static constexpr Frequency hz(double v) { return Frequency(v); }
  [[nodiscard]] constexpr double as_hz() const { return hz_; }
  // One clock period, rounded to the nearest picosecond.
  [[nodiscard]] Time period() const {
    return Time::ps(static_cast<std::int64_t>(std::llround(1e12 / hz_)));
  }
  friend constexpr auto operator<=>(Frequency, Frequency) = default;

 private:
  constexpr explicit Frequency(double v) : hz_(v) {}
  double hz_ = 0.0;
};

class TransferRate {
 public:
  constexpr TransferRate() = default;
  [[nodiscard]] static constexpr TransferRate per_second(double v) { return TransferRate(v); }
  [[nodiscard]] constexpr double transfers_per_second() const { return tps_; }
  [[nodiscard]] constexpr double as_MTps() const { return tps_ * 1e-6; }
  friend constexpr auto operator<=>(TransferRate, TransferRate) = default;

 private:
  constexpr explicit TransferRate(double v) : tps_(v) {}
  double tps_ = 0.0;
};

class Energy {
 public:
  constexpr Energy() = default;
  [[nodiscard]] static constexpr Energy joules(double v) { return Energy(v); }
  [[nodiscard]] constexpr double as_joules() const { return j_; }
  [[nodiscard]] constexpr double as_pJ() const { return j_ * 1e12; }
  friend constexpr Energy operator+(Energy a, Energy b) { return Energy(a.j_ + b.j_); }
  friend constexpr auto operator<=>(Energy, Energy) = default;

 private:
  constexpr explicit Energy(double v) : j_(v) {}
  double j_ = 0.0;
};

}  // namespace tiersim
