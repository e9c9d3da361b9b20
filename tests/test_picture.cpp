// Real pictures as inputs: decoding every supported format, refusing hostile files
// before anything is allocated for them, area resizing and channel conversion.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <stb_image_write.h>

#include <catch2/catch.hpp>

#include "core/base/errors.hpp"
#include "core/base/picture.hpp"
#include "core/anim/session.hpp"

#include <unistd.h>

using namespace convscope;

namespace {

void append_to_string(void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), std::size_t(size));
}

/// A 4x3 picture with distinct bytes per pixel and channel.
std::vector<unsigned char> rgb_pixels(int w, int h) {
    std::vector<unsigned char> px(std::size_t(w * h * 3));
    for (std::size_t i = 0; i < px.size(); ++i) px[i] = static_cast<unsigned char>((i * 37 + 11) % 256);
    return px;
}

std::string png_bytes(int w, int h, int comp, const std::vector<unsigned char>& px) {
    std::string out;
    REQUIRE(stbi_write_png_to_func(append_to_string, &out, w, h, comp, px.data(), w * comp) != 0);
    return out;
}

std::string bmp_bytes(int w, int h, const std::vector<unsigned char>& px) {
    std::string out;
    REQUIRE(stbi_write_bmp_to_func(append_to_string, &out, w, h, 3, px.data()) != 0);
    return out;
}

std::string jpg_bytes(int w, int h, const std::vector<unsigned char>& px) {
    std::string out;
    REQUIRE(stbi_write_jpg_to_func(append_to_string, &out, w, h, 3, px.data(), 95) != 0);
    return out;
}

/// A 2x1 GIF89a: a 2-colour palette (black, white) and the pixels white, black.
std::string tiny_gif() {
    const unsigned char b[] = {'G', 'I', 'F', '8', '9', 'a', 2, 0, 1, 0, 0x80, 0, 0,  // screen 2x1, palette of 2
                               0, 0, 0, 255, 255, 255,                              // black, white
                               ',', 0, 0, 0, 0, 2, 0, 1, 0, 0,                     // image 2x1 at 0,0
                               2, 2, 0x4C, 0x01, 0,                                // LZW: clear, 1, 0, end
                               ';'};
    return std::string(reinterpret_cast<const char*>(b), sizeof b);
}

/// A PNG whose header claims width x height (no pixel data behind it).
std::string png_claiming(std::uint32_t width, std::uint32_t height) {
    std::string b("\x89PNG\r\n\x1a\n", 8);
    auto be32 = [&](std::uint32_t v) {
        for (int s = 24; s >= 0; s -= 8) b.push_back(char((v >> s) & 0xFF));
    };
    be32(13);
    b += "IHDR";
    be32(width);
    be32(height);
    b += std::string("\x08\x02\x00\x00\x00", 5);  // 8-bit RGB
    be32(0);                                      // CRC (stb does not check it)
    be32(0);
    b += "IEND";
    be32(0);
    return b;
}

}  // namespace

TEST_CASE("an RGB PNG decodes to three planes with the exact byte values", "[picture]") {
    const auto px = rgb_pixels(4, 3);
    const Picture p = decode_picture(png_bytes(4, 3, 3, px), "'a.png'");
    REQUIRE(p.width == 4);
    REQUIRE(p.height == 3);
    REQUIRE(p.channels == 3);
    for (int y = 0; y < 3; ++y)
        for (int x = 0; x < 4; ++x)
            for (int c = 0; c < 3; ++c) CHECK(p.at(c, y, x) == float(px[std::size_t((y * 4 + x) * 3 + c)]) / 255.0f);
}

TEST_CASE("a grey PNG and a grey+alpha PNG give one channel, RGBA gives three", "[picture]") {
    const std::vector<unsigned char> grey{0, 51, 102, 255};
    CHECK(decode_picture(png_bytes(2, 2, 1, grey), "'g.png'").channels == 1);
    CHECK(decode_picture(png_bytes(2, 1, 2, grey), "'ga.png'").channels == 1);
    CHECK(decode_picture(png_bytes(1, 1, 4, grey), "'rgba.png'").channels == 3);
    const Picture g = decode_picture(png_bytes(2, 2, 1, grey), "'g.png'");
    CHECK(g.at(0, 0, 1) == 51.0f / 255.0f);
    CHECK(g.at(0, 1, 1) == 1.0f);
}

