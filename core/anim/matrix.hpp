#pragma once
/// \file matrix.hpp
/// A convolution as a matrix: flatten the input plane x and the output plane y
/// row-major, then conv2d is y = C x with C sparse and banded, and conv_transpose2d with
/// the same kernel is y = C^T x: the transposed convolution is, literally, the
/// transpose of the matrix of the convolution going the other way (Dumoulin & Visin,
/// section 4.1). This is the third way ConvScope shows the same numbers.
#include <cstdint>
#include <vector>

#include "core/anim/steps.hpp"

namespace convscope {

/// Largest matrix built for drawing (rows x cols entries).
inline constexpr std::int64_t kMaxMatrixEntries = std::int64_t{1} << 20;

struct ConvMatrix {
    std::int64_t rows = 0, cols = 0;   ///< output cells x input cells of one channel pair
    std::vector<double> values;        ///< row-major; the weight (or sum of weights) linking them
    std::vector<std::uint8_t> linked;  ///< 1 where a tap links the two cells (a structural non-zero)
    double at(std::int64_t r, std::int64_t c) const { return values[std::size_t(r * cols + c)]; }
    std::int64_t nonzeros() const;
};

/// The matrix taking input channel `in_channel` of `engine`'s layer to its output
/// channel: y[engine.out_channel()] += M * vec(x[in_channel]) (plus the bias). Padding
/// cells that copy a real cell (reflect, replicate, circular) add their weight to that
/// cell's column. UserError if the matrix would exceed kMaxMatrixEntries or the
/// channel pair is not connected (groups).
ConvMatrix convolution_matrix(const StepEngine& engine, std::int64_t in_channel);

}  // namespace convscope
