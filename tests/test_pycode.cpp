// Reading PyTorch layer code as students write it, and writing it back.
#include <catch2/catch.hpp>

#include "core/io/code_wrap.hpp"
#include "core/io/pycode.hpp"
#include "core/nn/shape.hpp"

using namespace convscope;

TEST_CASE("the course's layers read as PyTorch builds them", "[pycode]") {
    const auto conv = parse_pytorch_code("nn.Conv2d(3, 16, kernel_size=3, dilation=2, padding=2)");
    REQUIRE(conv.size() == 1);
    CHECK(conv[0].kind == LayerKind::Conv2d);
    CHECK(conv[0].in_channels == 3);
    CHECK(conv[0].out_channels == 16);
    CHECK(conv[0].kernel == Pair{3, 3});
    CHECK(conv[0].dilation == Pair{2, 2});
    CHECK(conv[0].padding.value == Pair{2, 2});

    const auto up = parse_pytorch_code("torch.nn.ConvTranspose2d(16, 3, 2, stride=2)");
    REQUIRE(up.size() == 1);
    CHECK(up[0].kind == LayerKind::ConvTranspose2d);
    CHECK(up[0].kernel == Pair{2, 2});
    CHECK(up[0].stride == Pair{2, 2});
}

TEST_CASE("positional arguments follow each class's signature", "[pycode]") {
    // ConvTranspose2d(in, out, k, stride, padding, output_padding, groups, bias, dilation)
    const Layer t = parse_pytorch_code("ConvTranspose2d(4, 2, (3, 2), 2, 1, 1, 2, False, 1)")[0];
    CHECK(t.kernel == Pair{3, 2});
    CHECK(t.padding.value == Pair{1, 1});
    CHECK(t.output_padding == Pair{1, 1});
    CHECK(t.groups == 2);
    CHECK_FALSE(t.bias);
    // MaxPool2d's stride defaults to its kernel size.
    const Layer m = parse_pytorch_code("nn.MaxPool2d(2)")[0];
    CHECK(m.stride == Pair{2, 2});
    const Layer a = parse_pytorch_code("nn.AvgPool2d(3, stride=1, padding=1, ceil_mode=True, count_include_pad=False)")[0];
    CHECK(a.stride == Pair{1, 1});
    CHECK(a.ceil_mode);
    CHECK_FALSE(a.count_include_pad);
}

TEST_CASE("strings, tuples, comments and a Sequential all read", "[pycode]") {
    const auto layers = parse_pytorch_code(R"(model = nn.Sequential(
        nn.Conv2d(3, 16, kernel_size=(3, 3), padding='same', padding_mode="reflect"),  # keep 64x64
        nn.MaxPool2d(kernel_size=2),
        nn.ConvTranspose2d(16, 3, kernel_size=2, stride=2),
    ))");
    REQUIRE(layers.size() == 3);
    CHECK(layers[0].padding.kind == PaddingKind::Same);
    CHECK(layers[0].padding_mode == PaddingMode::Reflect);
    CHECK(layers[1].kind == LayerKind::MaxPool2d);
    CHECK(layers[2].kind == LayerKind::ConvTranspose2d);
}