TEST_CASE("BMP, JPEG, binary PGM/PPM and a GIF's first frame decode", "[picture]") {
    const auto px = rgb_pixels(8, 8);
    const Picture bmp = decode_picture(bmp_bytes(8, 8, px), "'a.bmp'");
    CHECK(bmp.channels == 3);
    CHECK(bmp.at(1, 2, 3) == float(px[(2 * 8 + 3) * 3 + 1]) / 255.0f);  // lossless

    const std::vector<unsigned char> flat(8 * 8 * 3, 200);
    const Picture jpg = decode_picture(jpg_bytes(8, 8, flat), "'a.jpg'");
    CHECK(jpg.width == 8);
    CHECK(jpg.at(0, 4, 4) == Approx(200.0 / 255.0).margin(3.0 / 255.0));  // lossy, but flat stays flat

    const Picture pgm = decode_picture(std::string("P5\n# a comment\n3 1\n255\n\x00\x80\xff", 26), "'a.pgm'");
    CHECK(pgm.channels == 1);
    CHECK(pgm.at(0, 0, 1) == 128.0f / 255.0f);
    const Picture ppm = decode_picture(std::string("P6 1 1 255\n\x10\x20\x30", 14), "'a.ppm'");
    CHECK(ppm.channels == 3);
    CHECK(ppm.at(2, 0, 0) == 48.0f / 255.0f);

    const Picture gif = decode_picture(tiny_gif(), "'a.gif'");
    REQUIRE(gif.width == 2);
    REQUIRE(gif.height == 1);
    CHECK(gif.at(0, 0, 0) == 1.0f);  // white
    CHECK(gif.at(0, 0, 1) == 0.0f);  // black
}

TEST_CASE("hostile picture files are refused with the file named and the rule", "[picture][hostile]") {
    struct Case {
        const char* what;
        std::string bytes;
        const char* message;
    };
    const auto px = rgb_pixels(16, 16);
    const std::string png = png_bytes(16, 16, 3, px), jpg = jpg_bytes(16, 16, px), bmp = bmp_bytes(16, 16, px);
    const Case c = GENERATE_COPY(values<Case>({
        {"empty", "", "'x' is empty, not a picture"},
        {"text", "hello, I am not a picture", "'x' is not a picture: expected PNG, JPEG, BMP, binary PGM/PPM (P5/P6) or GIF"},
        {"ascii PGM (stb reads binary only)", "P2\n1 1\n255\n0\n", "'x' is not a picture"},
        {"a PNG cut in half", png.substr(0, png.size() / 2), "'x' is a truncated PNG file (no IEND chunk)"},
        {"a JPEG cut in half", jpg.substr(0, jpg.size() / 2), "'x' is a truncated JPEG file (no end-of-image marker)"},
        {"a BMP cut in half", bmp.substr(0, bmp.size() / 2), "'x' is a truncated BMP file (its pixel rows are cut)"},
        {"a PPM with rows missing", std::string("P6 4 4 255\n") + std::string(20, 'a'), "'x' is a truncated PNM file"},
        {"a PGM with a broken header", "P5 x y\n", "'x' is not a readable PGM/PPM file"},
        {"a PNG claiming 100000x100000", png_claiming(100000, 100000), "more than the limit of 2^26"},
        {"a PNG claiming 4294967295 x 4294967295 (found by fuzzing: the product overflowed)", png_claiming(0xFFFFFFFFu, 0xFFFFFFFFu),
         "= 18446744065119617025 pixels, more than the limit of 2^26"},
        {"a PNG claiming 0 x 5", png_claiming(0, 5), "'x' has a zero size (0x5)"},
        {"a PNG with no pixel data", png_claiming(4, 4), "'x' is not a readable PNG file"},
        {"a BMP claiming 2^31-1 x 2^31-1 (found by fuzzing: the row arithmetic overflowed)",
         std::string("BM\x46\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0\xff\xff\xff\x7f\xff\xff\xff\x7f\x01\0\x18\0", 30) +
             std::string(24, '\0'),
         "'x' is a truncated BMP file"},
        {"a GIF header alone", "GIF89a\x02\x00\x01\x00", "'x' is a truncated GIF file (no image in it)"},
    }));
    INFO(c.what);
    REQUIRE_THROWS_AS(decode_picture(c.bytes, "'x'"), UserError);
    REQUIRE_THROWS_WITH(decode_picture(c.bytes, "'x'"), Catch::Contains(c.message));
}

TEST_CASE("a picture file that is missing is an error naming it", "[picture][hostile]") {
    REQUIRE_THROWS_WITH(read_picture("/nonexistent/cat.png"), Catch::Contains("/nonexistent/cat.png"));
}

