// The command line of ../shared/CONTRACT.md, run as a user runs it.
#include <catch2/catch.hpp>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/base/files.hpp"
#include "helpers.hpp"

using convscope::test::run_cli;
using convscope::test::data_path;
using convscope::test::check_hostile_files;
using convscope::test::HostileFile;

namespace {

/// `convscope eval FILE` prints the golden file's `expected` to 1e-9 relative.
void check_eval_matches_golden(const std::string& f) {
    const auto r = run_cli("eval '" + f + "'");
    REQUIRE(r.status == 0);
    const auto out = nlohmann::json::parse(r.out);
    std::ifstream in(f);
    const auto golden = nlohmann::json::parse(in);
    CHECK(out["shape"] == golden["expected"]["shape"]);
    REQUIRE(out["data"].size() == golden["expected"]["data"].size());
    for (std::size_t i = 0; i < out["data"].size(); ++i)
        REQUIRE(out["data"][i].get<double>() == Approx(golden["expected"]["data"][i].get<double>()).epsilon(1e-9).margin(1e-12));
}

}  // namespace

TEST_CASE("eval prints PyTorch's output for a golden case", "[cli][eval]") {
    check_eval_matches_golden(data_path("golden/conv/seed_upconv_16to3_k2_s2_32.json"));
}

TEST_CASE("eval refuses what PyTorch refuses, with one error line", "[cli][eval][errors]") {
    const auto r = run_cli("eval '" + data_path("golden/conv/err_dilated_kernel_larger_than_input.json") + "'");
    CHECK(r.status >= 1);
    CHECK(r.status <= 127);
    CHECK(r.out.empty());
    CHECK(r.err == "error: dilation 3 makes the 3x3 kernel span 7x7, larger than the padded input 5x5\n");
}

TEST_CASE("shape prints the arithmetic and then torch.Size on the last line", "[cli][shape]") {
    const auto r = run_cli("shape 'nn.Conv2d(3, 16, kernel_size=3, dilation=2, padding=2)' --input 1x3x64x64");
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("H_out = floor((64 + 2*2 - 2*(3-1) - 1) / 1) + 1 = 64"));
    CHECK_THAT(r.out, Catch::EndsWith("torch.Size([1, 16, 64, 64])\n"));
    const auto j = run_cli("shape 'nn.Sequential(nn.Conv2d(3, 16, 3, dilation=2, padding=2), nn.ConvTranspose2d(16, 3, kernel_size=2, stride=2))' --input 1x3x64x64 --json");
    REQUIRE(j.status == 0);
    const auto out = nlohmann::json::parse(j.out);
    CHECK(out["output_shape"] == nlohmann::json::array({1, 3, 128, 128}));
    CHECK(out["layers"].size() == 2);
    CHECK(out["layers"][1]["formula"][0] == "H_out = (64 - 1)*2 - 2*0 + 1*(2-1) + 0 + 1 = 128");
}

TEST_CASE("shape names the column where the code stops making sense", "[cli][shape][errors]") {
    const auto r = run_cli("shape 'nn.Conv2d(3, 16, kernel_size=3 dilation=2)' --input 1x3x64x64");
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::StartsWith("error: cannot read the layer code at column 32"));
    const auto bad_input = run_cli("shape 'nn.Conv2d(3, 16, 3)' --input 1x3x64x64x2");
    CHECK(bad_input.status == 1);
    CHECK_THAT(bad_input.err, Catch::StartsWith("error: --input '1x3x64x64x2' must have 4 sizes"));
    const auto channels = run_cli("shape 'nn.Conv2d(3, 16, 3)' --input 1x4x64x64");
    CHECK(channels.status == 1);
    CHECK(channels.err ==
          "error: nn.Conv2d(in_channels=3, out_channels=16, kernel_size=3): column 11: the input has 4 channels but in_channels is 3\n");
}

