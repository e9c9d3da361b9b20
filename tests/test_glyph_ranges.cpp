// The app's fonts hold a glyph for every character it writes: every preset's canvas in
// every style, pass and view, every page of the shipped decks, and every string the
// code holds (panel labels, tooltips, captions). A code point outside the font's ranges
// is drawn as "?".
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "app/export/exporter.hpp"
#include "app/logic/app_state.hpp"
#include "app/logic/documents.hpp"
#include "app/logic/glyph_ranges.hpp"
#include "core/scene/text_metrics.hpp"
#include "app/logic/slide_show.hpp"
#include "core/anim/presets.hpp"
#include "core/base/files.hpp"
#include "core/scene/animation_scene.hpp"
#include "core/lecture/deck.hpp"

using namespace convscope;
using namespace convscope::gui;
namespace fs = std::filesystem;

namespace {

/// Code points outside the font's ranges, each with the first text that uses it.
using Missing = std::map<char32_t, std::string>;

void check_glyphs(const std::string& text, const std::string& where, Missing& missing) {
    for (const char32_t c : utf8_code_points(text))
        if (!has_font_glyph(c) && c != '\n' && c != '\t') missing.emplace(c, where + ": " + text);
}

void check_scene(const Scene& scene, const std::string& where, Missing& missing) {
    for (const SceneText& t : scene.texts) check_glyphs(t.text, where, missing);
}

std::string report(const Missing& missing) {
    std::ostringstream out;
    for (const auto& [c, text] : missing) out << "U+" << std::hex << std::uppercase << std::uint32_t(c) << std::dec << " in " << text << "\n";
    return out.str();
}

/// The canvas of `state` in every style, with and without the whole stack, at the
/// first, the representative and the last frame, and its channels view.
void check_canvas(AppState& state, const std::string& where, Missing& missing) {
    for (const SceneStyle style : {SceneStyle::Values, SceneStyle::Schematic, SceneStyle::Perspective})
        for (const bool stack : {false, true}) {
            state.session.style = style;
            state.canvas_whole_stack = stack;
            const Animation& a = *state.animation;
            for (const std::int64_t frame : {std::int64_t{0}, a.representative_frame(), a.frame_count() - 1}) {
                state.session.frame = frame;
                check_scene(current_scene(state, 1200, 700), where + " " + scene_style_name(style), missing);
            }
        }
    check_scene(current_channels_scene(state, 1200, 700).scene, where + " channels", missing);
}

/// What `export` and a deck's slide draw of `session` (its mechanism's figure, the
/// chain of a stack) in every style, at the first, the representative and the last frame.
void check_exported(const Session& session, const std::string& where, Missing& missing) {
    const Animation a(session);
    for (const SceneStyle style : {SceneStyle::Values, SceneStyle::Schematic, SceneStyle::Perspective}) {
        exporting::ExportRequest request;
        request.style = style;
        const SceneOptions options = exporting::export_scene_options(session, request);
        for (const std::int64_t frame : {std::int64_t{0}, a.representative_frame(), a.frame_count() - 1})
            check_scene(animation_scene(a, frame, options), where + " exported " + scene_style_name(style), missing);
    }
}

}  // namespace

TEST_CASE("the code points the fonts rasterize: Latin-1, Greek, arrows and the mathematical operators", "[glyphs]") {
    for (const char32_t c : {U'\u00d7', U'\u00b7', U'\u03a3', U'\u03c3', U'\u0394', U'\u2190', U'\u2192', U'\u2191', U'\u2193', U'\u21d2',
                             U'\u2212', U'\u2211', U'\u2264', U'\u2265', U'\u2248', U'\u2026', U'\u2013', U'\u2014', U'\u00b2', U'\u207b'})
        CHECK(has_font_glyph(c));
    CHECK(has_font_glyph(U'a'));
    CHECK_FALSE(has_font_glyph(U'\u4e2d'));  // no CJK in DejaVu Sans
    CHECK_FALSE(has_font_glyph(U'\x1f'));
    // The ranges are pairs in order, ended by a 0.
    const std::uint16_t* r = font_glyph_ranges();
    std::size_t pairs = 0;
    for (; r[0] != 0; r += 2, ++pairs) {
        CHECK(r[0] <= r[1]);
        if (r[2] != 0) CHECK(r[1] < r[2]);
    }
    CHECK(pairs >= 6);
}

