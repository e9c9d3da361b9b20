// Reading PyTorch layer code as students write it, and writing it back.
#include <catch2/catch.hpp>

#include "core/pycode.hpp"

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
        {"nn.Conv2d(3, 16, 3, stride=1.5)", 29, "whole number"},
        {"nn.Conv2d(3, 16, 3, stride=2, padding='same')", 1, "'same' needs stride 1"},
        {"nn.Conv2d(3, 16, 3, groups=2)", 1, "divisible by groups"},
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
        "nn.AvgPool2d(2, count_include_pad=False)");
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