TEST_CASE("area resizing averages exactly the source pixels each output pixel covers", "[picture]") {
    Picture p;
    p.width = 4;
    p.height = 2;
    p.channels = 1;
    p.data = {0.0f, 0.5f, 1.0f, 1.0f,  //
              0.5f, 1.0f, 0.0f, 0.0f};
    const Picture half = resize_area(p, 1, 2);
    REQUIRE(half.data.size() == 2);
    CHECK(half.data[0] == Approx(0.5));   // (0 + .5 + .5 + 1) / 4
    CHECK(half.data[1] == Approx(0.5));   // (1 + 1 + 0 + 0) / 4
    const Picture third = resize_area(p, 2, 3);  // each output column covers 4/3 source columns
    CHECK(third.data[0] == Approx((0.0 + 0.5 / 3.0) * 0.75));
    CHECK(third.width == 3);
}

TEST_CASE("a large picture is fitted to the largest side with a note, a small one is kept", "[picture]") {
    Picture p;
    p.width = 400;
    p.height = 200;
    p.channels = 3;
    p.name = "'big.png'";
    p.data.assign(400 * 200 * 3, 0.25f);
    std::string note;
    const Picture fitted = fit_picture(p, 100, &note);
    CHECK(fitted.width == 100);
    CHECK(fitted.height == 50);
    CHECK(fitted.at(2, 49, 99) == Approx(0.25));
    CHECK(note == "'big.png' (400x200) was scaled down to 100x50 (averaging the pixels each covers)");
    const Picture same = fit_picture(fitted, 100, &note);
    CHECK(same.width == 100);
    CHECK(note.empty());
}

TEST_CASE("channels convert to what the first layer takes, and say so", "[picture]") {
    Picture rgb;
    rgb.width = 1;
    rgb.height = 1;
    rgb.channels = 3;
    rgb.data = {1.0f, 0.5f, 0.0f};
    std::string note;
    const Tensor4 grey = picture_to_tensor(rgb, 1, &note);
    CHECK(grey(0, 0, 0, 0) == Approx(0.299 + 0.587 * 0.5));
    CHECK(note == "the RGB picture was converted to grey (Y = 0.299 R + 0.587 G + 0.114 B): the first layer takes 1 channel");
    const Tensor4 same = picture_to_tensor(rgb, 3, &note);
    CHECK(same(0, 1, 0, 0) == 0.5);
    CHECK(note.empty());

    Picture g = rgb;
    g.channels = 1;
    g.data = {0.75f};
    const Tensor4 three = picture_to_tensor(g, 3, &note);
    CHECK(three(0, 2, 0, 0) == 0.75);
    CHECK(note == "the grey picture was repeated into 3 channels: the first layer takes 3");
}

namespace {

/// A picture written to a fresh temporary file, removed at the end of the test.
struct TempPicture {
    std::string path;
    TempPicture(const std::string& name, const std::string& bytes) {
        path = (std::filesystem::temp_directory_path() / ("convscope-test-" + std::to_string(::getpid()) + "-" + name)).string();
        std::ofstream(path, std::ios::binary) << bytes;
    }
    ~TempPicture() { std::remove(path.c_str()); }
};

}  // namespace

TEST_CASE("a picture becomes the session's input: RGB into the seed's 3 channels, sizes from the picture", "[picture][session]") {
    const auto px = rgb_pixels(6, 4);
    const TempPicture file("rgb.png", png_bytes(6, 4, 3, px));
    Session s = session_from_preset("seed-dilated");
    const std::string note = use_picture(s, file.path);
    CHECK(note.empty());  // 3 channels into in_channels=3, small enough
    CHECK(s.input == InputPattern::Image);
    CHECK(s.input_shape == std::array<std::int64_t, 4>{1, 3, 4, 6});
    const Tensor4 x = make_input(s);
    CHECK(x(0, 2, 3, 5) == Approx(px[(3 * 6 + 5) * 3 + 2] / 255.0));
    CHECK(x(0, 0, 1, 2) == Approx(px[(1 * 6 + 2) * 3 + 0] / 255.0));

    // Saved and reopened: the path is saved and the picture read again.
    const Session t = session_from_json(session_to_json(s));
    REQUIRE(t.image);
    CHECK(t.image_path == file.path);
    CHECK(make_input(t)(0, 1, 2, 3) == x(0, 1, 2, 3));

    // The user changes the input size afterwards: the picture is resampled to it.
    s.input_shape = {1, 3, 2, 3};
    const Tensor4 half = make_input(s);
    CHECK(half(0, 0, 0, 0) == Approx((x(0, 0, 0, 0) + x(0, 0, 0, 1) + x(0, 0, 1, 0) + x(0, 0, 1, 1)) / 4).epsilon(1e-6));
}

