// hearth/result.h — the value every module boundary returns.
//
// Result<T, E> holds either a T or an error E (a module's Error struct: a code plus a message that
// names what was wrong and where). It is [[nodiscard]] so a failure cannot be dropped silently.
// Exceptions may be used inside a module; they are caught at its edge and become a Result.
#pragma once

#include <cassert>
#include <cstdlib>
#include <cstdio>
#include <utility>
#include <variant>

namespace hearth {

// Tag for building a failed Result: `return Fail(Error{...});`.
template <class E>
struct Fail {
  E error;
  explicit Fail(E e) : error(std::move(e)) {}
};

template <class T, class E>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Fail<E> f) : v_(std::in_place_index<1>, std::move(f.error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // Precondition: ok(). Checked in every build type; a wrong access is a bug in the caller.
  T& value() & { check_ok(); return std::get<0>(v_); }
  const T& value() const& { check_ok(); return std::get<0>(v_); }
  T&& value() && { check_ok(); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // Precondition: !ok().
  const E& error() const {
    if (ok()) { std::fprintf(stderr, "hearth: Result::error() on a success value\n"); std::abort(); }
    return std::get<1>(v_);
  }

 private:
  void check_ok() const {
    if (!ok()) { std::fprintf(stderr, "hearth: Result::value() on an error value\n"); std::abort(); }
  }
  std::variant<T, E> v_;
};

// Result of an operation with no value.
struct Unit {};

template <class E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  Result(Fail<E> f) : err_(std::move(f.error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const E& error() const {
    if (ok_) { std::fprintf(stderr, "hearth: Result::error() on a success value\n"); std::abort(); }
    return err_;
  }

 private:
  E err_{};
  bool ok_ = true;
};

}  // namespace hearth
