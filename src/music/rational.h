// Exact fractions of a quarter note. Readers express onsets and durations with
// them (MusicXML divisions, kern tuplets, MIDI pulses) so that the one place
// that rounds to the 16th-note grid, ScoreBuilder, can tell exactly which
// notes it moved.
#pragma once

#include <cstdint>
#include <numeric>

namespace dq::music {

struct Rational {
  int64_t num = 0;
  int64_t den = 1;

  constexpr Rational() = default;
  constexpr Rational(int64_t n) : num(n), den(1) {}  // NOLINT: implicit on purpose
  Rational(int64_t n, int64_t d) : num(n), den(d) { normalize(); }

  void normalize() {
    if (den < 0) {
      num = -num;
      den = -den;
    }
    if (den == 0) {
      num = 0;
      den = 1;
      return;
    }
    int64_t g = std::gcd(num < 0 ? -num : num, den);
    if (g > 1) {
      num /= g;
      den /= g;
    }
  }
  double to_double() const { return static_cast<double>(num) / static_cast<double>(den); }

  friend Rational operator+(Rational a, Rational b) {
    int64_t g = std::gcd(a.den, b.den);
    return Rational(a.num * (b.den / g) + b.num * (a.den / g), a.den / g * b.den);
  }
  friend Rational operator-(Rational a, Rational b) { return a + Rational(-b.num, b.den); }
  friend Rational operator*(Rational a, Rational b) { return Rational(a.num * b.num, a.den * b.den); }
  friend Rational operator/(Rational a, Rational b) { return Rational(a.num * b.den, a.den * b.num); }
  friend bool operator==(Rational a, Rational b) { return a.num == b.num && a.den == b.den; }
  friend bool operator!=(Rational a, Rational b) { return !(a == b); }
  friend bool operator<(Rational a, Rational b) {
    return static_cast<__int128>(a.num) * b.den < static_cast<__int128>(b.num) * a.den;
  }
  friend bool operator>(Rational a, Rational b) { return b < a; }
  friend bool operator<=(Rational a, Rational b) { return !(b < a); }
  friend bool operator>=(Rational a, Rational b) { return !(a < b); }
  Rational& operator+=(Rational b) { return *this = *this + b; }
};

}  // namespace dq::music
