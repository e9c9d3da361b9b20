#pragma once
/// \file pycode.hpp
/// PyTorch layer code as students write it, read into layers and written back.
///
/// Reads `nn.Conv2d(3, 16, kernel_size=3, dilation=2, padding=2)`,
/// `torch.nn.ConvTranspose2d(16, 3, 2, stride=2)`, `nn.MaxPool2d(2)`,
/// `nn.AvgPool2d((2, 3), stride=1, ceil_mode=True)`, `nn.Sequential(...)` of such
/// layers, with or without `nn.` / `torch.nn.`, an optional `name =` in front,
/// positional and keyword arguments, ints or tuples, `padding='same'`. It is a small
/// parser for that subset, never an evaluator: anything else is a CodeError with the
/// column where reading stopped.
#include <cstdint>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/layer.hpp"

namespace convscope {

/// Code that is not in the subset. `column()` is 1-based.
class CodeError : public UserError {
public:
    CodeError(std::size_t column, const std::string& what);
    std::size_t column() const { return column_; }
    /// The plain reason, without the "column N: " prefix.
    const std::string& reason() const { return reason_; }

private:
    std::size_t column_;
    std::string reason_;
};

/// Parse one layer or an nn.Sequential into the list of layers it contains. The
/// layers' own parameter rules are checked too (validate_layer), reported at the
/// column of the layer's name.
std::vector<Layer> parse_pytorch_code(const std::string& code);

/// One layer as course-style PyTorch code:
/// `nn.Conv2d(in_channels=3, out_channels=16, kernel_size=3, dilation=2, padding=2)`.
/// Parameters at PyTorch's default are left out.
std::string to_pytorch_code(const Layer& layer);

/// A stack: one layer as above, several as a multi-line nn.Sequential.
std::string to_pytorch_code(const std::vector<Layer>& layers);

}  // namespace convscope
