#include "app/logic/file_chooser.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace convscope::gui {

std::vector<std::string> zenity_arguments(const ChooserRequest& request) {
    std::vector<std::string> args = {"--file-selection", "--title=" + request.title};
    if (request.save) {
        args.push_back("--save");
        args.push_back("--confirm-overwrite");
    }
    if (!request.initial_path.empty()) args.push_back("--filename=" + request.initial_path);
    if (!request.filter_pattern.empty()) {
        args.push_back("--file-filter=" + request.filter_name + " | " + request.filter_pattern);
        args.push_back("--file-filter=All files | *");
    }
    return args;
}

std::string FileChooser::find_zenity() {
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        const std::size_t end = std::min(dirs.find(':', start), dirs.size());
        const std::string dir = dirs.substr(start, end - start);
        if (!dir.empty()) {
            const std::string candidate = dir + "/zenity";
            if (::access(candidate.c_str(), X_OK) == 0) return candidate;
        }
        start = end + 1;
    }
    return "";
}

bool FileChooser::start(const ChooserRequest& request) {
    if (running()) return false;
    const std::string zenity = find_zenity();
    if (zenity.empty()) return false;
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    std::vector<std::string> args = zenity_arguments(request);
    args.insert(args.begin(), zenity);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    // posix_spawn, not fork: the app has threads (exports, rebuilds).
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    pid_t pid = -1;
    const int status = ::posix_spawn(&pid, zenity.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (status != 0) {
        ::close(fds[0]);
        return false;
    }
    ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    pid_ = pid;
    out_fd_ = fds[0];
    output_.clear();
    return true;
}

void FileChooser::drain() {
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(out_fd_, buffer, sizeof buffer);
        if (n > 0 && output_.size() < (1u << 16)) output_.append(buffer, std::size_t(n));
        else if (n < 0 && errno == EINTR) continue;
        else if (n <= 0) break;
    }
}

std::optional<std::string> FileChooser::poll() {
    if (!running()) return std::nullopt;
    drain();
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return std::nullopt;
    drain();
    ::close(out_fd_);
    out_fd_ = -1;
    pid_ = -1;
    // zenity prints the path and a newline, and exits 0; 1 is Cancel.
    std::string path = output_;
    while (!path.empty() && (path.back() == '\n' || path.back() == '\r')) path.pop_back();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) path.clear();
    return path;
}

FileChooser::~FileChooser() {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    if (out_fd_ >= 0) ::close(out_fd_);
}

}  // namespace convscope::gui
