#include "core/base/tensor.hpp"

#include "core/base/errors.hpp"

namespace convscope {

// Here, on the lowest floor, with the type: pictures (base) make tensors too.
Tensor4 make_tensor(std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w, const char* what) {
    checked_elements(n, c, h, w, what);
    using S = std::size_t;
    return Tensor4::from_shape({S(n), S(c), S(h), S(w)});
}

}  // namespace convscope
