#pragma once
/// \file files.hpp
/// Files that are complete or absent: everything ConvScope writes (sessions, figures,
/// animations) goes to a temporary name in the target's folder and is renamed over the
/// target only once it is whole, so a failed, cancelled or killed write leaves no half
/// file and never damages the previous version.
#include <string>

namespace convscope {

/// Refuses (UserError) a target that is an existing directory or whose folder does
/// not exist, before any work is done.
void check_writable_target(const std::string& path);

/// A temporary file next to `target`, renamed onto it by commit() and removed
/// otherwise (destructor). Move-only.
class AtomicFile {
public:
    explicit AtomicFile(const std::string& target);
    ~AtomicFile();
    AtomicFile(AtomicFile&& other) noexcept;
    AtomicFile& operator=(AtomicFile&&) = delete;
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    /// The temporary file's path (for a writer that opens it itself, such as ffmpeg).
    const std::string& temp_path() const { return temp_; }
    /// Append bytes; UserError on a full disk or any write failure.
    void write(const void* data, std::size_t size);
    /// Flush to disk and rename onto the target; UserError if that fails.
    void commit();

private:
    std::string target_, temp_;
    int fd_ = -1;
    bool committed_ = false;
};

/// write_file_atomically(path, bytes): AtomicFile, write, commit.
void write_file_atomically(const std::string& path, const std::string& bytes);

/// The whole file, refusing more than `max_bytes`.
std::string read_file(const std::string& path, std::size_t max_bytes);

/// Where the shipped assets are, first found: $CONVSCOPE_ASSETS, ../share/convscope/assets
/// next to the executable (an installed copy), the source tree's assets/ (set at build time,
/// for the build tree).
std::string asset_path(const std::string& name);

}  // namespace convscope
