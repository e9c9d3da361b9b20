#include "core/lecture/deck.hpp"

#include <algorithm>
#include <filesystem>

#include "core/anim/presets.hpp"
#include "core/base/errors.hpp"
#include "core/base/files.hpp"
#include "core/io/json_fields.hpp"
#include "core/io/json_io.hpp"

namespace convscope {

namespace fs = std::filesystem;
using nlohmann::json;
using std::int64_t;

const char* slide_view_name(SlideView view) {
    switch (view) {
        case SlideView::Canvas: return "canvas";
        case SlideView::Pipeline: return "pipeline";
        case SlideView::Channels: return "channels";
        case SlideView::ReceptiveField: return "receptive-field";
        case SlideView::Matrix: return "matrix";
        case SlideView::Lab: return "lab";
        case SlideView::DilationContext: return "dilation-context";
    }
    return "?";
}

const char* question_kind_name(QuestionKind kind) {
    switch (kind) {
        case QuestionKind::OutputShape: return "output_shape";
        case QuestionKind::OutputValues: return "output_values";
        case QuestionKind::RfSize: return "rf_size";
        case QuestionKind::CellsRead: return "cells_read";
    }
    return "?";
}

QuestionKind parse_question_kind(const std::string& name, const std::string& what) {
    for (QuestionKind k : kAllQuestionKinds)
        if (name == question_kind_name(k)) return k;
    throw UserError(what + " '" + name.substr(0, 40) + "' is unknown: expected output_shape, output_values, rf_size or cells_read");
}

std::string path_inside_folder(const std::string& folder, const std::string& relative, const std::string& what) {
    if (relative.empty()) throw UserError(what + " is empty: name a file in the deck's folder");
    if (relative.size() > 1024) throw UserError(what + " is longer than 1024 characters");
    if (relative.find('\0') != std::string::npos) throw UserError(what + " holds a NUL character");
    const fs::path rel(relative);
    if (rel.is_absolute() || rel.has_root_name() || rel.has_root_directory())
        throw UserError(what + " '" + relative.substr(0, 80) + "' is absolute: a deck names its files relative to its own folder");
    if (folder.empty()) throw UserError(what + " '" + relative.substr(0, 80) + "' names a file, but this deck has no folder");
    std::error_code ec;
    const fs::path root = fs::canonical(folder, ec);
    if (ec) throw UserError("the deck's folder '" + folder + "' cannot be read: " + ec.message());
    // '..' that leaves the folder is refused before the file system is asked, then the
    // resolved path (symlinks followed) is checked again: a link may point anywhere.
    int64_t depth = 0;
    for (const fs::path& part : rel.lexically_normal()) {
        if (part == "..") --depth;
        else if (part != "." && !part.empty()) ++depth;
        if (depth < 0) throw UserError(what + " '" + relative.substr(0, 80) + "' leaves the deck's folder ('..')");
    }
    const fs::path resolved = fs::canonical(root / rel, ec);
    if (ec) throw UserError(what + " '" + relative.substr(0, 80) + "' cannot be read: " + ec.message());
    const auto [end, _] = std::mismatch(root.begin(), root.end(), resolved.begin(), resolved.end());
    if (end != root.end()) throw UserError(what + " '" + relative.substr(0, 80) + "' leads out of the deck's folder (through a link)");
    if (!fs::is_regular_file(resolved, ec)) throw UserError(what + " '" + relative.substr(0, 80) + "' is not a file");
    return resolved.string();
}

int64_t slide_layer_count(const Slide& slide) {
    const int64_t n = int64_t(slide.session.layers.size());
    if (slide.view == SlideView::Pipeline || slide.view == SlideView::ReceptiveField) return n;
    return std::clamp<int64_t>(slide.session.layer_index, 0, n - 1) + 1;
}

namespace {

std::string short_text(const json& j, const std::string& field) {
    const std::string s = want_string(j, field);
    if (s.size() > kMaxDeckText) throw UserError("is " + std::to_string(s.size()) + " characters long (limit " + std::to_string(kMaxDeckText) + ")");
    return s;
}

/// A session from a deck: the whole session reader, but no picture file named inside
/// it (a deck's files are named by the slide's "image", inside the deck's folder).
Session deck_session(const json& j) {
    if (j.is_object() && (j.contains("image") || (j.contains("input") && j.at("input") == "image")))
        throw UserError("a deck's session names no picture file: give the slide an \"image\" in the deck's folder");
    return session_from_json(j);
}

void parse_steps(const std::string& text, Slide& slide) {
    auto number = [&](const std::string& s) -> int64_t {
        if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos)
            throw UserError("'" + text.substr(0, 40) + "' must be A:B with whole numbers (0-based, inclusive)");
        return std::stoll(s);
    };
    const auto colon = text.find(':');
    if (colon == std::string::npos) throw UserError("'" + text.substr(0, 40) + "' must be A:B (0-based, inclusive)");
    const std::string a = text.substr(0, colon), b = text.substr(colon + 1);
    if (!a.empty()) slide.first_step = number(a);
    if (!b.empty()) slide.last_step = number(b);
    if (slide.first_step && slide.last_step && *slide.first_step > *slide.last_step)
        throw UserError("'" + text + "' runs backwards: the first step must not be after the last");
}

Question parse_question(const json& j) {
    want_object(j, "question");
    Question q;
    for (const auto& [key, value] : j.items()) {
        try {
            if (key == "kind") q.kind = parse_question_kind(want_string(value, "kind"), "kind");
            else if (key == "text") q.text = short_text(value, "text");
            else if (key == "cell") {
                if (!value.is_array() || value.size() != 2) throw UserError("must be [row, col], got " + value.dump().substr(0, 40));
                q.cell = std::array<int64_t, 2>{want_int(value[0], "cell"), want_int(value[1], "cell")};
                if ((*q.cell)[0] < 0 || (*q.cell)[1] < 0) throw UserError("[row, col] must not be negative");
            } else throw UserError("is unknown: a question has kind, cell and text");
        } catch (const UserError& e) {
            throw UserError("question key '" + key.substr(0, 40) + "': " + e.what());
        }
    }
    if (!j.contains("kind")) throw UserError("question key 'kind' is missing: output_shape, output_values, rf_size or cells_read");
    return q;
}

/// The keys a slide may have, in the order they are applied to its session.
const char* const kSlideKeys[] = {"title", "preset", "session", "image", "layer", "style", "transposed_view", "pass",
                                  "granularity", "view", "steps", "hide", "notes", "question"};

void apply_slide_key(const std::string& key, const json& v, Slide& s, const std::string& folder) {
    if (key == "title") s.title = short_text(v, key);
    else if (key == "notes") s.notes = short_text(v, key);
    else if (key == "preset" || key == "session") {}  // read first, by the caller
    else if (key == "image") {
        const std::string note = use_picture(s.session, path_inside_folder(folder, want_string(v, key), "the picture"));
        (void)note;  // scaled down / converted: the figure's caption says the input's size
    } else if (key == "layer") {
        const int64_t layer = want_int(v, key), n = int64_t(s.session.layers.size());
        if (layer < 0 || layer >= n)
            throw UserError(std::to_string(layer) + " is outside the stack's " + std::to_string(n) + " layers (0.." + std::to_string(n - 1) + ")");
        s.session.layer_index = layer;
    } else if (key == "style") s.session.style = parse_scene_style(want_string(v, key), "style");
    else if (key == "transposed_view") {
        const std::string t = want_string(v, key);
        if (t != "scatter" && t != "convolution") throw UserError("'" + t.substr(0, 40) + "' is unknown: expected scatter or convolution");
        s.session.view = t == "scatter" ? TransposedView::Scatter : TransposedView::AsConvolution;
    } else if (key == "pass") {
        const std::string p = want_string(v, key);
        if (p != "forward" && p != "backward") throw UserError("'" + p.substr(0, 40) + "' is unknown: expected forward or backward");
        s.session.pass = p == "backward" ? Pass::Backward : Pass::Forward;
    } else if (key == "granularity") {
        const std::string g = want_string(v, key);
        if (g == "auto") s.session.granularity.reset();
        else s.session.granularity = parse_granularity(g);
    } else if (key == "view") {
        const std::string name = want_string(v, key);
        bool found = false;
        for (SlideView view : kAllSlideViews)
            if (name == slide_view_name(view)) {
                s.view = view;
                found = true;
            }
        if (!found)
            throw UserError("'" + name.substr(0, 40) +
                            "' is unknown: expected canvas, pipeline, channels, receptive-field, matrix, lab or dilation-context");
    } else if (key == "steps") parse_steps(want_string(v, key), s);
    else if (key == "hide") {
        if (!v.is_array()) throw UserError("must be a list of \"output\" and \"shape\", got " + v.dump().substr(0, 40));
        for (const json& h : v) {
            const std::string what = want_string(h, key);
            if (what == "output") s.hide.output = true;
            else if (what == "shape") s.hide.output = s.hide.shape = true;  // the shape hides the grid too
            else throw UserError("'" + what.substr(0, 40) + "' is unknown: expected output or shape");
        }
    } else if (key == "question") s.question = parse_question(v);
}

Slide parse_slide(const json& j, const std::string& folder) {
    if (!j.is_object()) throw UserError("is not an object: " + j.dump().substr(0, 40));
    for (const auto& item : j.items())
        if (std::find(std::begin(kSlideKeys), std::end(kSlideKeys), item.key()) == std::end(kSlideKeys))
            throw UserError("key '" + item.key().substr(0, 40) +
                            "': is unknown: a slide has title, preset or session, view, style, layer, transposed_view, pass, "
                            "granularity, steps, hide, image, notes and question");
    Slide s;
    const bool preset = j.contains("preset"), session = j.contains("session");
    if (preset == session) throw UserError("key 'preset': a slide names a preset or a session (exactly one)");
    auto keyed = [&](const std::string& key, auto&& read) {
        try {
            read();
        } catch (const UserError& e) {
            throw UserError("key '" + key + "': " + e.what());
        }
    };
    if (preset) {
        keyed("preset", [&] {
            s.preset = want_string(j.at("preset"), "preset");
            s.session = session_from_preset(s.preset);
            // As `convscope export --preset`: a preset shows its last convolution.
            for (int64_t i = int64_t(s.session.layers.size()) - 1; i >= 0; --i)
                if (s.session.layers[std::size_t(i)].is_conv()) {
                    s.session.layer_index = i;
                    break;
                }
        });
    } else {
        keyed("session", [&] {
            const json& v = j.at("session");
            if (v.is_object()) s.session = deck_session(v);
            else {
                s.session_path = path_inside_folder(folder, want_string(v, "session"), "the session");
                s.session = deck_session(parse_json_text(read_file(s.session_path, kMaxSessionBytes), "the session"));
            }
        });
    }
    for (const char* key : kSlideKeys)
        if (j.contains(key)) keyed(key, [&] { apply_slide_key(key, j.at(key), s, folder); });
    if (s.session.lab && s.view != SlideView::Lab) s.session.lab.reset();  // a session's lab shows in the lab view only
    // The stack and the channels views print every map's size in their captions, which a
    // hide cannot take out: there the question would be answered before it is asked.
    if (s.question && s.question->kind == QuestionKind::OutputShape && (s.view == SlideView::Pipeline || s.view == SlideView::Channels))
        throw UserError(std::string("key 'question': an output_shape question on the ") +
                        (s.view == SlideView::Pipeline ? "pipeline" : "channels") +
                        " view is answered by the view's own captions; ask it on the canvas view with \"hide\": [\"shape\"]");
    // The question asks for the output's size: its page hides the size whatever "hide"
    // says (with the output drawn and its size in the headline it answered itself).
    if (s.question && s.question->kind == QuestionKind::OutputShape) s.hide.output = s.hide.shape = true;
    return s;
}

}  // namespace