TEST_CASE("code outside the subset is refused at the column where reading stops", "[pycode][errors]") {
    struct Bad {
        const char* code;
        std::size_t column;
        const char* reason;
    };
    const Bad bad = GENERATE(values<Bad>({
        {"nn.Conv2d(3, 16, kernel_size=3 dilation=2)", 32, "expected ',' or ')'"},
        {"nn.Conv3d(3, 16, 3)", 1, "not a layer ConvScope reads"},
        {"nn.Conv2d(3, 16, kernel_size=3, paddin=2)", 33, "no argument 'paddin'"},
        {"nn.Conv2d(3, 16)", 16, "needs kernel_size"},
        {"nn.Conv2d(3, 16, 3", 19, "but the code ends"},
        {"nn.Conv2d(3, 16, 3, padding='full')", 29, "padding 'full' is unknown"},
        {"nn.Conv2d(3, 16, 3, stride=1.5)", 28, "whole number"},
        // Semantic errors point at the argument they are about, not at the layer.
        {"nn.Conv2d(3, 16, 3, stride=2, padding='same')", 31, "'same' needs stride 1"},
        {"nn.Conv2d(3, 16, 3, groups=2)", 21, "divisible by groups"},
        {"nn.Conv2d(1, 1, 3, dilation=0)", 20, "dilation 0 is not allowed"},
        {"nn.Conv2d(1, 1, -3)", 17, "kernel_size -3 is not allowed"},
        {"nn.Sequential(nn.ReLU(), nn.ConvTranspose2d(2, 2, 2, stride=2, output_padding=2))", 64,
         "output_padding 2 must be smaller"},
        // The layers beyond convolution: hostile values and their messages.
        {"nn.Upsample(scale_factor=2, mode='bicubik')", 34, "mode 'bicubik' is unknown"},
        {"nn.Upsample(scale_factor=2, mode='bicubic')", 34, "mode 'bicubic' is not computed by ConvScope"},
        {"nn.Upsample(scale_factor=2, mode='linear')", 34, "needs a 3D input"},
        {"nn.Upsample(scale_factor=0)", 13, "scale_factor 0.0 is not allowed: it must be positive"},
        {"nn.Upsample(scale_factor=-1.5)", 13, "scale_factor -1.5 is not allowed"},
        {"nn.Upsample(scale_factor=1e30)", 13, "scale_factor 1e+30 exceeds the limit"},
        {"nn.Upsample(scale_factor=1e999)", 26, "too large"},
        {"nn.Upsample(size=1000000000000)", 13, "size 1000000000000 exceeds the limit of 2^28 per side"},
        {"nn.Upsample(size=10000000000000)", 18, "number too large"},
        {"nn.Upsample(size=(6, 0))", 13, "size (6, 0) is not allowed: Input and output sizes should be greater than 0"},
        {"nn.Upsample(size=2.5)", 18, "size must be a whole number"},
        {"nn.Upsample(scale_factor='two')", 26, "scale_factor must be a number"},
        {"nn.Upsample(mode='nearest')", 1, "either size or scale_factor should be defined"},
        {"nn.Upsample(4, scale_factor=2)", 13, "only one of size or scale_factor should be defined"},
        {"nn.Upsample(scale_factor=2, align_corners=False)", 29, "align_corners option can only be set with the interpolating modes"},
        {"nn.PixelShuffle()", 17, "needs upscale_factor"},
        {"nn.PixelShuffle(0)", 17, "pixel_shuffle expects a positive upscale_factor"},
        {"nn.PixelUnshuffle(downscale_factor=-2)", 19, "pixel_unshuffle expects a positive downscale_factor"},
        {"nn.LeakyReLU(negative_slope='a lot')", 29, "negative_slope must be a number"},
        {"nn.ReLU(inplace=1)", 17, "inplace must be True or False"},
        {"nn.Tanh(1)", 9, "takes no arguments"},
        {"nn.Conv2d(kernel_size=3, 3, 16)", 26, "positional argument cannot follow"},
        {"nn.Conv2d(3, 16, 3, stride=2, stride=1)", 31, "given twice"},
        {"nn.Conv2d(3, 16, 3) + 1", 21, "unexpected '+'"},
        {"nn.Sequential()", 1, "holds no layer"},
        {"", 1, "expected a layer"},
        {"nn.Conv2d(3, 16, 3, padding_mode='mirror')", 34, "padding_mode 'mirror' is unknown"},
    }));
    try {
        parse_pytorch_code(bad.code);
        FAIL("accepted: " << bad.code);
    } catch (const CodeError& e) {
        INFO(bad.code << " -> " << e.what());
        CHECK(e.column() == bad.column);
        CHECK_THAT(e.reason(), Catch::Contains(bad.reason));
    }
}

