// Every case PyTorch computed (tests/data/golden/conv): our output equals its output to
// 1e-9 relative, and we refuse exactly where it refused.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/base/errors.hpp"
#include "core/io/json_io.hpp"
#include "core/nn/layer_ops.hpp"
#include "helpers.hpp"

using namespace convscope;

TEST_CASE("every golden convolution case matches PyTorch or is refused like PyTorch", "[golden][conv]") {
    const auto files = test::files_in(test::data_path("golden/conv"));
    REQUIRE(files.size() >= 130);
    for (const std::string& f : files) {
        DYNAMIC_SECTION(f) {
            const ConvCase c = case_from_json(read_json_file(f));
            if (c.error) {
                CHECK_THROWS_AS(apply_layer(c.input, c.weights, c.layer), UserError);
            } else {
                REQUIRE(c.expected.has_value());
                const Tensor4 y = apply_layer(c.input, c.weights, c.layer);
                REQUIRE(shape_of(y) == shape_of(*c.expected));
                double worst = 0;
                for (std::size_t i = 0; i < y.size(); ++i) {
                    const double e = c.expected->data()[i];
                    worst = std::max(worst, std::fabs(y.data()[i] - e) / std::max(1.0, std::fabs(e)));
                }
                CHECK(worst <= 1e-9);
            }
        }
    }
}

TEST_CASE("the seed cases of the course give PyTorch's shapes", "[golden][seed]") {
    const ConvCase dilated = case_from_json(read_json_file(test::data_path("golden/conv/seed_dilated_3to16_k3_d2_p2_64.json")));
    CHECK(shape_of(apply_layer(dilated.input, dilated.weights, dilated.layer)) == std::vector<std::int64_t>{1, 16, 64, 64});
    const ConvCase up = case_from_json(read_json_file(test::data_path("golden/conv/seed_upconv_16to3_k2_s2_32.json")));
    CHECK(shape_of(apply_layer(up.input, up.weights, up.layer)) == std::vector<std::int64_t>{1, 3, 64, 64});
}
