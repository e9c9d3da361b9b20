#include "core/base/picture.hpp"

#include <stb_image.h>

#include <algorithm>
#include <filesystem>
#include <cctype>
#include <cmath>
#include <cstring>
#include <memory>

#include "core/base/errors.hpp"
#include "core/base/files.hpp"

namespace convscope {

using std::int64_t;

namespace {

const char* kSupported = "PNG, JPEG, BMP, binary PGM/PPM (P5/P6) or GIF";

bool starts_with(const std::string& s, const char* prefix, std::size_t n) {
    return s.size() >= n && std::memcmp(s.data(), prefix, n) == 0;
}

/// The format from the file's first bytes. stb_image would also try TGA, whose header
/// has no magic number, so any junk could pass for a TGA: only magic numbers count here.
std::string sniff_format(const std::string& b) {
    if (starts_with(b, "\x89PNG\r\n\x1a\n", 8)) return "PNG";
    if (starts_with(b, "\xFF\xD8\xFF", 3)) return "JPEG";
    if (starts_with(b, "BM", 2)) return "BMP";
    if (starts_with(b, "P5", 2) || starts_with(b, "P6", 2)) return "PNM";
    if (starts_with(b, "GIF87a", 6) || starts_with(b, "GIF89a", 6)) return "GIF";
    return "";
}

std::uint32_t le32(const std::string& b, std::size_t at) {
    return std::uint32_t(std::uint8_t(b[at])) | std::uint32_t(std::uint8_t(b[at + 1])) << 8 |
           std::uint32_t(std::uint8_t(b[at + 2])) << 16 | std::uint32_t(std::uint8_t(b[at + 3])) << 24;
}

/// Binary PNM: the byte count the header promises (header + width*height*samples), or
/// -1 when the header cannot be read. Tokens are separated by whitespace; '#' starts a
/// comment; exactly one whitespace byte follows the maximum value.
int64_t pnm_expected_bytes(const std::string& b) {
    std::size_t i = 2;
    int64_t values[3] = {0, 0, 0};
    for (int k = 0; k < 3; ++k) {
        for (;;) {  // skip whitespace and comments
            if (i >= b.size()) return -1;
            if (b[i] == '#') {
                while (i < b.size() && b[i] != '\n') ++i;
            } else if (std::isspace(static_cast<unsigned char>(b[i]))) {
                ++i;
            } else {
                break;
            }
        }
        if (!std::isdigit(static_cast<unsigned char>(b[i]))) return -1;
        int64_t v = 0;
        while (i < b.size() && std::isdigit(static_cast<unsigned char>(b[i]))) {
            v = v * 10 + (b[i] - '0');
            if (v > (int64_t{1} << 30)) return -1;
            ++i;
        }
        values[k] = v;
    }
    ++i;  // the single whitespace byte after the maximum value
    const int64_t samples = b[1] == '6' ? 3 : 1;
    const int64_t bytes_per_sample = values[2] > 255 ? 2 : 1;
    // Each value is below 2^30, so the product needs 128 bits; beyond int64 it cannot fit
    // in a file of at most 256 MiB anyway.
    const __int128 need = __int128(i) + __int128(values[0]) * values[1] * samples * bytes_per_sample;
    return need > __int128(INT64_MAX) ? INT64_MAX : int64_t(need);
}

std::uint32_t be16(const std::string& b, std::size_t at) {
    return std::uint32_t(std::uint8_t(b[at])) << 8 | std::uint32_t(std::uint8_t(b[at + 1]));
}

/// The width and height the header claims, read here because stbi_info gives up on
/// very large pictures with no reason a user could act on. {-1, -1}: not found.
std::pair<int64_t, int64_t> claimed_size(const std::string& b, const std::string& format) {
    if (format == "PNG" && b.size() >= 24)
        return {int64_t(be16(b, 16)) << 16 | be16(b, 18), int64_t(be16(b, 20)) << 16 | be16(b, 22)};
    if (format == "GIF" && b.size() >= 10)
        return {int64_t(std::uint8_t(b[6]) | std::uint8_t(b[7]) << 8), int64_t(std::uint8_t(b[8]) | std::uint8_t(b[9]) << 8)};
    if (format == "BMP" && b.size() >= 26)
        return {std::abs(int64_t(std::int32_t(le32(b, 18)))), std::abs(int64_t(std::int32_t(le32(b, 22))))};
    if (format == "JPEG") {
        // Walk the marker segments to the first start-of-frame (C0..CF except the
        // DHT C4, JPG C8 and DAC CC markers): height at +5, width at +7.
        std::size_t i = 2;
        while (i + 9 < b.size() && std::uint8_t(b[i]) == 0xFF) {
            const std::uint8_t m = std::uint8_t(b[i + 1]);
            if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC)
                return {int64_t(be16(b, i + 7)), int64_t(be16(b, i + 5))};
            i += 2 + be16(b, i + 2);
        }
    }
    return {-1, -1};
}

/// Refuse files stb_image would decode from bytes that are not there (it pads a short
/// JPEG, BMP or PNM with zeros, so a half-downloaded photo would load as half black).
void check_complete(const std::string& b, const std::string& format, const std::string& name) {
    auto truncated = [&](const std::string& why) {
        return UserError(name + " is a truncated " + format + " file (" + why + ")");
    };
    if (format == "PNG") {
        if (b.find("IEND") == std::string::npos) throw truncated("no IEND chunk");
    } else if (format == "JPEG") {
        // Entropy-coded data stuffs every 0xFF with a 0x00, so FF D9 after the first
        // start-of-scan (FF DA) can only be the end-of-image marker.
        const std::size_t sos = b.find("\xFF\xDA", 2);
        if (sos == std::string::npos || b.find("\xFF\xD9", sos + 2) == std::string::npos)
            throw truncated("no end-of-image marker");
    } else if (format == "BMP") {
        if (b.size() < 54) throw truncated("its header is cut");
        const std::uint32_t offset = le32(b, 10), header = le32(b, 14);
        if (header >= 40) {
            const int64_t width = std::int32_t(le32(b, 18)), height = std::int32_t(le32(b, 22));
            const int64_t bits = std::uint8_t(b[28]) | (std::uint8_t(b[29]) << 8);
            const std::uint32_t compression = le32(b, 30);
            // 128-bit: a hostile header's width * height must not overflow (found by fuzzing).
            if ((compression == 0 || compression == 3) && width > 0 && bits > 0) {
                const __int128 row = (__int128(bits) * width + 31) / 32 * 4;
                const __int128 need = __int128(offset) + row * std::abs(height);
                if (need > __int128(b.size())) throw truncated("its pixel rows are cut");
            }
        }
    } else if (format == "PNM") {
        const int64_t need = pnm_expected_bytes(b);
        if (need < 0) throw UserError(name + " is not a readable PGM/PPM file (its header is malformed)");
        if (need > int64_t(b.size())) throw truncated("its pixel rows are cut");
    } else if (format == "GIF") {
        if (b.find(',') == std::string::npos) throw truncated("no image in it");
    }
}

/// stb's pixels go back to stb's allocator.
void free_stb_pixels(unsigned char* p) { stbi_image_free(p); }

}  // namespace

