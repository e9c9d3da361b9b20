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
#include <map>
#include <string>
#include <vector>

#include "core/base/errors.hpp"
#include "core/nn/layer.hpp"

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

/// Where one layer is written: the 1-based column of its class name and of each
/// argument (keyword arguments: where the keyword starts), by parameter name.
struct LayerSpan {
    std::size_t column = 1;
    std::map<std::string, std::size_t> arguments;
};

/// Parse one layer or an nn.Sequential into the list of layers it contains. The
/// layers' own parameter rules are checked too (validate_layer), reported at the
/// column of the argument they name (else of the layer's name). `spans`, when given,
/// receives where each layer is written, for locate_error.
std::vector<Layer> parse_pytorch_code(const std::string& code, std::vector<LayerSpan>* spans = nullptr);

/// An error found later for a parsed layer (resolving it for an input, say) as a
/// CodeError at the column of the argument a ParameterError names, else at the layer.
CodeError locate_error(const LayerSpan& span, const UserError& error);

/// One layer as course-style PyTorch code:
/// `nn.Conv2d(in_channels=3, out_channels=16, kernel_size=3, dilation=2, padding=2)`.
/// Parameters at PyTorch's default are left out.
std::string to_pytorch_code(const Layer& layer);

/// A stack: one layer as above, several as a multi-line nn.Sequential.
std::string to_pytorch_code(const std::vector<Layer>& layers);

}  // namespace convscope
