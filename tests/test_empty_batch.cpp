// Empty batches (CONTRACT.md, "Empty batches"): an input with N = 0 runs through every
// layer as in PyTorch: the output has N = 0 and PyTorch's other sizes, the data is
// empty, the weight and bias gradients are zeros.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/base/errors.hpp"
#include "core/io/json_io.hpp"
#include "core/io/pycode.hpp"
#include "core/learn/grad.hpp"
#include "core/learn/train.hpp"
#include "core/nn/layer_ops.hpp"
#include "core/nn/shape.hpp"
#include "helpers.hpp"

using namespace convscope;
using convscope::test::run_cli;

namespace {

std::string temp_dir(const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() / ("convscope_" + name + "_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir.string();
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

/// Weights of the shapes `L` takes (conv2d: C_out x C_in/g x kH x kW; transposed:
/// C_in x C_out/g x kH x kW), every weight 0.5 and bias 0.25 so that a gradient left
/// unzeroed would show.
ConvWeights weights_for(const Layer& L) {
    ConvWeights w;
    if (!has_weights(L.kind)) return w;
    const bool transposed = L.kind == LayerKind::ConvTranspose2d;
    const std::int64_t rows = transposed ? L.in_channels : L.out_channels;
    const std::int64_t cols = (transposed ? L.out_channels : L.in_channels) / L.groups;
    w.weight = make_tensor(rows, cols, L.kernel.h, L.kernel.w, "the weight");
    w.weight.fill(0.5);
    w.has_bias = L.bias;
    if (L.bias) {
        w.bias = Tensor1::from_shape({std::size_t(L.out_channels)});
        w.bias.fill(0.25);
    }
    return w;
}

/// The PyTorch code of every layer kind, on a 4-channel 8x6 input.
const char* const kEveryKind[] = {
    "nn.Conv2d(4, 6, 3, padding=1)",
    "nn.Conv2d(4, 8, 3, stride=2, dilation=2, groups=2, padding_mode='reflect', padding=1)",
    "nn.ConvTranspose2d(4, 3, kernel_size=2, stride=2)",
    "nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1, bias=False)",
    "nn.MaxPool2d(2)",
    "nn.AvgPool2d(3, stride=2, ceil_mode=True)",
    "nn.Upsample(scale_factor=2, mode='nearest')",
    "nn.Upsample(scale_factor=1.5, mode='bilinear', align_corners=True)",
    "nn.Upsample(size=(5, 9), mode='bilinear')",
    "nn.PixelShuffle(2)",
    "nn.PixelUnshuffle(2)",
    "nn.ReLU()",
    "nn.LeakyReLU(0.2)",
    "nn.Tanh()",
    "nn.Sigmoid()",
};

}  // namespace

TEST_CASE("every layer kind takes an empty batch and gives N = 0 with PyTorch's other sizes", "[layers][empty_batch]") {
    const std::string code = GENERATE(from_range(std::begin(kEveryKind), std::end(kEveryKind)));
    INFO(code);
    const Layer L = parse_pytorch_code(code).at(0);
    const LayerGeometry one = resolve_layer(L, 1, 4, 8, 6);  // the sizes of one sample
    const LayerGeometry none = resolve_layer(L, 0, 4, 8, 6);
    CHECK(none.batch == 0);
    CHECK(none.out_channels == one.out_channels);
    CHECK(none.h().out == one.h().out);
    CHECK(none.w().out == one.w().out);

    const Tensor4 x = make_tensor(0, 4, 8, 6, "the input");
    const ConvWeights w = weights_for(L);
    const Tensor4 y = apply_layer(x, w, L);
    CHECK(shape_of(y) == std::vector<std::int64_t>{0, one.out_channels, one.h().out, one.w().out});
    CHECK(y.size() == 0);

    const LayerGradients g = layer_gradients(L, x, w, y);  // grad_output: the (empty) output's shape
    CHECK(shape_of(g.output) == shape_of(y));
    CHECK(shape_of(g.grad_input) == std::vector<std::int64_t>{0, 4, 8, 6});
    CHECK(g.grad_weight.has_value() == has_weights(L.kind));
    if (g.grad_weight) {
        CHECK(shape_of(*g.grad_weight) == shape_of(w.weight));
        CHECK(std::all_of(g.grad_weight->begin(), g.grad_weight->end(), [](double v) { return v == 0.0; }));
    }
    CHECK(g.grad_bias.has_value() == (has_weights(L.kind) && L.bias));
    if (g.grad_bias) {
        CHECK(g.grad_bias->size() == std::size_t(L.out_channels));
        CHECK(std::all_of(g.grad_bias->begin(), g.grad_bias->end(), [](double v) { return v == 0.0; }));
    }
}

TEST_CASE("only the batch may be empty: a zero channel, height or width is still refused", "[layers][empty_batch][errors]") {
    const Layer L = parse_pytorch_code("nn.Conv2d(3, 16, 3)").at(0);
    CHECK_THROWS_AS(resolve_layer(L, -1, 3, 8, 8), UserError);
    CHECK_THROWS_AS(resolve_layer(L, 0, 0, 8, 8), UserError);
    CHECK_THROWS_AS(resolve_layer(L, 0, 3, 0, 8), UserError);
    const nlohmann::json zero_height = {{"shape", {1, 3, 0, 5}}, {"data", nlohmann::json::array()}};
    CHECK_THROWS_WITH(tensor_from_json(zero_height, "input", true),
                      "input.shape [1,3,0,5] has a size below 1 (only the batch, N, may be 0)");
    const nlohmann::json empty_batch = {{"shape", {0, 3, 7, 5}}, {"data", nlohmann::json::array()}};
    CHECK(shape_of(tensor_from_json(empty_batch, "input", true)) == std::vector<std::int64_t>{0, 3, 7, 5});
    CHECK_THROWS_WITH(tensor_from_json(empty_batch, "weight"), "weight.shape [0,3,7,5] has a size below 1");
}

TEST_CASE("eval, grad and shape take an empty batch on the command line", "[cli][empty_batch]") {
    const std::string dir = temp_dir("empty_batch");
    const nlohmann::json input = {{"shape", {0, 3, 7, 5}}, {"data", nlohmann::json::array()}};
    nlohmann::json weight = {{"shape", {2, 3, 3, 3}}, {"data", std::vector<double>(54, 0.5)}};
    nlohmann::json c = {{"op", "conv2d"}, {"params", {{"in_channels", 3}, {"out_channels", 2}, {"kernel_size", 3}, {"stride", 1}, {"padding", 1}}}, {"input", input},
                        {"weight", weight}, {"bias", {{"shape", {2}}, {"data", {0.1, 0.2}}}}};
    const std::string case_path = dir + "/conv.json";
    write_text(case_path, c.dump());
    const auto e = run_cli("eval '" + case_path + "'");
    REQUIRE(e.status == 0);
    CHECK(nlohmann::json::parse(e.out) == nlohmann::json::parse(R"({"shape": [0, 2, 7, 5], "data": []})"));

    c["grad_output"] = {{"shape", {0, 2, 7, 5}}, {"data", nlohmann::json::array()}};
    write_text(case_path, c.dump());
    const auto g = run_cli("grad '" + case_path + "'");
    REQUIRE(g.status == 0);
    const auto out = nlohmann::json::parse(g.out);
    CHECK(out["output"]["shape"] == nlohmann::json::array({0, 2, 7, 5}));
    CHECK(out["grad_input"] == nlohmann::json::parse(R"({"shape": [0, 3, 7, 5], "data": []})"));
    CHECK(out["grad_weight"]["shape"] == nlohmann::json::array({2, 3, 3, 3}));
    CHECK(out["grad_weight"]["data"] == nlohmann::json(std::vector<double>(54, 0.0)));
    CHECK(out["grad_bias"] == nlohmann::json::parse(R"({"shape": [2], "data": [0, 0]})"));

    // A parameter-free layer: grad_weight and grad_bias are null, as for any batch.
    const nlohmann::json up = {{"op", "upsample"}, {"params", {{"scale_factor", {2, 2}}, {"mode", "bilinear"}}},
                               {"input", input}, {"grad_output", {{"shape", {0, 3, 14, 10}}, {"data", nlohmann::json::array()}}}};
    write_text(dir + "/up.json", up.dump());
    const auto u = run_cli("grad '" + dir + "/up.json'");
    REQUIRE(u.status == 0);
    CHECK(nlohmann::json::parse(u.out)["output"]["shape"] == nlohmann::json::array({0, 3, 14, 10}));
    CHECK(nlohmann::json::parse(u.out)["grad_weight"].is_null());

    const auto s = run_cli("shape 'nn.Conv2d(3,16,3)' --input 0x3x8x8");
    REQUIRE(s.status == 0);
    CHECK_THAT(s.out, Catch::EndsWith("torch.Size([0, 16, 6, 6])\n"));
    const auto sj = run_cli("shape 'nn.Sequential(nn.MaxPool2d(2), nn.PixelShuffle(2))' --input 0x8x8x8 --json");
    REQUIRE(sj.status == 0);
    CHECK(nlohmann::json::parse(sj.out)["output_shape"] == nlohmann::json::array({0, 2, 8, 8}));
}

TEST_CASE("train refuses an empty batch in words: the mean loss over no samples is NaN", "[cli][train][empty_batch][errors]") {
    const std::string dir = temp_dir("empty_batch_train");
    const nlohmann::json run = {
        {"model", "nn.Conv2d(1, 1, 3, padding=1)"},
        {"parameters", {{{"weight", {{"shape", {1, 1, 3, 3}}, {"data", std::vector<double>(9, 0.1)}}}, {"bias", nullptr}}}},
        {"input", {{"shape", {0, 1, 4, 4}}, {"data", nlohmann::json::array()}}},
        {"target", {{"shape", {0, 1, 4, 4}}, {"data", nlohmann::json::array()}}},
        {"loss", "mse"},
        {"optimizer", {{"name", "sgd"}, {"lr", 0.1}}},
        {"steps", 2}};
    write_text(dir + "/run.json", run.dump());
    const auto r = run_cli("train '" + dir + "/run.json'");
    CHECK(r.status >= 1);
    CHECK(r.status <= 127);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::StartsWith("error: input has an empty batch (N = 0)"));
}
