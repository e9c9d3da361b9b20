#pragma once
/// \file export_job.hpp
/// An export running on its own thread so the window keeps drawing: the app polls
/// its progress, can cancel it, and reads the result when it has finished. The
/// thread owns copies of the session and request; nothing is shared but the
/// atomics in ExportProgress and the result, published by `finished`.
#include <atomic>
#include <string>
#include <thread>

#include "app/export/exporter.hpp"

namespace convscope::gui {

class ExportJob {
public:
    ExportJob(Session session, exporting::ExportRequest request);
    /// Cancels and waits: closing the window never leaves a half file.
    ~ExportJob();
    ExportJob(const ExportJob&) = delete;
    ExportJob& operator=(const ExportJob&) = delete;

    void cancel() { progress_.cancel = true; }
    bool finished() const { return finished_; }
    /// Fraction of frames drawn, 0..1.
    float fraction() const;
    /// After finished(): what happened, for the user ("wrote ..." or the error).
    const std::string& message() const { return message_; }
    bool failed() const { return failed_; }
    const std::string& path() const { return path_; }

private:
    exporting::ExportProgress progress_;
    std::atomic<bool> finished_{false};
    std::string message_, path_;
    bool failed_ = false;
    std::thread thread_;  // last: started once everything above exists
};

}  // namespace convscope::gui
