#pragma once
/// \file conv_weights.hpp
/// A convolution layer's parameters, and the padding-mode rule that the reference
/// operators (conv.hpp) and the im2col kernels (conv_kernels.hpp) share.
#include <cstdint>

#include "core/base/tensor.hpp"
#include "core/nn/layer.hpp"

namespace convscope {

/// Weights of a convolution layer, in PyTorch's layout:
/// conv2d `[C_out, C_in/groups, kH, kW]`, conv_transpose2d `[C_in, C_out/groups, kH, kW]`.
/// `bias` has C_out entries, or none when the layer has `bias=False`.
struct ConvWeights {
    Tensor4 weight;
    Tensor1 bias;  ///< empty when there is no bias
    bool has_bias = false;
};

/// Throws UserError unless `w` has the shapes `layer` requires.
void check_weights(const Layer& layer, const ConvWeights& w);

/// Where padded coordinate `pos` (0 = first padding cell) reads from, as an index into
/// the real input on that axis, following the padding mode; -1 for a zero.
///   reflect:   ... 2 1 | 0 1 2 ... n-1 | n-2 n-3 ...   (edge not repeated)
///   replicate: ... 0 0 | 0 1 2 ... n-1 | n-1 n-1 ...
///   circular:  ... n-2 n-1 | 0 1 ... n-1 | 0 1 ...
std::int64_t padded_source(std::int64_t pos, std::int64_t pad_before, std::int64_t in, PaddingMode mode);

}  // namespace convscope