PictureInfo probe_picture(const std::string& bytes, const std::string& name) {
    if (bytes.empty()) throw UserError(name + " is empty, not a picture");
    PictureInfo info;
    info.format = sniff_format(bytes);
    if (info.format.empty()) throw UserError(name + " is not a picture: expected " + kSupported);
    if (bytes.size() > kMaxPictureFileBytes)
        throw UserError(name + " is larger than " + std::to_string(kMaxPictureFileBytes >> 20) + " MiB");
    check_complete(bytes, info.format, name);
    const auto [claimed_w, claimed_h] = claimed_size(bytes, info.format);
    if (claimed_w == 0 || claimed_h == 0)
        throw UserError(name + " has a zero size (" + std::to_string(claimed_w) + "x" + std::to_string(claimed_h) + ")");
    // A PNG may claim 2^32-1 a side: the product needs more than 64 bits (found by fuzzing).
    const __int128 claimed_pixels = __int128(claimed_w) * claimed_h;
    if (claimed_w >= 0 && claimed_pixels > kMaxPicturePixels)
        throw UserError(name + " claims " + std::to_string(claimed_w) + "x" + std::to_string(claimed_h) + " = " +
                        std::to_string(static_cast<unsigned long long>(claimed_pixels)) +
                        " pixels, more than the limit of 2^26 (" + std::to_string(kMaxPicturePixels) + ")");
    int w = 0, h = 0, comp = 0;
    if (!stbi_info_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()), int(bytes.size()), &w, &h, &comp))
        throw UserError(name + " is not a readable " + info.format + " file (" +
                        (stbi_failure_reason() ? stbi_failure_reason() : "unknown reason") + ")");
    if (w <= 0 || h <= 0)
        throw UserError(name + " has a zero size (" + std::to_string(w) + "x" + std::to_string(h) + ")");
    info.width = w;
    info.height = h;
    info.channels_in_file = comp;
    if (info.width * info.height > kMaxPicturePixels)
        throw UserError(name + " claims " + std::to_string(w) + "x" + std::to_string(h) + " = " +
                        std::to_string(info.width * info.height) + " pixels, more than the limit of 2^26 (" +
                        std::to_string(kMaxPicturePixels) + ")");
    return info;
}

