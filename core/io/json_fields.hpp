#pragma once
/// \file json_fields.hpp
/// Typed reads of one JSON field, each a UserError naming the field and showing the
/// value when the type is wrong. Shared by every JSON reader (cases, stacks, sessions).
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/nn/layer.hpp"

namespace convscope {

/// A whole number (JSON integer, or a float with no fractional part below 9e15).
std::int64_t want_int(const nlohmann::json& j, const std::string& field);
/// A number `n` or a pair `[h, w]` (or `[n]`).
Pair want_pair(const nlohmann::json& j, const std::string& field);
bool want_bool(const nlohmann::json& j, const std::string& field);
std::string want_string(const nlohmann::json& j, const std::string& field);
const nlohmann::json& want_object(const nlohmann::json& j, const std::string& field);

}  // namespace convscope
