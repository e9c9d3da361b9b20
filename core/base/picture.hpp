#pragma once
/// \file picture.hpp
/// Real pictures as convolution inputs: PNG, JPEG, BMP, PGM/PPM (binary) and a GIF's
/// first frame, decoded by stb_image (Debian's libstb). A picture file comes from a
/// user and is hostile until read: its header is inspected (stbi_info) and its size
/// refused before any pixel memory is allocated, and files that stb would decode from
/// missing bytes (a truncated JPEG, BMP or PNM is silently padded with zeros) are
/// refused by checking their length first.
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/tensor.hpp"

namespace convscope {

/// Most pixels a picture may claim (width * height), checked before decoding.
inline constexpr std::int64_t kMaxPicturePixels = std::int64_t{1} << 26;
/// Largest picture file read.
inline constexpr std::size_t kMaxPictureFileBytes = std::size_t{256} << 20;

/// A decoded picture: 1 channel (grey) or 3 (RGB), planar (channel-major, then rows),
/// values in [0, 1].
struct Picture {
    std::int64_t width = 0, height = 0, channels = 0;
    std::vector<float> data;  ///< channels * height * width
    std::string name;         ///< where it came from, for messages ("'cat.png'")

    float at(std::int64_t c, std::int64_t y, std::int64_t x) const {
        return data[std::size_t((c * height + y) * width + x)];
    }
};

/// What the header says, before anything is decoded.
struct PictureInfo {
    std::int64_t width = 0, height = 0;
    std::int64_t channels_in_file = 0;  ///< 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA
    std::string format;                 ///< "PNG", "JPEG", "BMP", "PNM", "GIF"
};

/// Inspect the bytes of a picture file; UserError naming `name` when it is not a
/// picture of a supported format, is truncated, has a zero side or claims more than
/// kMaxPicturePixels.
PictureInfo probe_picture(const std::string& bytes, const std::string& name);
/// probe_picture, then decode: grey and grey+alpha give 1 channel, RGB and RGBA give 3
/// (alpha dropped).
Picture decode_picture(const std::string& bytes, const std::string& name);
/// Read a file (refusing more than kMaxPictureFileBytes) and decode it.
Picture read_picture(const std::string& path);

/// The picture scaled down (area average) so that neither side exceeds `max_side`,
/// keeping its aspect ratio; unchanged when it already fits. `note` (if given) says what
/// was done, for the user.
Picture fit_picture(const Picture& picture, std::int64_t max_side, std::string* note = nullptr);
/// The picture resampled to exactly height x width by area averaging (each output
/// pixel the mean of the source area it covers, fractional edges weighted).
Picture resize_area(const Picture& picture, std::int64_t height, std::int64_t width);

/// The picture as a 1 x channels x H x W tensor. A grey picture into 3 channels repeats
/// the grey; an RGB picture into 1 channel takes the luma Y = 0.299 R + 0.587 G +
/// 0.114 B (ITU-R BT.601, as PIL's convert("L")); any other count repeats the
/// picture's channels in turn. `note` says which conversion was made (empty: none).
Tensor4 picture_to_tensor(const Picture& picture, std::int64_t channels, std::string* note = nullptr);

}  // namespace convscope