Picture decode_picture(const std::string& bytes, const std::string& name) {
    const PictureInfo info = probe_picture(bytes, name);
    const int wanted = info.channels_in_file <= 2 ? 1 : 3;
    int w = 0, h = 0, comp = 0;
    std::unique_ptr<unsigned char, decltype(&free_stb_pixels)> pixels(
        stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()), int(bytes.size()), &w, &h, &comp, wanted), &free_stb_pixels);
    if (!pixels)
        throw UserError(name + " is not a readable " + info.format + " file (" +
                        (stbi_failure_reason() ? stbi_failure_reason() : "unknown reason") + ")");
    if (w != info.width || h != info.height)  // the header said one thing, the data another
        throw UserError(name + " is inconsistent: its header says " + std::to_string(info.width) + "x" +
                        std::to_string(info.height) + ", its data " + std::to_string(w) + "x" + std::to_string(h));
    Picture p;
    p.width = w;
    p.height = h;
    p.channels = wanted;
    p.name = name;
    p.data.resize(std::size_t(wanted) * std::size_t(w) * std::size_t(h));
    const std::size_t plane = std::size_t(w) * std::size_t(h);
    for (std::size_t i = 0; i < plane; ++i)
        for (int c = 0; c < wanted; ++c) p.data[std::size_t(c) * plane + i] = float(pixels.get()[i * wanted + c]) / 255.0f;
    return p;
}

Picture read_picture(const std::string& path) {
    return decode_picture(read_file(path, kMaxPictureFileBytes), "'" + path + "'");
}

namespace {

/// Area-averaging weights of one axis: for each output index, the source indices it
/// covers and how much of each (fractions of a source pixel; they sum to in/out).
struct AxisWeights {
    std::vector<int64_t> first;           ///< per output: first source index
    std::vector<std::vector<float>> w;    ///< per output: weights from `first` on, normalised
};

AxisWeights area_weights(int64_t in, int64_t out) {
    AxisWeights a;
    a.first.resize(std::size_t(out));
    a.w.resize(std::size_t(out));
    const double scale = double(in) / double(out);
    for (int64_t o = 0; o < out; ++o) {
        const double lo = double(o) * scale, hi = double(o + 1) * scale;
        const int64_t i0 = int64_t(std::floor(lo));
        const int64_t i1 = std::min(in, int64_t(std::ceil(hi)));
        a.first[std::size_t(o)] = i0;
        for (int64_t i = i0; i < i1; ++i) {
            const double cover = std::min(hi, double(i + 1)) - std::max(lo, double(i));
            a.w[std::size_t(o)].push_back(float(cover / scale));
        }
    }
    return a;
}

}  // namespace