TEST_CASE("eval and shape take the layers beyond convolution", "[cli][layers]") {
    for (const char* name : {"s11_upsample_007", "s11_pixel_unshuffle_002", "s11_leaky_relu"})
        check_eval_matches_golden(data_path(std::string("golden/learn/grad/") + name + ".json"));

    const auto up = run_cli("shape \"nn.Upsample(scale_factor=2, mode='nearest')\" --input 1x16x64x64");
    REQUIRE(up.status == 0);
    CHECK(up.out == "nn.Upsample(scale_factor=2, mode='nearest')\n   H_out = floor(64 * 2.0) = 128\n"
                    "   W_out = floor(64 * 2.0) = 128\ntorch.Size([1, 16, 128, 128])\n");
    const auto sub = run_cli("shape 'nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 12, 3, padding=1), "
                             "nn.PixelShuffle(2))' --input 1x3x64x64 --json");
    REQUIRE(sub.status == 0);
    const auto j = nlohmann::json::parse(sub.out);
    CHECK(j["output_shape"] == nlohmann::json::array({1, 3, 128, 128}));
    CHECK(j["layers"][3]["channel_formula"] == "C_out = 12 / 2^2 = 3");
    CHECK(j["layers"][3]["formula"][0] == "H_out = 64 * 2 = 128");
    const auto bad = run_cli("shape 'nn.Sequential(nn.ReLU(), nn.PixelShuffle(2))' --input 1x3x4x4");
    CHECK(bad.status == 1);
    CHECK(bad.err == "error: layer 2, nn.PixelShuffle(2): column 42: pixel_shuffle expects its input's 'channel' dimension "
                     "to be divisible by the square of upscale_factor, but input.size(-3)=3 is not divisible by 4\n");
}

TEST_CASE("hostile upsampling cases are refused before anything is allocated", "[cli][layers][errors]") {
    const std::string x = R"("input": {"shape": [1, 1, 2, 2], "data": [1, 2, 3, 4]})";
    auto up = [&](const std::string& params) { return R"({"op": "upsample", "params": )" + params + ", " + x + "}"; };
    check_hostile_files("eval", {
        {"unknown_mode", up(R"({"scale_factor": 2, "mode": "cubic"})"), "mode 'cubic' is unknown"},
        {"zero_scale", up(R"({"scale_factor": 0})"), "scale_factor 0.0 is not allowed: it must be positive"},
        {"negative_scale", up(R"({"scale_factor": [2, -1]})"), "scale_factor (2.0, -1.0) is not allowed"},
        {"absurd_scale", up(R"({"scale_factor": 1e12})"), "scale_factor 1000000000000.0 exceeds the limit of 1048576"},
        {"absurd_cells", up(R"({"scale_factor": 1000000})"), "exceeds the limit of 2^28 elements"},
        {"absurd_size", up(R"({"size": [1000000000000, 2]})"), "size (1000000000000, 2) exceeds the limit of 2^28 per side"},
        {"string_scale", up(R"({"scale_factor": "2"})"), "params.scale_factor must be a number or a pair [h, w] of numbers"},
        {"both", up(R"({"scale_factor": 2, "size": [4, 4]})"), "only one of size or scale_factor should be defined"},
        {"neither", up(R"({"mode": "nearest"})"), "either size or scale_factor should be defined"},
        {"nearest_corners", up(R"({"scale_factor": 2, "align_corners": true})"), "align_corners option can only be set"},
        {"weight_given", R"({"op": "relu", "params": {}, )" + x + R"(, "weight": {"shape": [1,1,1,1], "data": [1]}})",
         "weight is given but relu has no parameters"},
        {"shuffle_zero", R"({"op": "pixel_shuffle", "params": {"upscale_factor": 0}, )" + x + "}",
         "pixel_shuffle expects a positive upscale_factor"},
        {"slope_string", R"({"op": "leaky_relu", "params": {"negative_slope": "steep"}, )" + x + "}",
         "params.negative_slope must be a number"},
    });
}