Deck deck_from_json(const json& j, const std::string& folder) {
    if (!j.is_object()) throw UserError("a deck is a JSON object with format, version, title and slides");
    Deck deck;
    deck.folder = folder;
    for (const auto& [key, value] : j.items()) {
        try {
            if (key == "format") {
                if (want_string(value, key) != "convscope-deck") throw UserError("must be \"convscope-deck\"");
            } else if (key == "version") {
                const int64_t v = want_int(value, key);
                if (v > kDeckVersion)
                    throw UserError(std::to_string(v) + " is newer than this ConvScope reads (" + std::to_string(kDeckVersion) + ")");
                if (v < 1) throw UserError(std::to_string(v) + " must be at least 1");
            } else if (key == "title") deck.title = short_text(value, key);
            else if (key == "slides") {
                if (!value.is_array() || value.empty()) throw UserError("must be a non-empty list of slides");
                if (value.size() > kMaxDeckSlides)
                    throw UserError("has " + std::to_string(value.size()) + " slides (limit " + std::to_string(kMaxDeckSlides) + ")");
            } else throw UserError("is unknown: a deck has format, version, title and slides");
        } catch (const UserError& e) {
            throw UserError("key '" + key.substr(0, 40) + "': " + e.what());
        }
    }
    for (const char* key : {"format", "version", "slides"})
        if (!j.contains(key)) throw UserError(std::string("key '") + key + "' is missing");
    const json& slides = j.at("slides");
    for (std::size_t i = 0; i < slides.size(); ++i) {
        try {
            deck.slides.push_back(parse_slide(slides[i], folder));
        } catch (const UserError& e) {
            throw UserError("slide " + std::to_string(i + 1) + ": " + e.what());
        }
    }
    return deck;
}

Deck load_deck(const std::string& path) {
    const json j = parse_json_text(read_file(path, kMaxDeckBytes), "'" + path + "'");
    std::error_code ec;
    fs::path folder = fs::absolute(path, ec).parent_path();
    if (ec) throw UserError("'" + path + "': " + ec.message());
    return deck_from_json(j, folder.string());
}

}  // namespace convscope
