#pragma once
/// \file errors.hpp
/// The one exception type the core throws for anything a user can get wrong, and
/// overflow-checked size arithmetic so that no hostile size wraps around silently.
#include <cstdint>
#include <stdexcept>
#include <string>

namespace convscope {

/// A configuration or input the user supplied is refused. The message names the
/// parameter, the value and the rule, without the leading "error: " (the boundary
/// that shows it adds that).
class UserError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A UserError about one named parameter of a layer ("dilation", "scale_factor", ...),
/// so that a reader of code can point at that argument's column.
class ParameterError : public UserError {
public:
    ParameterError(std::string parameter, const std::string& what) : UserError(what), parameter_(std::move(parameter)) {}
    const std::string& parameter() const { return parameter_; }

private:
    std::string parameter_;
};

/// Largest number of elements the core allocates for any one tensor or buffer (2^28
/// doubles = 2 GiB). Sizes are checked against it before anything is allocated.
inline constexpr std::int64_t kMaxTensorElements = std::int64_t{1} << 28;

/// a * b, or UserError naming `what` if the product overflows int64.
inline std::int64_t checked_mul(std::int64_t a, std::int64_t b, const char* what) {
    std::int64_t r = 0;
    if (__builtin_mul_overflow(a, b, &r))
        throw UserError(std::string(what) + " overflows 64-bit arithmetic");
    return r;
}

/// a + b, or UserError naming `what` if the sum overflows int64.
inline std::int64_t checked_add(std::int64_t a, std::int64_t b, const char* what) {
    std::int64_t r = 0;
    if (__builtin_add_overflow(a, b, &r))
        throw UserError(std::string(what) + " overflows 64-bit arithmetic");
    return r;
}

/// Product of four sizes (a tensor's element count), refused above kMaxTensorElements.
std::int64_t checked_elements(std::int64_t a, std::int64_t b, std::int64_t c, std::int64_t d,
                              const std::string& what);

}  // namespace convscope
