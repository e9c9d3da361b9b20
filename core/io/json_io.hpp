#pragma once
/// \file json_io.hpp
/// The JSON formats of ../shared/CONTRACT.md: convolution cases (read), tensors
/// (read and written with round-trip precision) and layers. Every malformed field is
/// a UserError naming the field, the value and what was expected.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/nn/conv.hpp"
#include "core/nn/rf.hpp"

namespace convscope {

/// Largest JSON file the readers accept (the golden cases are well under 1 MiB).
inline constexpr std::size_t kMaxJsonBytes = std::size_t{256} << 20;

/// A convolution case: `op`, `params`, `input`, `weight`, `bias` (+ `expected` or
/// `error` in the golden files).
struct ConvCase {
    std::string name;
    Layer layer;
    Tensor4 input;
    ConvWeights weights;
    std::optional<Tensor4> expected;
    std::optional<std::string> error;
};

/// Read a whole file (refusing more than kMaxJsonBytes) and parse it as JSON.
nlohmann::json read_json_file(const std::string& path);
/// Parse text as JSON, refusing deep nesting; UserError with the parser's position.
nlohmann::json parse_json_text(const std::string& text, const std::string& what);

/// A layer from the `params` object of a case (with `op`), or from a stack layer of
/// `rf` (`op`, `kernel_size`, ...). Missing fields take PyTorch's defaults except
/// `kernel_size`, which is required.
Layer layer_from_json(const std::string& op, const nlohmann::json& params, const std::string& where);
nlohmann::json layer_to_json(const Layer& layer);

/// `{"shape": [...], "data": [...]}` with 4 dims, each at least 1; with
/// `batch_may_be_empty` the first (N) may be 0 and `data` is then `[]`: an empty batch,
/// valid wherever PyTorch's layer takes it (CONTRACT.md, "Empty batches").
Tensor4 tensor_from_json(const nlohmann::json& j, const std::string& where, bool batch_may_be_empty = false);
/// Same with one dim (a bias).
Tensor1 vector_from_json(const nlohmann::json& j, const std::string& where);

ConvCase case_from_json(const nlohmann::json& j);

/// The `rf` input: `input_size`, `layers` (each with `op`), `output_cell`.
RfStack rf_stack_from_json(const nlohmann::json& j);
/// The `rf` output of ../shared/CONTRACT.md: exact integers while every count fits in
/// int64, 15-significant-digit numbers beyond.
std::string rf_result_to_json_text(const RfStack& stack, const RfResult& result);

/// `{"shape": [...], "data": [...]}` with every number in round-trip precision (%.17g).
/// Throws UserError on a non-finite value (JSON has no spelling for it).
std::string tensor_to_json_text(const Tensor4& t);
/// The same for a 1-D tensor (a bias or its gradient).
std::string tensor_to_json_text(const Tensor1& t);

}  // namespace convscope
