#include "core/base/files.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <cstdlib>
#include <filesystem>
#include <vector>
#include <fstream>
#include <unistd.h>

#include "core/base/errors.hpp"

namespace convscope {

namespace fs = std::filesystem;

void check_writable_target(const std::string& path) {
    if (path.empty()) throw UserError("the output path is empty");
    std::error_code ec;
    if (fs::is_directory(path, ec)) throw UserError("'" + path + "' is a directory; give a file name to write");
    const fs::path parent = fs::path(path).parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec))
        throw UserError("cannot write '" + path + "': the folder '" + parent.string() + "' does not exist");
}

AtomicFile::AtomicFile(const std::string& target) : target_(target) {
    check_writable_target(target);
    const fs::path t(target);
    const fs::path dir = t.parent_path().empty() ? fs::path(".") : t.parent_path();
    // Hidden, in the same folder (so rename is atomic), keeping the extension last
    // would confuse tools that look at it; ffmpeg is told the format explicitly.
    std::string pattern = (dir / ("." + t.filename().string() + ".tmp-XXXXXX")).string();
    fd_ = ::mkstemp(pattern.data());
    if (fd_ < 0) throw UserError("cannot write '" + target + "': " + std::strerror(errno));
    temp_ = pattern;
}

AtomicFile::AtomicFile(AtomicFile&& o) noexcept
    : target_(std::move(o.target_)), temp_(std::move(o.temp_)), fd_(o.fd_), committed_(o.committed_) {
    o.fd_ = -1;
    o.committed_ = true;  // the moved-from object owns nothing to clean up
}

AtomicFile::~AtomicFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

void AtomicFile::write(const void* data, std::size_t size) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd_, p, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw UserError("cannot write '" + target_ + "': " + std::strerror(errno));
        }
        p += n;
        size -= std::size_t(n);
    }
}

void AtomicFile::commit() {
    if (::fsync(fd_) != 0 && errno != EINVAL)
        throw UserError("cannot write '" + target_ + "': " + std::strerror(errno));
    if (::close(fd_) != 0) {
        fd_ = -1;
        throw UserError("cannot write '" + target_ + "': " + std::strerror(errno));
    }
    fd_ = -1;
    // mkstemp makes the file 0600; a figure or session is an ordinary document.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::chmod(temp_.c_str(), 0666 & ~mask);
    if (std::rename(temp_.c_str(), target_.c_str()) != 0)
        throw UserError("cannot write '" + target_ + "': " + std::strerror(errno));
    committed_ = true;
}

void write_file_atomically(const std::string& path, const std::string& bytes) {
    AtomicFile f(path);
    f.write(bytes.data(), bytes.size());
    f.commit();
}

std::string read_file(const std::string& path, std::size_t max_bytes) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) throw UserError("'" + path + "' is a directory, not a file");
    std::ifstream f(path, std::ios::binary);
    if (!f) throw UserError("cannot open '" + path + "' for reading");
    f.seekg(0, std::ios::end);
    const std::streamoff size = f.tellg();
    if (size < 0) throw UserError("cannot read '" + path + "'");
    if (std::size_t(size) > max_bytes)
        throw UserError("'" + path + "' is " + std::to_string(size) + " bytes, above the limit of " +
                        std::to_string(max_bytes) + " bytes");
    f.seekg(0);
    std::string text(static_cast<std::size_t>(size), '\0');
    if (size > 0 && !f.read(text.data(), size)) throw UserError("cannot read '" + path + "'");
    return text;
}

std::string asset_path(const std::string& name) {
    namespace fs = std::filesystem;
    std::vector<fs::path> dirs;
    if (const char* env = std::getenv("CONVSCOPE_ASSETS")) dirs.emplace_back(env);
    // An installed or unpacked copy (bin/convscope beside share/convscope/assets) reads its
    // own assets before the build machine's source tree, which may hold other versions;
    // a build-tree executable has no share/ beside it and falls through to the source tree.
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) dirs.push_back(exe.parent_path().parent_path() / "share" / "convscope" / "assets");
#ifdef CONVSCOPE_ASSET_DIR
    dirs.emplace_back(CONVSCOPE_ASSET_DIR);
#endif
    for (const fs::path& d : dirs)
        if (fs::exists(d / name, ec)) return (d / name).string();
    throw UserError("the asset '" + name + "' is missing (looked in $CONVSCOPE_ASSETS, ../share/convscope/assets "
                    "next to the executable and the source tree's assets/)");
}

}  // namespace convscope