TEST_CASE("hostile files get an error line naming the problem, never a crash", "[cli][errors]") {
    const std::string w = R"("weight": {"shape": [1,1,1,1], "data": [1]}, "bias": null)";
    const std::string conv1 = R"({"op": "conv2d", "params": {"in_channels": 1, "out_channels": 1, "kernel_size": [1, 1])";
    const std::vector<HostileFile> cases = {
        {"not_json", "this is not json", "is not valid JSON (parse error at line 1, column 2"},
        {"empty", "", "is not valid JSON"},
        {"truncated", "{\"op\": \"conv2d\", \"params\": {", "is not valid JSON (parse error at line 1, column 29"},
        {"deep", std::string(100000, '[') + std::string(100000, ']'), "nested 100000 levels deep (limit 64)"},
        {"wrong_type", R"({"op": "conv2d", "params": {"kernel_size": "three"}, "input": {}, "weight": {}})",
         "params.kernel_size must be a number or a pair [h, w], got \"three\""},
        {"fractional", conv1 + R"(, "kernel_size": [1.5, 1]}, "input": {"shape": [1,1,1,1], "data": [1]}, )" + w + "}",
         "kernel_size must be a whole number, got 1.5"},
        {"unknown_op", R"({"op": "conv3d", "params": {}, "input": {}, "weight": {}})", "op 'conv3d' is unknown"},
        {"unknown_mode", conv1 + R"(, "padding_mode": "mirror"}, "input": {"shape": [1,1,2,2], "data": [1,2,3,4]}, )" + w + "}",
         "padding_mode 'mirror' is unknown: expected zeros, reflect, replicate or circular"},
        {"huge", conv1 + R"(}, "input": {"shape": [100000, 100000, 100000, 100000], "data": []}, )" + w + "}",
         "exceeds the limit of 2^28 elements"},
        {"overflowing", conv1 + R"(}, "input": {"shape": [9223372036854775807, 9223372036854775807, 1, 1], "data": []}, )" + w + "}",
         "exceeds the limit of 2^28 elements"},
        {"negative_size", conv1 + R"(}, "input": {"shape": [1, 1, -2, 2], "data": [1,2,3,4]}, )" + w + "}", "has a size below 1"},
        {"data_disagrees", conv1 + R"(}, "input": {"shape": [1, 1, 2, 2], "data": [1, 2, 3]}, )" + w + "}",
         "input.data has 3 numbers but its shape needs 4"},
        {"string_data", conv1 + R"(}, "input": {"shape": [1, 1, 1, 1], "data": ["1"]}, )" + w + "}", "input.data[0] is not a number"},
        {"number_beyond_double", conv1 + R"(}, "input": {"shape": [1, 1, 1, 1], "data": [1e999]}, )" + w + "}",
         "is not valid JSON (number overflow parsing '1e999')"},
        {"zero_stride", conv1 + R"(, "stride": 0}, "input": {"shape": [1,1,2,2], "data": [1,2,3,4]}, )" + w + "}",
         "stride 0 is not allowed: stride must be at least 1"},
        {"negative_padding", conv1 + R"(, "padding": -1}, "input": {"shape": [1,1,2,2], "data": [1,2,3,4]}, )" + w + "}",
         "padding -1 is not allowed: padding cannot be negative"},
        {"groups", R"({"op": "conv2d", "params": {"in_channels": 3, "out_channels": 2, "kernel_size": [1, 1], "groups": 2},
                      "input": {"shape": [1, 3, 1, 1], "data": [1, 2, 3]}, )" + w + "}",
         "in_channels 3 must be divisible by groups 2"},
        {"weight_shape", R"({"op": "conv2d", "params": {"in_channels": 1, "out_channels": 2, "kernel_size": [1, 1]},
                            "input": {"shape": [1, 1, 1, 1], "data": [1]}, )" + w + "}",
         "weight has shape [1, 1, 1, 1] but Conv2d with these parameters needs [2, 1, 1, 1]"},
    };
    check_hostile_files("eval", cases);
    const auto missing = run_cli("eval /nonexistent/case.json");
    CHECK(missing.status == 1);
    CHECK_THAT(missing.err, Catch::Contains("cannot open"));
}

