#include "app/export/video.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

#include "core/base/errors.hpp"

extern char** environ;

namespace convscope::exporting {

std::string find_ffmpeg(const char* why) {
    if (const char* env = std::getenv("CONVSCOPE_FFMPEG"); env && *env) return env;
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        const std::string candidate = (dir.empty() ? std::string(".") : dir) + "/ffmpeg";
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    throw UserError(std::string(why) + " needs FFmpeg, which is not installed: apt-get install ffmpeg");
}

VideoEncoder::VideoEncoder(const std::string& path, bool gif, int width, int height, double fps)
    : frame_bytes_(std::size_t(width) * std::size_t(height) * 4) {
    const std::string ffmpeg = find_ffmpeg(gif ? "exporting a GIF" : "exporting an MP4");
    char log_template[] = "/tmp/convscope-ffmpeg-XXXXXX";
    const int log_fd = ::mkstemp(log_template);
    if (log_fd < 0) throw UserError(std::string("cannot create a log file for ffmpeg: ") + std::strerror(errno));
    log_path_ = log_template;

    char rate[32], size[32];
    std::snprintf(rate, sizeof rate, "%g", fps);
    std::snprintf(size, sizeof size, "%dx%d", width, height);
    std::vector<std::string> args = {ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                                     "-f", "rawvideo", "-pix_fmt", "bgra", "-s", size, "-r", rate, "-i", "pipe:0"};
    if (gif) {
        // One palette for the whole animation, no dithering: flat cells stay flat.
        args.insert(args.end(), {"-filter_complex",
                                 "split[a][b];[a]palettegen=max_colors=256:stats_mode=full[p];[b][p]paletteuse=dither=none",
                                 "-loop", "0", "-f", "gif", path});
    } else {
        args.insert(args.end(), {"-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "medium", "-crf", "18",
                                 "-movflags", "+faststart", "-f", "mp4", path});
    }
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        ::close(log_fd);
        throw UserError(std::string("cannot start ffmpeg: ") + std::strerror(errno));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[0], 0);
    posix_spawn_file_actions_adddup2(&actions, log_fd, 1);
    posix_spawn_file_actions_adddup2(&actions, log_fd, 2);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, ffmpeg.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[0]);
    ::close(log_fd);
    if (rc != 0) {
        ::close(fds[1]);
        throw UserError("cannot start ffmpeg (" + ffmpeg + "): " + std::strerror(rc));
    }
    pid_ = pid;
    pipe_fd_ = fds[1];
}

VideoEncoder::~VideoEncoder() {
    if (pipe_fd_ >= 0) ::close(pipe_fd_);
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    if (!log_path_.empty()) ::unlink(log_path_.c_str());
}

std::string VideoEncoder::ffmpeg_error() const {
    std::ifstream f(log_path_);
    std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    if (text.size() > 400) text = text.substr(text.size() - 400);
    return text.empty() ? "no message" : text;
}

void VideoEncoder::add_frame(const std::vector<std::uint8_t>& bgra) {
    if (bgra.size() != frame_bytes_) throw UserError("internal: frame size changed during an animation");
    // A dead ffmpeg must not kill us with SIGPIPE: write() then fails with EPIPE.
    struct sigaction ignore {}, old {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &old);
    const std::uint8_t* p = bgra.data();
    std::size_t left = bgra.size();
    while (left > 0) {
        const ssize_t n = ::write(pipe_fd_, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            ::sigaction(SIGPIPE, &old, nullptr);
            finish();  // collects ffmpeg's message and throws
            throw UserError("ffmpeg stopped reading frames");
        }
        p += n;
        left -= std::size_t(n);
    }
    ::sigaction(SIGPIPE, &old, nullptr);
}

void VideoEncoder::finish() {
    if (pipe_fd_ >= 0) {
        ::close(pipe_fd_);
        pipe_fd_ = -1;
    }
    if (pid_ <= 0) return;
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw UserError("ffmpeg failed: " + ffmpeg_error());
}

}  // namespace convscope::exporting