TEST_CASE("a grey picture into a 3-channel layer, and a big one, are converted and said so", "[picture][session]") {
    std::vector<unsigned char> grey(300 * 200, 128);
    const TempPicture file("grey.png", png_bytes(300, 200, 1, grey));
    Session s = session_from_preset("seed-dilated");
    const std::string note = use_picture(s, file.path);
    CHECK(note == "'" + std::filesystem::path(file.path).filename().string() + "' (300x200) was scaled down to 128x85 (averaging the pixels each covers); "
                  "the grey picture was repeated into 3 channels: the first layer takes 3");
    CHECK(s.input_shape == std::array<std::int64_t, 4>{1, 3, 85, 128});
}

TEST_CASE("a session whose picture is gone or hostile is refused naming the file", "[picture][session][hostile]") {
    Session s = session_from_preset("seed-dilated");
    nlohmann::json j = session_to_json(s);
    j["input"] = "image";
    REQUIRE_THROWS_WITH(session_from_json(j), Catch::Contains("names no picture file"));
    j["image"] = "/nonexistent/cat.png";
    REQUIRE_THROWS_WITH(session_from_json(j), Catch::Contains("/nonexistent/cat.png"));
    const TempPicture junk("junk.png", "not a picture at all");
    j["image"] = junk.path;
    REQUIRE_THROWS_WITH(session_from_json(j), Catch::Contains("is not a picture"));
    j["image_max_side"] = 0;
    REQUIRE_THROWS_WITH(session_from_json(j), Catch::Contains("image_max_side 0 must be in 1..1024"));
    REQUIRE_THROWS_WITH(use_picture(s, junk.path), Catch::Contains(junk.path));
    CHECK(s.input == InputPattern::Random);  // the refused picture changed nothing
}

TEST_CASE("the code panel loads the opened picture by name at the size used, not torch.randn", "[picture][session][code]") {
    std::vector<unsigned char> grey(300 * 200, 128);
    const TempPicture file("it's grey.png", png_bytes(300, 200, 1, grey));
    Session s = session_from_preset("seed-dilated");
    CHECK(input_code(s) == std::vector<std::string>{"x = torch.randn(1, 3, 64, 64)"});
    use_picture(s, file.path);
    std::string quoted = "'";
    for (char c : file.path) quoted += c == '\'' ? std::string("\\'") : std::string(1, c);
    quoted += "'";
    CHECK(input_code(s) == std::vector<std::string>{
                               "from PIL import Image",
                               "import torch",
                               "import torch.nn.functional as F",
                               "import torchvision.transforms.functional as TF",
                               "img = Image.open(" + quoted + ").convert('L')",
                               "x = TF.to_tensor(img).unsqueeze(0)  # 1x1xHxW, values 0..1",
                               "# each cell the mean of the pixels it covers:",
                               "x = F.interpolate(x, size=(85, 128), mode='area')",
                               "x = x[:, torch.arange(3) % 1]  # channels repeated in turn",
                           });
    // An RGB picture into the 3 channels it has: no repeat line.
    const auto px = rgb_pixels(6, 4);
    const TempPicture rgb("rgb.png", png_bytes(6, 4, 3, px));
    use_picture(s, rgb.path);
    const std::vector<std::string> code = input_code(s);
    CHECK(code[4] == "img = Image.open('" + rgb.path + "').convert('RGB')");
    CHECK(code.back() == "x = F.interpolate(x, size=(4, 6), mode='area')");
}

TEST_CASE("the code panel makes each pattern input as it is, with its shape", "[session][code]") {
    Session s = session_from_preset("seed-dilated");
    s.input = InputPattern::Ones;
    CHECK(input_code(s) == std::vector<std::string>{"x = torch.ones(1, 3, 64, 64)"});
    s.input = InputPattern::Impulse;
    CHECK(input_code(s) == std::vector<std::string>{"x = torch.zeros(1, 3, 64, 64)", "x[..., 32, 32] = 1"});
    s.input = InputPattern::Checkerboard;
    CHECK(input_code(s) == std::vector<std::string>{"x = ((torch.arange(64)[:, None] + torch.arange(64)) % 2).double().expand(1, 3, 64, 64)"});
}
