#include "bench/core_bench.hpp"

#include <algorithm>
#include <chrono>
#include <random>

#include <nlohmann/json.hpp>

#include "core/nn/layer_ops.hpp"
#include "core/nn/conv.hpp"
#include "core/nn/conv_kernels.hpp"
#include "core/io/json_io.hpp"
#include "core/learn/lab.hpp"
#include "core/io/pycode.hpp"
#include "core/nn/rf.hpp"
#include "core/nn/tap_geometry.hpp"
#include "core/learn/train.hpp"

namespace convscope {

namespace {

struct ConvSpec {
    const char* name;
    LayerKind kind;
    int n, c_in, h, w, c_out, k, s, p, d, groups;
};

// ../shared/CONTRACT.md, "bench: the core's speed".
constexpr ConvSpec kConvSuite[] = {
    {"seed_dilated", LayerKind::Conv2d, 1, 3, 64, 64, 16, 3, 1, 2, 2, 1},
    {"seed_upconv", LayerKind::ConvTranspose2d, 1, 16, 32, 32, 3, 2, 2, 0, 1, 1},
    {"seed_upconv64", LayerKind::ConvTranspose2d, 1, 16, 64, 64, 3, 2, 2, 0, 1, 1},
    {"wide_dilated", LayerKind::Conv2d, 1, 32, 128, 128, 32, 3, 1, 4, 4, 1},
    {"wide_upconv", LayerKind::ConvTranspose2d, 1, 32, 64, 64, 16, 4, 2, 1, 1, 1},
    {"depthwise_dilated", LayerKind::Conv2d, 1, 32, 64, 64, 32, 3, 1, 2, 2, 32},
};

void fill_random(double* p, std::size_t n, std::mt19937_64& rng) {
    std::normal_distribution<double> dist(0.0, 1.0);
    for (std::size_t i = 0; i < n; ++i) p[i] = dist(rng);
}

// ../shared/CONTRACT.md, "More bench cases": forward + backward of these.
constexpr const char* kGradSuite[] = {"seed_dilated", "seed_upconv", "wide_dilated", "wide_upconv"};

struct TrainSpec {
    const char* name;
    const char* model;
    int c_in, h, w;
};

// One Adam step (lr 1e-3) of each model on a random input and target.
constexpr TrainSpec kTrainSuite[] = {
    {"train_seed_combined",
     "nn.Sequential(nn.Conv2d(3, 16, 3, dilation=2, padding=2), nn.ReLU(), nn.ConvTranspose2d(16, 3, 2, stride=2))", 3,
     64, 64},
    {"train_resize_conv",
     "nn.Sequential(nn.Upsample(scale_factor=2, mode='bilinear'), nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), "
     "nn.Conv2d(16, 3, 3, padding=1))",
     3, 64, 64},
    {"train_subpixel",
     "nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 12, 3, padding=1), nn.PixelShuffle(2))", 3,
     64, 64},
};

nlohmann::json conv_description(const ConvSpec& s) {
    return {{"op", op_name(s.kind)}, {"n", s.n}, {"c_in", s.c_in}, {"h", s.h}, {"w", s.w}, {"c_out", s.c_out},
            {"kernel", s.k}, {"stride", s.s}, {"padding", s.p}, {"dilation", s.d}, {"groups", s.groups}};
}

/// A bench layer with random input and weights (bias on), shared by the timed closures.
struct ConvProblem {
    Layer layer;
    std::shared_ptr<Tensor4> input;
    std::shared_ptr<ConvWeights> weights;
};

ConvProblem make_conv_problem(const ConvSpec& s, std::mt19937_64& rng) {
    ConvProblem p;
    Layer& L = p.layer;
    L.kind = s.kind;
    L.in_channels = s.c_in;
    L.out_channels = s.c_out;
    L.kernel = {s.k, s.k};
    L.stride = {s.s, s.s};
    L.padding.value = {s.p, s.p};
    L.dilation = {s.d, s.d};
    L.groups = s.groups;
    L.bias = true;
    p.input = std::make_shared<Tensor4>(make_tensor(s.n, s.c_in, s.h, s.w, "input"));
    fill_random(p.input->data(), p.input->size(), rng);
    p.weights = std::make_shared<ConvWeights>();
    ConvWeights& w = *p.weights;
    const auto shape = weight_shape(L);
    w.weight = make_tensor(shape[0], shape[1], shape[2], shape[3], "weight");
    fill_random(w.weight.data(), w.weight.size(), rng);
    w.bias = Tensor1::from_shape({std::size_t(s.c_out)});
    fill_random(w.bias.data(), w.bias.size(), rng);
    w.has_bias = true;
    return p;
}

const ConvSpec& conv_spec(const std::string& name) {
    for (const ConvSpec& s : kConvSuite)
        if (name == s.name) return s;
    throw UserError("no bench case " + name);
}

}  // namespace

std::vector<BenchCase> bench_suite() {
    std::vector<BenchCase> suite;
    for (const ConvSpec& s : kConvSuite) {
        suite.push_back({s.name, conv_description(s).dump(), [s] {
                             std::mt19937_64 rng(12345);
                             const ConvProblem p = make_conv_problem(s, rng);
                             return std::function<void()>([p] {
                                 Tensor4 y = apply_layer(*p.input, *p.weights, p.layer);  // fresh output each run
                                 asm volatile("" : : "r"(y.data()) : "memory");
                             });
                         }});
    }
    for (const char* name : kGradSuite) {
        const ConvSpec& s = conv_spec(name);
        nlohmann::json desc = {{"op", "grad"}, {"layer", conv_description(s)}};
        suite.push_back({std::string("grad_") + name, desc.dump(), [s] {
                             std::mt19937_64 rng(12345);
                             const ConvProblem p = make_conv_problem(s, rng);
                             auto dy = std::make_shared<Tensor4>(apply_layer(*p.input, *p.weights, p.layer));
                             fill_random(dy->data(), dy->size(), rng);
                             return std::function<void()>([p, dy] {
                                 // Forward, then every gradient, all fresh each run (as autograd).
                                 Tensor4 y;
                                 const ConvGradients g = conv_backward(p.layer, *p.input, *p.weights, *dy, &y);
                                 asm volatile("" : : "r"(y.data()), "r"(g.input.data()), "r"(g.weight.data()) : "memory");
                             });
                         }});
    }
    for (const TrainSpec& s : kTrainSuite) {
        nlohmann::json desc = {{"op", "train"}, {"model", s.model}, {"input", {1, s.c_in, s.h, s.w}}};
        suite.push_back({s.name, desc.dump(), [s] {
                             std::mt19937_64 rng(12345);
                             const std::vector<Layer> layers = parse_pytorch_code(s.model);
                             Tensor4 x = make_tensor(1, s.c_in, s.h, s.w, "input");
                             fill_random(x.data(), x.size(), rng);
                             const std::vector<std::int64_t> out = model_output_shape(layers, shape_of(x));
                             Tensor4 target = make_tensor(out[0], out[1], out[2], out[3], "target");
                             fill_random(target.data(), target.size(), rng);
                             auto trainer = std::make_shared<Trainer>(layers, default_parameters(layers, 0), std::move(x),
                                                                      std::move(target), LossKind::Mse, OptimizerSettings{});
                             return std::function<void()>([trainer] {
                                 const double loss = trainer->step();
                                 asm volatile("" : : "r"(&loss) : "memory");
                             });
                         }});
    }
    // The upsampling lab's default configuration: one training step of all its models
    // (128x128 target from the shipped picture, Adam). Not a PyTorch comparison.
    suite.push_back({"lab_upsampling_step", nlohmann::json{{"op", "lab"}, {"preset", "lab-upsampling"}, {"size", 128}}.dump(), [] {
                         auto lab = std::make_shared<Lab>(LabSettings{});
                         return std::function<void()>([lab] { lab->step(); });
                     }});
    for (const char* name : {"rf_vgg16_224", "rf_dilated_deep"}) {
        const RfStack st = bench_rf_stack(name);
        nlohmann::json layers = nlohmann::json::array();
        for (const Layer& L : st.layers) layers.push_back(layer_to_json(L));
        nlohmann::json desc = {{"op", "rf"}, {"input_size", st.input_size}, {"layers", layers}, {"output_cell", st.output_cell}};
        suite.push_back({name, desc.dump(), [st] {
                             return std::function<void()>([st] {
                                 // The whole exact map, as `convscope rf` prints it: engine + every cell.
                                 const RfResult r = compute_receptive_field(st);
                                 if (r.fits_int64()) {
                                     const auto map = r.exact_map();
                                     asm volatile("" : : "r"(map.data()) : "memory");
                                 } else {
                                     const auto map = r.approx_map();
                                     asm volatile("" : : "r"(map.data()) : "memory");
                                 }
                             });
                         }});
    }
    return suite;
}

/// The two receptive-field cases of the contract.
RfStack bench_rf_stack(const std::string& name) {
    RfStack st;
    auto conv = [](std::int64_t k, std::int64_t p, std::int64_t d) {
        Layer L;
        L.kernel = {k, k};
        L.padding.value = {p, p};
        L.dilation = {d, d};
        return L;
    };
    if (name == "rf_vgg16_224") {
        // VGG-16: blocks of 2, 2, 3, 3, 3 convolutions (3x3, padding 1), each followed
        // by a 2x2 stride-2 max-pool; output cell [3, 3] of the final 7x7.
        Layer pool;
        pool.kind = LayerKind::MaxPool2d;
        pool.kernel = {2, 2};
        pool.stride = {2, 2};
        for (int block : {2, 2, 3, 3, 3}) {
            for (int i = 0; i < block; ++i) st.layers.push_back(conv(3, 1, 1));
            st.layers.push_back(pool);
        }
        st.input_size = {224, 224};
        st.output_cell = {3, 3};
    } else {
        // 24 layers 3x3, dilation cycling 1, 2, 4, 8, padding = dilation; 128x128 input.
        for (int i = 0; i < 24; ++i) {
            const std::int64_t d = std::int64_t{1} << (i % 4);
            st.layers.push_back(conv(3, d, d));
        }
        st.input_size = {128, 128};
        st.output_cell = {64, 64};
    }
    return st;
}

BenchResult time_case(const std::string& name, const std::function<void()>& fn, double seconds) {
    using clock = std::chrono::steady_clock;
    const auto warm_end = clock::now() + std::chrono::duration<double>(std::min(0.2, seconds / 5));
    do fn(); while (clock::now() < warm_end);
    std::vector<double> ms;
    const auto end = clock::now() + std::chrono::duration<double>(seconds);
    do {
        const auto t0 = clock::now();
        fn();
        ms.push_back(std::chrono::duration<double, std::milli>(clock::now() - t0).count());
    } while (clock::now() < end || ms.size() < 3);
    std::sort(ms.begin(), ms.end());
    const std::size_t m = ms.size();
    const double median = m % 2 ? ms[m / 2] : 0.5 * (ms[m / 2 - 1] + ms[m / 2]);
    return {name, median, int(m)};
}

}  // namespace convscope
