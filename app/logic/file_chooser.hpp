#pragma once
/// \file file_chooser.hpp
/// The desktop's file chooser, run as `zenity --file-selection` in a child process that
/// the frame loop polls (it never waits for it): the window keeps drawing while the
/// user browses. Without zenity the app falls back to its typed-path dialog.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace convscope::gui {

struct ChooserRequest {
    std::string title;           ///< the chooser window's title
    std::string initial_path;    ///< folder and file name it opens on
    bool save = false;           ///< a file to write (asks before overwriting) or to read
    std::string filter_name;     ///< e.g. "Sessions (*.json)"; empty: no filter
    std::string filter_pattern;  ///< e.g. "*.json"
};

/// The arguments given to zenity for `request` (without the program name).
std::vector<std::string> zenity_arguments(const ChooserRequest& request);

class FileChooser {
public:
    /// The zenity executable on $PATH, or empty.
    static std::string find_zenity();
    /// Start the chooser; false (and nothing started) when zenity is missing or cannot run.
    bool start(const ChooserRequest& request);
    /// True between start() and the poll() that returns its result.
    bool running() const { return pid_ > 0; }
    /// Non-blocking: once the chooser has ended, the path chosen ("" when cancelled);
    /// nothing while it is still open.
    std::optional<std::string> poll();
    /// A chooser still open is closed: the app never waits on it to quit.
    ~FileChooser();

    FileChooser() = default;
    FileChooser(const FileChooser&) = delete;
    FileChooser& operator=(const FileChooser&) = delete;

private:
    void drain();
    pid_t pid_ = -1;
    int out_fd_ = -1;  ///< the read end of the child's stdout
    std::string output_;
};

/// The one place a chooser lives while it is open, with what its answer is for (the
/// app's documents: open or save a session, a picture, an export's path; the deck
/// editor: open or save a deck). One chooser at a time in a slot.
template <typename Purpose>
class ChooserSlot {
public:
    /// A chooser is open (started, its answer not yet taken).
    explicit operator bool() const { return chooser_ != nullptr; }
    bool running() const { return chooser_ && chooser_->running(); }
    Purpose purpose() const { return purpose_; }
    /// Starts the desktop's chooser for `purpose`; false (the slot unchanged) when there
    /// is none or it cannot run.
    bool start(const ChooserRequest& request, Purpose purpose) {
        auto chooser = std::make_unique<FileChooser>();
        if (!chooser->start(request)) return false;
        chooser_ = std::move(chooser);
        purpose_ = purpose;
        return true;
    }
    /// Non-blocking: once the chooser has closed, the path chosen ("" when cancelled),
    /// and the slot is free again; nothing while it is open or when none was started.
    std::optional<std::string> take() {
        if (!chooser_) return std::nullopt;
        std::optional<std::string> path = chooser_->poll();
        if (path) chooser_.reset();
        return path;
    }
    /// Closes a chooser still open (the app quits without waiting on it).
    void reset() { chooser_.reset(); }

private:
    std::unique_ptr<FileChooser> chooser_;
    Purpose purpose_{};
};

}  // namespace convscope::gui
