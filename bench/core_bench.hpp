#pragma once
/// \file bench.hpp
/// The benchmark suite of ../shared/CONTRACT.md, shared by `convscope bench` and the
/// side-by-side script against PyTorch (bench/compare_pytorch.py reads the same table
/// via `convscope bench --list`).
#include <functional>
#include <string>
#include <vector>

namespace convscope {

struct BenchCase {
    std::string name;
    std::string description;  ///< the configuration as JSON (for the PyTorch script)
    /// Builds inputs once and returns the function to time (one full evaluation).
    std::function<std::function<void()>()> prepare;
};

struct BenchResult {
    std::string name;
    double median_ms = 0;
    int runs = 0;
};

struct RfStack;
/// The contract's receptive-field cases by name: "rf_vgg16_224", "rf_dilated_deep".
RfStack bench_rf_stack(const std::string& name);

/// The convolution cases, then the receptive-field cases.
std::vector<BenchCase> bench_suite();

/// Warm up, then time `fn` repeatedly for about `seconds`; median of the runs.
BenchResult time_case(const std::string& name, const std::function<void()>& fn, double seconds);

}  // namespace convscope