TEST_CASE("layers written as course-style code read back to the same layers", "[pycode][roundtrip]") {
    const char* code = GENERATE(
        "nn.Conv2d(3, 16, kernel_size=3, dilation=2, padding=2)",
        "nn.ConvTranspose2d(16, 3, kernel_size=2, stride=2)",
        "nn.ConvTranspose2d(8, 4, kernel_size=(3, 4), stride=(2, 1), padding=1, output_padding=(1, 0), groups=2, bias=False)",
        "nn.Conv2d(4, 4, 5, padding='valid', padding_mode='circular', groups=4)",
        "nn.MaxPool2d(3, stride=2, padding=1, dilation=2, ceil_mode=True)",
        "nn.AvgPool2d(2, count_include_pad=False)",
        "nn.Upsample(scale_factor=2, mode='nearest')",
        "nn.Upsample(size=(6, 10))",
        "nn.Upsample(scale_factor=(2.5, 1.5), mode='bilinear', align_corners=True)",
        "nn.Upsample(None, 3, 'bilinear', False, True)",
        "nn.PixelShuffle(2)", "nn.PixelUnshuffle(downscale_factor=3)",
        "nn.ReLU()", "nn.ReLU(inplace=True)", "nn.LeakyReLU(0.2)", "nn.LeakyReLU()", "nn.Tanh()", "nn.Sigmoid()",
        "nn.Sequential(nn.Conv2d(3, 12, 3, padding=1), nn.ReLU(), nn.PixelShuffle(2), nn.Upsample(scale_factor=2.0), nn.Sigmoid())");
    const auto layers = parse_pytorch_code(code);
    const std::string written = to_pytorch_code(layers);
    CHECK(parse_pytorch_code(written) == layers);
}

TEST_CASE("the code panel writes the seed layer in the course's style", "[pycode]") {
    const auto layers = parse_pytorch_code("nn.Conv2d(3, 16, kernel_size=3, dilation=2, padding=2)");
    CHECK(to_pytorch_code(layers) == "nn.Conv2d(in_channels=3, out_channels=16, kernel_size=3, dilation=2, padding=2)");
    const auto both = parse_pytorch_code("nn.Sequential(nn.Conv2d(3,16,3,dilation=2,padding=2), nn.ConvTranspose2d(16,3,2,stride=2))");
    CHECK(to_pytorch_code(both) ==
          "nn.Sequential(\n"
          "    nn.Conv2d(in_channels=3, out_channels=16, kernel_size=3, dilation=2, padding=2),\n"
          "    nn.ConvTranspose2d(in_channels=16, out_channels=3, kernel_size=2, stride=2),\n"
          ")");
}

TEST_CASE("the layers beyond convolution are read with PyTorch's signatures and written back as code", "[pycode][layers]") {
    const auto up = parse_pytorch_code("nn.Upsample(scale_factor=2, mode='nearest')");
    REQUIRE(up.size() == 1);
    CHECK(up[0].kind == LayerKind::Upsample);
    CHECK(up[0].scale_factor == std::array<double, 2>{2.0, 2.0});
    CHECK_FALSE(up[0].size.has_value());
    CHECK(to_pytorch_code(up) == "nn.Upsample(scale_factor=2, mode='nearest')");
    // nn.Upsample's first positional argument is size.
    const auto sized = parse_pytorch_code("torch.nn.Upsample((6, 10))");
    CHECK(sized[0].size == Pair{6, 10});
    CHECK(to_pytorch_code(sized) == "nn.Upsample(size=(6, 10), mode='nearest')");
    const auto bil = parse_pytorch_code("nn.Upsample(scale_factor=(1.5, 2), mode='bilinear', align_corners=False)");
    CHECK(bil[0].upsample_mode == UpsampleMode::Bilinear);
    CHECK(bil[0].align_corners == std::optional<bool>(false));
    CHECK(to_pytorch_code(bil) == "nn.Upsample(scale_factor=(1.5, 2), mode='bilinear', align_corners=False)");
    const auto seq = parse_pytorch_code("nn.Sequential(nn.PixelShuffle(2), nn.LeakyReLU(0.2), nn.ReLU(inplace=True), nn.Tanh(), nn.Sigmoid(), nn.PixelUnshuffle(2))");
    REQUIRE(seq.size() == 6);
    CHECK(seq[0].kind == LayerKind::PixelShuffle);
    CHECK(seq[0].shuffle_factor == 2);
    CHECK(seq[1].negative_slope == 0.2);
    CHECK(to_pytorch_code(seq) ==
          "nn.Sequential(\n    nn.PixelShuffle(2),\n    nn.LeakyReLU(0.2),\n    nn.ReLU(),\n    nn.Tanh(),\n    nn.Sigmoid(),\n"
          "    nn.PixelUnshuffle(2),\n)");
}

