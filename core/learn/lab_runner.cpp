// The lab trained on a worker thread while the UI reads the last published snapshot.
#include "core/learn/lab.hpp"

#include <algorithm>
#include <chrono>
#include <new>
#include <stdexcept>

#if defined(__linux__)
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "core/base/errors.hpp"

namespace convscope {

namespace {

/// The exception being handled, in words (inside a catch block only).
std::string describe_current_exception() {
    try {
        throw;
    } catch (const UserError& e) {
        return e.what();
    } catch (const std::bad_alloc&) {
        return "out of memory while training: a smaller picture or model needs less";
    } catch (const std::exception& e) {
        return std::string("training stopped: ") + e.what();
    } catch (...) {
        return "training stopped by an unknown error";
    }
}

}  // namespace

// --- the worker --------------------------------------------------------------------------

LabRunner::LabRunner(std::unique_ptr<Lab> lab) : lab_(std::move(lab)) {
    snapshot_ = std::make_shared<const LabSnapshot>(lab_->snapshot());
    worker_ = std::thread([this] { run(); });
}

LabRunner::~LabRunner() {
    // quit_ is atomic and set without the lock: a worker busy stepping sees it after the
    // step under way, instead of this thread waiting for a free moment of the lock.
    quit_ = true;
    {
        std::lock_guard<std::mutex> lock(mutex_);  // a worker about to wait sees quit_ first
    }
    wake_.notify_all();
    worker_.join();
}

void LabRunner::play() {
    {
        std::lock_guard<std::mutex> published(published_mutex_);
        error_.clear();
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_at_ = -1;
        playing_ = true;
    }
    wake_.notify_all();
}

void LabRunner::play_until(std::int64_t step) {
    {
        std::lock_guard<std::mutex> published(published_mutex_);
        error_.clear();
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_at_ = step;
        playing_ = lab_->steps_done() < step;
    }
    wake_.notify_all();
}

void LabRunner::pause() { playing_ = false; }

void LabRunner::step_once() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        playing_ = false;
        ++pending_steps_;
    }
    wake_.notify_all();
}

void LabRunner::replace(std::unique_ptr<Lab> lab) {
    auto first = std::make_shared<const LabSnapshot>(lab->snapshot());
    std::lock_guard<std::mutex> lock(mutex_);  // waits for the step under way, if any
    lab_ = std::move(lab);
    pending_steps_ = 0;
    std::lock_guard<std::mutex> published(published_mutex_);
    snapshot_ = std::move(first);
    error_.clear();
}

LabSave LabRunner::save() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lab_->save();
}

void LabRunner::set_optimizer(const OptimizerSettings& optimizer) {
    std::lock_guard<std::mutex> lock(mutex_);
    lab_->set_optimizer(optimizer);
}

std::shared_ptr<const LabSnapshot> LabRunner::snapshot() const {
    std::lock_guard<std::mutex> published(published_mutex_);
    return snapshot_;
}

std::string LabRunner::error() const {
    std::lock_guard<std::mutex> published(published_mutex_);
    return error_;
}

void LabRunner::stop_with(const std::string& message) {
    // Called by the worker with mutex_ held.
    playing_ = false;
    pending_steps_ = 0;
    std::lock_guard<std::mutex> published(published_mutex_);
    error_ = message;
}

void LabRunner::run() {
#if defined(__linux__)
    // The UI thread draws while this one trains, on as few as two cores (and a software
    // rasterizer's threads): nice +5 for this thread only, so a frame gets a core first
    // when both want one, while training still takes every core the UI leaves idle.
    setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 5);
    pthread_setname_np(pthread_self(), "lab-training");  // so top and perf tell it from the window's thread
#endif
    using clock = std::chrono::steady_clock;
    auto window_start = clock::now();
    std::int64_t window_steps = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return quit_ || playing_ || pending_steps_ > 0; });
        if (quit_) return;
        // The lab is stepped under its lock, which only the UI's actions (reset, a new
        // optimizer, save) wait for; drawing reads the published snapshot under its own
        // lock, held only to copy a pointer, so a frame never waits for a step.
        const auto step_start = clock::now();
        try {
            lab_->step();
            if (pending_steps_ > 0) --pending_steps_;
            ++window_steps;
            // Every model diverged: nothing left to train (Reset brings them back).
            if (lab_->all_diverged()) {
                playing_ = false;
                pending_steps_ = 0;
            }
            if (stop_at_ >= 0 && lab_->steps_done() >= stop_at_) playing_ = false;
            if (lab_->steps_done() % lab_->settings().snapshot_every == 0 || !playing_) {
                auto snap = std::make_shared<const LabSnapshot>(lab_->snapshot());
                std::lock_guard<std::mutex> published(published_mutex_);
                snapshot_ = std::move(snap);
            }
        } catch (...) {
            // Anything a step throws (a refusal, no memory, a bug) stops training and is
            // reported; an exception escaping this thread would end the whole app.
            stop_with(describe_current_exception());
        }
        const double seconds = std::chrono::duration<double>(clock::now() - window_start).count();
        if (seconds >= 1.0) {
            rate_ = playing_ ? double(window_steps) / seconds : 0.0;
            window_steps = 0;
            window_start = clock::now();
        }
        if (quit_) return;
        // Let the UI thread take the lock between steps (a std::mutex is not fair, and
        // yield() returns before the woken UI thread runs: under a sanitizer a Save at quit
        // waited seconds for it), and leave the UI half of the core this thread would
        // take: rest as long as the step took. On two cores the window's frame and the
        // rasterizer's threads need both; the lab still makes about 50 steps a second with
        // its snapshots (the bare steps: `convscope bench --case lab_upsampling_step`).
        const auto rest = std::max<clock::duration>(std::chrono::microseconds(100), clock::now() - step_start);
        lock.unlock();
        std::this_thread::sleep_for(rest);
        lock.lock();
    }
}

}  // namespace convscope