Picture resize_area(const Picture& p, int64_t height, int64_t width) {
    if (height <= 0 || width <= 0 || height * width > kMaxPicturePixels)
        throw UserError("a picture cannot be resized to " + std::to_string(height) + "x" + std::to_string(width));
    const AxisWeights wy = area_weights(p.height, height), wx = area_weights(p.width, width);
    Picture out;
    out.width = width;
    out.height = height;
    out.channels = p.channels;
    out.name = p.name;
    out.data.assign(std::size_t(p.channels * height * width), 0.0f);
    std::vector<float> rows(std::size_t(height * p.width));  // vertical pass of one channel
    for (int64_t c = 0; c < p.channels; ++c) {
        std::fill(rows.begin(), rows.end(), 0.0f);
        for (int64_t y = 0; y < height; ++y)
            for (std::size_t k = 0; k < wy.w[std::size_t(y)].size(); ++k) {
                const int64_t sy = wy.first[std::size_t(y)] + int64_t(k);
                const float weight = wy.w[std::size_t(y)][k];
                for (int64_t x = 0; x < p.width; ++x) rows[std::size_t(y * p.width + x)] += weight * p.at(c, sy, x);
            }
        for (int64_t y = 0; y < height; ++y)
            for (int64_t x = 0; x < width; ++x) {
                float sum = 0;
                for (std::size_t k = 0; k < wx.w[std::size_t(x)].size(); ++k)
                    sum += wx.w[std::size_t(x)][k] * rows[std::size_t(y * p.width + wx.first[std::size_t(x)] + int64_t(k))];
                out.data[std::size_t((c * height + y) * width + x)] = std::clamp(sum, 0.0f, 1.0f);
            }
    }
    return out;
}

Picture fit_picture(const Picture& p, int64_t max_side, std::string* note) {
    if (max_side < 1) throw UserError("the largest picture side must be at least 1, not " + std::to_string(max_side));
    if (note) note->clear();
    if (p.width <= max_side && p.height <= max_side) return p;
    const double scale = double(max_side) / double(std::max(p.width, p.height));
    const int64_t h = std::max<int64_t>(1, int64_t(std::lround(double(p.height) * scale)));
    const int64_t w = std::max<int64_t>(1, int64_t(std::lround(double(p.width) * scale)));
    if (note) {
        // The file's name without its folders: the note is printed on figures for slides.
        std::string name = p.name;
        if (name.size() >= 2 && name.front() == '\'' && name.back() == '\'')
            name = "'" + std::filesystem::path(name.substr(1, name.size() - 2)).filename().string() + "'";
        *note = name + " (" + std::to_string(p.width) + "x" + std::to_string(p.height) + ") was scaled down to " +
                std::to_string(w) + "x" + std::to_string(h) + " (averaging the pixels each covers)";
    }
    return resize_area(p, h, w);
}

Tensor4 picture_to_tensor(const Picture& p, int64_t channels, std::string* note) {
    if (channels < 1) throw UserError("a picture needs at least one input channel, not " + std::to_string(channels));
    Tensor4 t = make_tensor(1, channels, p.height, p.width, "the picture's tensor");
    if (note) note->clear();
    const bool to_grey = p.channels == 3 && channels == 1;
    for (int64_t c = 0; c < channels; ++c)
        for (int64_t y = 0; y < p.height; ++y)
            for (int64_t x = 0; x < p.width; ++x)
                t(0, c, y, x) = to_grey ? 0.299 * p.at(0, y, x) + 0.587 * p.at(1, y, x) + 0.114 * p.at(2, y, x)
                                        : double(p.at(c % p.channels, y, x));
    if (note && channels != p.channels) {
        const std::string kind = p.channels == 1 ? "grey" : "RGB";
        if (to_grey)
            *note = "the RGB picture was converted to grey (Y = 0.299 R + 0.587 G + 0.114 B): the first layer takes 1 channel";
        else if (p.channels == 1)
            *note = "the grey picture was repeated into " + std::to_string(channels) +
                    " channels: the first layer takes " + std::to_string(channels);
        else
            *note = "the " + kind + " picture's 3 channels were repeated in turn into " + std::to_string(channels) +
                    " channels: the first layer takes " + std::to_string(channels);
    }
    return t;
}

}  // namespace convscope