TEST_CASE("every subcommand explains itself with --help", "[cli]") {
    for (const char* sub : {"eval", "shape", "bench"}) {
        const auto r = run_cli(std::string(sub) + " --help");
        CHECK(r.status == 0);
        CHECK_FALSE(r.out.empty());
    }
}

TEST_CASE("bench lists the contract's suite", "[cli][bench]") {
    const auto r = run_cli("bench --list");
    REQUIRE(r.status == 0);
    for (const char* name : {"seed_dilated", "seed_upconv", "seed_upconv64", "wide_dilated", "wide_upconv", "depthwise_dilated"})
        CHECK_THAT(r.out, Catch::Contains(std::string("\"") + name + "\""));
    const auto one = run_cli("bench --case seed_upconv --seconds 0.05");
    REQUIRE(one.status == 0);
    const auto line = nlohmann::json::parse(one.out);
    CHECK(line["case"] == "seed_upconv");
    CHECK(line["runs"].get<int>() >= 3);
}

TEST_CASE("bench --ui refuses a case it does not play, before opening a window", "[cli][bench][errors]") {
    const auto r = run_cli("bench --ui --case seed_upconv");
    CHECK(r.status >= 1);
    CHECK(r.status <= 127);
    CHECK_THAT(r.err, Catch::StartsWith("error: --case 'seed_upconv' is not played by bench --ui"));
}

TEST_CASE("rf prints the golden path counts and the per-layer summary", "[cli][rf]") {
    const std::string f = data_path("golden/rf/rf_upconv_k2_s2.json");
    const auto r = run_cli("rf '" + f + "'");
    REQUIRE(r.status == 0);
    const auto out = nlohmann::json::parse(r.out);
    std::ifstream in(f);
    const auto golden = nlohmann::json::parse(in);
    CHECK(out["paths"] == golden["expected_paths"]);
    CHECK(out["output_cell"] == golden["output_cell"]);
    CHECK(out["layers"][0]["effective_stride"][0].get<double>() == 0.5);
}

TEST_CASE("rf refuses hostile stacks with one error line", "[cli][rf][errors]") {
    check_hostile_files("rf", {
        {"unknown_op", R"({"input_size": [8, 8], "layers": [{"op": "conv3d", "kernel_size": [3, 3]}], "output_cell": [0, 0]})",
         "conv3d"},
        {"outside", R"({"input_size": [8, 8], "layers": [{"op": "conv2d", "kernel_size": [3, 3]}], "output_cell": [6, 0]})",
         "output_cell"},
        {"overflow", R"({"input_size": [9223372036854775807, 8], "layers": [{"op": "conv2d", "kernel_size": [3, 3]}], "output_cell": [0, 0]})",
         "9223372036854775807"},
        {"no_layers", R"({"input_size": [8, 8], "layers": [], "output_cell": [0, 0]})", "layers"},
    });
}

TEST_CASE("present names its presenter-window flags and refuses both at once, before opening a window", "[cli][present][errors]") {
    const auto help = run_cli("present --help");
    CHECK(help.status == 0);
    CHECK_THAT(help.out, Catch::Contains("--presenter-window") && Catch::Contains("--no-presenter-window"));
    const std::string deck = convscope::asset_path("decks/transposed.json");
    const auto both = run_cli("present '" + deck + "' --presenter-window --no-presenter-window", "DISPLAY=");
    CHECK(both.status >= 1);
    CHECK(both.status <= 127);
    CHECK_THAT(both.err, Catch::StartsWith("error: ") && Catch::Contains("excludes"));
}
