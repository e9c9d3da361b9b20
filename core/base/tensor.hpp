#pragma once
/// \file tensor.hpp
/// The core's tensor types: xtensor containers of float64 in PyTorch's NCHW order.
#include <cstdint>
#include <vector>

#include <xtensor/xtensor.hpp>

namespace convscope {

using Tensor4 = xt::xtensor<double, 4>;  ///< N x C x H x W (or a conv weight)
using Tensor1 = xt::xtensor<double, 1>;  ///< a bias

/// Shape of a Tensor4 as a plain vector (for messages and JSON).
inline std::vector<std::int64_t> shape_of(const Tensor4& t) {
    return {static_cast<std::int64_t>(t.shape()[0]), static_cast<std::int64_t>(t.shape()[1]),
            static_cast<std::int64_t>(t.shape()[2]), static_cast<std::int64_t>(t.shape()[3])};
}

/// A zero tensor of the given shape, refused (UserError) above kMaxTensorElements.
Tensor4 make_tensor(std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w, const char* what);

}  // namespace convscope
