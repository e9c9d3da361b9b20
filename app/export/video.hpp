#pragma once
/// \file video.hpp
/// Animated GIF and H.264 MP4 by the `ffmpeg` executable: raw BGRA frames are piped to
/// its standard input and it writes the file. GIF uses one palette computed from all
/// frames and no dithering, so flat cells stay flat and the colour map stays honest.
#include <cstdint>
#include <string>
#include <vector>

namespace convscope::exporting {

/// The ffmpeg executable on PATH, or UserError naming the package to install.
std::string find_ffmpeg(const char* why);

class VideoEncoder {
public:
    /// Starts ffmpeg writing `path` (a temporary file; the caller renames it).
    VideoEncoder(const std::string& path, bool gif, int width, int height, double fps);
    ~VideoEncoder();
    VideoEncoder(const VideoEncoder&) = delete;
    VideoEncoder& operator=(const VideoEncoder&) = delete;

    void add_frame(const std::vector<std::uint8_t>& bgra);
    /// Close the pipe and wait; UserError with ffmpeg's message if it failed.
    void finish();

private:
    int pid_ = -1;
    int pipe_fd_ = -1;
    std::string log_path_;
    std::size_t frame_bytes_ = 0;
    std::string ffmpeg_error() const;
};

}  // namespace convscope::exporting
