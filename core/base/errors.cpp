#include "core/base/errors.hpp"

namespace convscope {

std::int64_t checked_elements(std::int64_t a, std::int64_t b, std::int64_t c, std::int64_t d,
                              const std::string& what) {
    const std::int64_t dims[4] = {a, b, c, d};
    std::int64_t n = 1;
    for (std::int64_t v : dims) {
        if (v < 0) throw UserError(what + " has a negative size " + std::to_string(v));
        if (__builtin_mul_overflow(n, v, &n) || n > kMaxTensorElements)
            throw UserError(what + " of " + std::to_string(a) + "x" + std::to_string(b) + "x" +
                            std::to_string(c) + "x" + std::to_string(d) +
                            " elements exceeds the limit of 2^28 elements");
    }
    return n;
}

}  // namespace convscope