TEST_CASE("UTF-8 text reads as its code points, a broken sequence as one replacement character", "[glyphs]") {
    CHECK(utf8_code_points("x \u00d7 W \u2192 \u03a3") == std::vector<char32_t>{U'x', U' ', U'\u00d7', U' ', U'W', U' ', U'\u2192', U' ', U'\u03a3'});
    CHECK(utf8_code_points("\xe2\x86") == std::vector<char32_t>{0xFFFD, 0xFFFD});
    CHECK(utf8_code_points("a\xff") == std::vector<char32_t>{U'a', 0xFFFD});
    CHECK(utf8_code_points("").empty());
}

TEST_CASE("every preset's canvas, in every style, pass and view, writes only characters the font has", "[glyphs][presets]") {
    Missing missing;
    std::size_t presets = 0;
    for (const Preset& preset : builtin_presets()) {
        AppState state;
        load_preset(state, preset.name);
        if (!state.animation) continue;
        ++presets;
        check_canvas(state, preset.name, missing);
        Session last = state.session;
        last.layer_index = std::int64_t(last.layers.size()) - 1;  // as `export --preset` animates a stack
        check_exported(last, preset.name, missing);
        Session backward = state.session;
        backward.pass = Pass::Backward;
        std::string message;
        if (set_session(state, backward, message)) check_canvas(state, preset.name + " backward", missing);
    }
    INFO(report(missing));
    CHECK(presets >= 10);
    CHECK(missing.empty());
}

TEST_CASE("every page of the shipped decks, question and answer, writes only characters the font has", "[glyphs][deck]") {
    Missing missing;
    for (const std::string name : {"dilated.json", "transposed.json"}) {
        const std::string path = asset_path("decks/" + name);
        std::ifstream file(path);
        std::stringstream raw;
        raw << file.rdbuf();
        check_glyphs(raw.str(), name, missing);  // its notes too (the presenter window shows them)
        const Deck deck = load_deck(path);
        for (std::size_t i = 0; i < deck.slides.size(); ++i) {
            SlideShow show(deck, name, i);
            const std::string where = name + " slide " + std::to_string(i + 1);
            check_scene(show.fitted_page(1920, 1080).scene, where, missing);
            check_glyphs(show.title_of(i) + show.next_title(), where, missing);
            if (show.answer_text().empty()) continue;
            show.keys().press(PresenterKey::Next);
            check_scene(show.fitted_page(1920, 1080).scene, where + " answered", missing);
        }
    }
    INFO(report(missing));
    CHECK(missing.empty());
}

TEST_CASE("every string the app's and the core's code hold writes only characters the font has", "[glyphs]") {
    // Panel labels, tooltips, captions and messages: their non-ASCII characters, written
    // as \u escapes or as UTF-8.
    const fs::path root = fs::path(CONVSCOPE_TEST_DATA).parent_path().parent_path();
    Missing missing;
    std::size_t files = 0;
    for (const char* folder : {"app", "core"})
        for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
            const std::string ext = entry.path().extension().string();
            if (ext != ".cpp" && ext != ".hpp") continue;
            ++files;
            std::ifstream file(entry.path());
            std::stringstream raw;
            raw << file.rdbuf();
            const std::string text = raw.str(), where = entry.path().filename().string();
            std::istringstream lines(text);
            std::size_t number = 0;
            for (std::string line; std::getline(lines, line);) check_glyphs(line, where + ":" + std::to_string(++number), missing);
            for (std::size_t at = text.find("\\u"); at != std::string::npos; at = text.find("\\u", at + 2))
                if (at + 6 <= text.size() && text.find_first_not_of("0123456789abcdefABCDEF", at + 2) >= at + 6) {
                    const char32_t c = char32_t(std::stoul(text.substr(at + 2, 4), nullptr, 16));
                    if (!has_font_glyph(c)) missing.emplace(c, where + ": \\u" + text.substr(at + 2, 4));
                }
        }
    INFO(report(missing));
    CHECK(files >= 50);
    CHECK(missing.empty());
}
