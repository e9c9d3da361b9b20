// Training: PyTorch's reference runs, torch.optim's update rules, PyTorch's default
// initialisation, a loss that falls, a step that allocates nothing, and `convscope
// train` with what a user can get wrong.
#include <catch2/catch.hpp>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <new>

#include <nlohmann/json.hpp>

#include "core/io/json_io.hpp"
#include "core/learn/train.hpp"
#include "helpers.hpp"

using namespace convscope;
using convscope::test::data_path;
using convscope::test::run_cli;

// Every allocation of the test program goes through here, so that a test can count
// those of one training step. Not under AddressSanitizer, whose own operator new the
// runtime keeps for some allocations (a free() of those is reported as a mismatch):
// there the test checks the training step runs and counts nothing.
#if defined(__SANITIZE_ADDRESS__)
#define CONVSCOPE_COUNTS_ALLOCATIONS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define CONVSCOPE_COUNTS_ALLOCATIONS 0  // ThreadSanitizer defines operator new itself
#endif
#endif
#ifndef CONVSCOPE_COUNTS_ALLOCATIONS
#define CONVSCOPE_COUNTS_ALLOCATIONS 1
#endif
namespace {
std::atomic<long> g_allocations{0};
}
#if CONVSCOPE_COUNTS_ALLOCATIONS
void* operator new(std::size_t n) {
    ++g_allocations;
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#endif

namespace {

double relative(double a, double b) { return std::fabs(a - b) / std::max(1.0, std::fabs(b)); }

double worst_relative(const double* a, const double* b, std::size_t n) {
    double worst = 0;
    for (std::size_t i = 0; i < n; ++i) worst = std::max(worst, relative(a[i], b[i]));
    return worst;
}

}  // namespace

TEST_CASE("every reference training run gives PyTorch's losses, parameters and output to 1e-8", "[golden][train]") {
    const auto files = test::files_in(data_path("golden/learn/train"));
    REQUIRE(files.size() >= 8);
    for (const std::string& f : files) {
        const nlohmann::json j = read_json_file(f);
        DYNAMIC_SECTION(f) {
            const TrainResult r = train(train_run_from_json(j));
            const auto& losses = j.at("expected_losses");
            REQUIRE(r.losses.size() == losses.size());
            for (std::size_t k = 0; k < losses.size(); ++k) {
                INFO("loss " << k);
                CHECK(relative(r.losses[k], losses[k].get<double>()) <= 1e-8);
            }
            const auto& params = j.at("expected_parameters");
            REQUIRE(r.parameters.size() == params.size());
            for (std::size_t p = 0; p < params.size(); ++p) {
                const Tensor4 w = tensor_from_json(params[p].at("weight"), "weight");
                REQUIRE(shape_of(w) == shape_of(r.parameters[p].weight));
                CHECK(worst_relative(r.parameters[p].weight.data(), w.data(), w.size()) <= 1e-8);
                REQUIRE(r.parameters[p].has_bias == !params[p].at("bias").is_null());
                if (r.parameters[p].has_bias) {
                    const Tensor1 b = vector_from_json(params[p].at("bias"), "bias");
                    CHECK(worst_relative(r.parameters[p].bias.data(), b.data(), b.size()) <= 1e-8);
                }
            }
            const Tensor4 out = tensor_from_json(j.at("expected_output"), "expected_output");
            REQUIRE(shape_of(out) == shape_of(r.output));
            CHECK(worst_relative(r.output.data(), out.data(), out.size()) <= 1e-8);
        }
    }
}

TEST_CASE("the optimizers follow torch.optim's update rules", "[train][optim]") {
    struct Case {
        const char* what;
        OptimizerSettings settings;
        std::vector<double> expected;  // torch.optim, PyTorch 1.13, after 5 steps
    };
    auto sgd = [](double lr, double momentum, double dampening, bool nesterov, double wd) {
        OptimizerSettings s;
        s.kind = OptimizerSettings::Kind::Sgd;
        s.lr = lr;
        s.momentum = momentum;
        s.dampening = dampening;
        s.nesterov = nesterov;
        s.weight_decay = wd;
        return s;
    };
    OptimizerSettings adam;
    adam.lr = 0.01;
    adam.beta1 = 0.8;
    adam.beta2 = 0.99;
    adam.eps = 1e-6;
    adam.weight_decay = 0.05;
    const Case c = GENERATE_COPY(values<Case>({
        {"SGD, Nesterov momentum and weight decay", sgd(0.1, 0.9, 0, true, 0.01),
         {0.5491128266238288, -1.6312517483330158, 0.22496954064024496, 0.0}},
        {"SGD with dampening", sgd(0.1, 0.5, 0.3, false, 0), {0.840625, -1.8755, 0.39786249999999995, 0.0}},
        {"plain SGD with weight decay", sgd(0.2, 0, 0, false, 0.1),
         {0.6118017535999999, -1.6156831872, 0.3224745488, 0.0}},
        {"Adam with weight decay", adam, {0.9494240340906055, -1.9500148159484432, 0.45645922282132245, 0.0}},
    }));
    INFO(c.what);
    Optimizer opt(c.settings);
    std::vector<double> p = {1.0, -2.0, 0.5, 0.0};
    for (int t = 1; t <= 5; ++t) {
        const std::vector<double> g = {0.1 * t, -0.2, 0.3 / t, 0.0};
        opt.begin_step();
        opt.update(0, p.data(), g.data(), p.size());
    }
    CHECK(worst_relative(p.data(), c.expected.data(), p.size()) <= 1e-15);
}

TEST_CASE("L1's gradient is the sign over the count, with sign(0) = 0 as in PyTorch", "[train][loss]") {
    const Tensor4 y = test::tensor({1, 1, 1, 4}, {1, 2, 3, 4});
    const Tensor4 t = test::tensor({1, 1, 1, 4}, {0, 2, 5, 4});
    Tensor4 g;
    CHECK(loss_and_grad(LossKind::L1, y, t, g) == 0.75);
    CHECK(test::equal(g, test::tensor({1, 1, 1, 4}, {0.25, 0, -0.25, 0})));
    CHECK(loss_and_grad(LossKind::Mse, y, t, g) == 1.25);
    CHECK(test::equal(g, test::tensor({1, 1, 1, 4}, {0.5, 0, -1, 0})));
}

TEST_CASE("default initialisation gives torch.manual_seed's weights bit for bit", "[train][init]") {
    std::mt19937 gen(7);
    Layer up;
    up.kind = LayerKind::ConvTranspose2d;
    up.in_channels = 4;
    up.out_channels = 6;
    up.groups = 2;
    // torch.manual_seed(7); nn.ConvTranspose2d(4, 6, 3, groups=2): fan_in = 3 * 3 * 3
    const ConvWeights w = default_parameters(up, gen);
    REQUIRE(shape_of(w.weight) == std::vector<std::int64_t>{4, 3, 3, 3});
    CHECK(w.weight.data()[0] == -0.0849165121213581);
    CHECK(w.weight.data()[1] == -0.08710533022830508);
    CHECK(w.weight.data()[2] == 0.13936964583075656);
    const std::vector<double> bias = {0.04981795968434421, 0.07158815177922433, 0.0011434101425541149,
                                      0.06273238572689026, 0.1437531585212664,  0.0825633459065232};
    CHECK(std::vector<double>(w.bias.begin(), w.bias.end()) == bias);

    // torch.manual_seed(3); nn.Sequential(nn.Conv2d(2, 3, 3), nn.ConvTranspose2d(3, 1, 2, bias=False), nn.Conv2d(1, 1, 1))
    Layer a;
    a.in_channels = 2;
    a.out_channels = 3;
    Layer b;
    b.kind = LayerKind::ConvTranspose2d;
    b.in_channels = 3;
    b.kernel = {2, 2};
    b.bias = false;
    Layer c;
    c.kernel = {1, 1};
    const auto params = default_parameters(std::vector<Layer>{a, b, c}, 3);
    REQUIRE(params.size() == 3);
    CHECK(params[0].weight.data()[53] == 0.06870491356179127);
    CHECK(params[1].weight.data()[0] == -0.16373612531081425);
    CHECK(params[1].weight.data()[1] == -0.141695113963016);
    CHECK_FALSE(params[1].has_bias);
    CHECK(params[2].weight.data()[0] == -0.5270890987150761);
    CHECK(params[2].bias(0) == -0.708119885973165);
}

TEST_CASE("training the checkerboard up-convolution lowers its loss", "[train]") {
    TrainRun run = train_run_from_json(read_json_file(data_path("golden/learn/train/s11_checkerboard_k3s2.json")));
    run.steps = 100;
    const TrainResult r = train(run);
    CHECK(r.losses[50] < r.losses.front());
    CHECK(r.losses.back() < 0.8 * r.losses.front());
}

TEST_CASE("a training step of convolutions and activations allocates nothing after the first", "[train][memory]") {
    for (const char* name : {"s11_seed_combined", "s11_grouped_dilated_tanh", "s11_checkerboard_k3s2", "s11_even_k4s2"}) {
        const nlohmann::json j = read_json_file(data_path("golden/learn/train/" + std::string(name) + ".json"));
        DYNAMIC_SECTION(name) {
            TrainRun run = train_run_from_json(j);
            Trainer trainer(run.layers, run.parameters, run.input, run.target, run.loss, run.optimizer);
            trainer.step();
            const long before = g_allocations.load();
            for (int k = 0; k < 5; ++k) trainer.step();
            if (CONVSCOPE_COUNTS_ALLOCATIONS) CHECK(g_allocations.load() - before == 0);
        }
    }
}

TEST_CASE("train prints PyTorch's losses for a reference run", "[cli][train]") {
    const std::string f = data_path("golden/learn/train/s11_even_k4s2.json");
    const auto r = run_cli("train '" + f + "'");
    REQUIRE(r.status == 0);
    CHECK(r.err.empty());  // no progress line when stderr is not a terminal
    const auto out = nlohmann::json::parse(r.out);
    std::ifstream in(f);
    const auto golden = nlohmann::json::parse(in);
    REQUIRE(out["losses"].size() == golden["expected_losses"].size());
    for (std::size_t k = 0; k < out["losses"].size(); ++k)
        CHECK(relative(out["losses"][k].get<double>(), golden["expected_losses"][k].get<double>()) <= 1e-8);
    CHECK(out["output"]["shape"] == golden["expected_output"]["shape"]);
    CHECK(out["parameters"][0]["weight"]["shape"] == golden["expected_parameters"][0]["weight"]["shape"]);
    const auto help = run_cli("train --help");
    CHECK(help.status == 0);
    CHECK_THAT(help.out, Catch::Contains("optimizer"));
}

TEST_CASE("a run whose loss blows up ends with the divergence error", "[cli][train][errors]") {
    nlohmann::json run = read_json_file(data_path("golden/learn/train/s11_even_k4s2.json"));
    run["optimizer"]["lr"] = 1e200;
    run["steps"] = 200;
    test::check_hostile_files("train", {{"diverges", run.dump(), "training diverged at step "}});
    run["steps"] = 3;
    const auto r = [&] {
        const std::string path = std::filesystem::temp_directory_path() / "convscope_train_diverge.json";
        std::ofstream(path) << run.dump();
        auto res = run_cli("train '" + path + "'");
        std::filesystem::remove(path);
        return res;
    }();
    CHECK(r.status == 1);
    CHECK(r.err == "error: training diverged at step 2 (loss inf): lower the learning rate\n");
}

TEST_CASE("hostile training runs are refused with an error naming the field", "[cli][train][errors]") {
    nlohmann::json good = read_json_file(data_path("golden/learn/train/s11_even_k4s2.json"));
    for (const char* k : {"expected_losses", "expected_parameters", "expected_output"}) good.erase(k);
    auto with = [&](const std::string& key, const nlohmann::json& v) {
        nlohmann::json j = good;
        j[key] = v;
        return j.dump();
    };
    auto without = [&](const std::string& key) {
        nlohmann::json j = good;
        j.erase(key);
        return j.dump();
    };
    nlohmann::json wrong_weight = good;
    wrong_weight["parameters"][0]["weight"]["shape"] = {1, 1, 3, 3};
    wrong_weight["parameters"][0]["weight"]["data"] = std::vector<double>(9, 0.0);
    nlohmann::json short_target = good;
    short_target["target"]["shape"] = {1, 1, 10, 10};
    short_target["target"]["data"] = std::vector<double>(100, 0.0);
    nlohmann::json string_lr = good;
    string_lr["optimizer"]["lr"] = "0.1";
    nlohmann::json nan_lr = good;
    nan_lr["optimizer"]["lr"] = nullptr;
    nan_lr["optimizer"]["name"] = "sgd";
    nlohmann::json unknown_opt = good;
    unknown_opt["optimizer"]["name"] = "rmsprop";
    nlohmann::json stray_key = good;
    stray_key["optimizer"]["betas"] = {0.9, 0.99};
    auto sequential = [](int layers) {
        std::string code = "nn.Sequential(";
        for (int i = 0; i < layers; ++i) code += "nn.Conv2d(1,1,1),";
        return code + ")";
    };
    nlohmann::json huge_out = good;
    huge_out["model"] = "nn.ConvTranspose2d(1, 1, kernel_size=1, stride=1000000, output_padding=999999)";
    test::check_hostile_files("train", {
        {"steps_absurd", with("steps", 1e12), "steps 1000000000000 is not allowed: it must be between 1 and 1000000"},
        {"steps_zero", with("steps", 0), "steps 0 is not allowed"},
        {"steps_text", with("steps", "forty"), "steps must be a whole number"},
        {"no_parameters", without("parameters"), "parameters is missing"},
        {"too_many_parameters", with("parameters", nlohmann::json::array({good["parameters"][0], good["parameters"][0]})),
         "parameters has 2 entries but the model has 1 layers with parameters"},
        {"wrong_weight", wrong_weight.dump(), "parameters[0]: weight has shape [1, 1, 3, 3]"},
        {"wrong_target", short_target.dump(), "target has shape [1, 1, 10, 10] but the model's output has shape [1, 1, 20, 20]"},
        {"lr_string", string_lr.dump(), "optimizer.lr must be a number, got \"0.1\""},
        {"sgd_without_lr", nan_lr.dump(), "optimizer.lr is missing"},
        {"unknown_optimizer", unknown_opt.dump(), "optimizer.name 'rmsprop' is unknown: expected adam or sgd"},
        {"sgd_with_betas", stray_key.dump(), "optimizer.betas is not a parameter of torch.optim.SGD"},
        {"unknown_loss", with("loss", "huber"), "loss 'huber' is unknown: expected mse or l1"},
        {"model_not_code", with("model", "import os; os.system('rm -rf /')"), "model: cannot read the code at column"},
        {"model_1001_layers", with("model", sequential(1001)), "model has 1001 layers, above the limit of 1000"},
        {"model_100000_layers", with("model", sequential(100000)), "the code is longer than 64 KiB"},
        {"huge_output", huge_out.dump(), "exceeds the limit of 2^28"},
        {"no_model", without("model"), "model is missing"},
        {"no_target", without("target"), "target is missing"},
        {"not_an_object", "[1, 2, 3]", "the training run must be a JSON object"},
    });
}

TEST_CASE("on a terminal, train shows its progress on stderr", "[cli][train]") {
    // `script` gives the command a pseudo-terminal; stdout goes to /dev/null, so what
    // comes back is the progress line.
    const std::string f = data_path("golden/learn/train/s11_even_k4s2.json");
    const std::string cmd = "script -qec \"" + std::string(CONVSCOPE_EXE) + " train '" + f + "' >/dev/null\" /dev/null";
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    std::string out;
    char buf[512];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    CHECK(::pclose(p) == 0);
    CHECK_THAT(out, Catch::Contains("step 40/40  loss "));
}
