#pragma once
// Small helpers shared by the test files: literal tensors, file listing, running the CLI.
#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "core/nn/conv.hpp"
#include "core/base/errors.hpp"

namespace convscope::test {

/// A tensor from a shape and row-major values (like torch.tensor(...).reshape(...)).
inline Tensor4 tensor(std::array<std::size_t, 4> shape, std::vector<double> values) {
    Tensor4 t = Tensor4::from_shape(shape);
    std::copy(values.begin(), values.end(), t.begin());
    return t;
}

/// Integer-valued random tensor in [-4, 4]: products and sums of these are exact in
/// float64, so any summation order gives bit-identical results.
/// Same shape and exactly the same values (xtensor's operator== does not mix with
/// Catch's expression decomposition).
inline bool equal(const Tensor4& a, const Tensor4& b) {
    return a.shape() == b.shape() && std::equal(a.begin(), a.end(), b.begin());
}

inline Tensor4 small_integers(std::array<std::size_t, 4> shape, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> dist(-4, 4);
    Tensor4 t = Tensor4::from_shape(shape);
    for (double& v : t) v = dist(rng);
    return t;
}

inline Tensor4 random_normal(std::array<std::size_t, 4> shape, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> dist;
    Tensor4 t = Tensor4::from_shape(shape);
    for (double& v : t) v = dist(rng);
    return t;
}

inline std::vector<std::string> files_in(const std::string& dir, const std::string& prefix = "") {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().extension() == ".json" && e.path().filename().string().rfind(prefix, 0) == 0)
            out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

struct RunResult {
    int status = -1;
    std::string out;  ///< stdout
    std::string err;  ///< stderr
};

/// Run the convscope executable with a shell-quoted argument string.
inline RunResult run_cli(const std::string& args, const std::string& env = "") {
    const std::string err_path = std::filesystem::temp_directory_path() / ("convscope_test_err_" + std::to_string(::getpid()));
    const std::string cmd = env + " " + std::string(CONVSCOPE_EXE) + " " + args + " 2>" + err_path;
    RunResult r;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return r;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (FILE* e = std::fopen(err_path.c_str(), "r")) {
        while ((n = std::fread(buf, 1, sizeof buf, e)) > 0) r.err.append(buf, n);
        std::fclose(e);
    }
    std::remove(err_path.c_str());
    return r;
}

/// A file a user might hand the command line, and what the refusal must say.
struct HostileFile {
    std::string name, text, message;
};

/// Each file given to `convscope SUBCOMMAND FILE` must be refused: exit 1..127 and one
/// stderr line "error: ..." containing the expected message.
inline void check_hostile_files(const std::string& subcommand, const std::vector<HostileFile>& cases) {
    const std::string dir = std::filesystem::temp_directory_path() / ("convscope_hostile_" + subcommand + "_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    for (const HostileFile& c : cases) {
        INFO(subcommand << " " << c.name);
        const std::string f = dir + "/" + c.name + ".json";
        {
            std::ofstream out(f);
            out << c.text;
        }
        const RunResult r = run_cli(subcommand + " '" + f + "'");
        CHECK(r.status >= 1);
        CHECK(r.status <= 127);
        CHECK_THAT(r.err, Catch::StartsWith("error: ") && Catch::Contains(c.message));
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    std::filesystem::remove_all(dir);
}

/// How many times `what` occurs in `text` (overlaps counted).
inline std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
    return n;
}

/// A file's bytes.
inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

inline std::string data_path(const std::string& rel) { return std::string(CONVSCOPE_TEST_DATA) + "/" + rel; }

}  // namespace convscope::test
