#include "app/logic/export_job.hpp"

#include <new>

#include "core/base/errors.hpp"

namespace convscope::gui {

ExportJob::ExportJob(Session session, exporting::ExportRequest request)
    : thread_([this, session = std::move(session), request = std::move(request)] {
          try {
              const exporting::ExportResult r = exporting::run_export(session, request, &progress_);
              path_ = r.path;
              message_ = "wrote " + r.path + " (" + std::to_string(r.frames) + (r.frames == 1 ? " frame, " : " frames, ") +
                         std::to_string(r.width) + "x" + std::to_string(r.height) + ")";
          } catch (const UserError& e) {
              failed_ = true;
              message_ = e.what();
          } catch (const std::bad_alloc&) {
              failed_ = true;
              message_ = "out of memory";
          } catch (const std::exception& e) {
              failed_ = true;
              message_ = e.what();
          }
          finished_ = true;  // publishes message_/path_/failed_ to the UI thread
      }) {}

ExportJob::~ExportJob() {
    cancel();
    if (thread_.joinable()) thread_.join();
}

float ExportJob::fraction() const {
    const auto total = progress_.total.load();
    return total > 0 ? float(progress_.done.load()) / float(total) : 0.0f;
}

}  // namespace convscope::gui