TEST_CASE("an error found when the code meets an input points at the argument it is about", "[pycode][errors]") {
    std::vector<LayerSpan> spans;
    const auto layers = parse_pytorch_code("nn.Sequential(nn.ReLU(), nn.Conv2d(1, 1, 3, dilation=10))", &spans);
    REQUIRE(spans.size() == 2);
    try {
        resolve_layer(layers[1], 1, 1, 8, 8);
        FAIL("an 8x8 input took a 21x21 kernel span");
    } catch (const UserError& e) {
        const CodeError located = locate_error(spans[1], e);
        CHECK(located.column() == 45);  // "dilation=10"
        CHECK_THAT(located.reason(), Catch::Contains("dilation 10 makes the 3x3 kernel span 21x21"));
    }
}

TEST_CASE("code too wide for the code box has its arguments spread over lines and reads back the same", "[pycode][wrap]") {
    const std::string one = "nn.Conv2d(in_channels=3, out_channels=16, kernel_size=3, dilation=2, padding=2)";
    CHECK(wrap_code_arguments(one, 80) == one);  // fits: unchanged
    CHECK(wrap_code_arguments(one, 40) ==
          "nn.Conv2d(in_channels=3,\n          out_channels=16,\n          kernel_size=3, dilation=2,\n          padding=2)");
    CHECK(wrap_code_arguments(one, 78) == "nn.Conv2d(in_channels=3, out_channels=16, kernel_size=3, dilation=2,\n          padding=2)");
    // One argument too long for any line stays as it is.
    const std::string unsplittable = "f(" + std::string(50, 'a') + ")";
    CHECK(wrap_code_arguments(unsplittable, 40) == unsplittable);
    // A bracket too far right for aligned arguments: they hang 4 deeper than the call.
    CHECK(wrap_code_arguments("    nn.ConvTranspose2d(in_channels=16, out_channels=3)", 40) ==
          "    nn.ConvTranspose2d(\n        in_channels=16, out_channels=3)");
    const std::string stack = "nn.Sequential(\n    " + one + ",\n    nn.ConvTranspose2d(16, 8, kernel_size=(3, 3), stride=2),\n)";
    const std::size_t columns = GENERATE(std::size_t(30), std::size_t(40), std::size_t(60), std::size_t(70));
    const std::string wrapped = wrap_code_arguments(stack, columns);
    CAPTURE(wrapped);
    std::size_t start = 0;
    while (start < wrapped.size()) {
        const std::size_t end = std::min(wrapped.find('\n', start), wrapped.size());
        CHECK(end - start <= columns);
        start = end + 1;
    }
    const auto layers = parse_pytorch_code(wrapped);
    CHECK(to_pytorch_code(layers) == to_pytorch_code(parse_pytorch_code(stack)));
    CHECK(wrapped.find("kernel_size=(3, 3)") != std::string::npos);  // a tuple is one argument
}
