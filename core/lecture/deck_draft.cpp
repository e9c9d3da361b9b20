#include "core/lecture/deck_draft.hpp"

#include <filesystem>

#include "core/anim/presets.hpp"
#include "core/anim/scene_style.hpp"
#include "core/anim/timeline.hpp"
#include "core/base/errors.hpp"
#include "core/base/files.hpp"
#include "core/io/json_io.hpp"
#include "core/learn/lab.hpp"

namespace convscope {

namespace fs = std::filesystem;
using nlohmann::json;
using std::int64_t;

bool SlideDraft::operator==(const SlideDraft& o) const {
    auto same_question = [](const std::optional<Question>& a, const std::optional<Question>& b) {
        if (a.has_value() != b.has_value()) return false;
        return !a || (a->kind == b->kind && a->cell == b->cell && a->text == b->text);
    };
    return title == o.title && preset == o.preset && session == o.session && session_file == o.session_file && view == o.view &&
           style == o.style && transposed_view == o.transposed_view && pass == o.pass && granularity == o.granularity &&
           layer == o.layer && first_step == o.first_step && last_step == o.last_step && hide.output == o.hide.output &&
           hide.shape == o.hide.shape && image == o.image && notes == o.notes && same_question(question, o.question);
}

namespace {

/// `path` relative to `folder`, refused when it is not inside it.
std::string relative_inside(const std::string& path, const std::string& folder, const std::string& what) {
    std::error_code ec;
    const fs::path root = fs::weakly_canonical(folder, ec);
    if (ec) throw UserError("the deck's folder '" + folder + "' cannot be read: " + ec.message());
    const fs::path target = fs::weakly_canonical(path, ec);
    if (ec) throw UserError(what + " '" + path + "' cannot be read: " + ec.message());
    const fs::path rel = target.lexically_relative(root);
    if (rel.empty() || *rel.begin() == "..")
        throw UserError(what + " '" + path + "' is outside the deck's folder '" + root.string() +
                        "': a deck names only files in its own folder, so copy it there first");
    return rel.generic_string();
}

std::string steps_text(const SlideDraft& s) {
    return (s.first_step ? std::to_string(*s.first_step) : "") + ":" + (s.last_step ? std::to_string(*s.last_step) : "");
}

json question_to_json(const Question& q) {
    json j;
    j["kind"] = question_kind_name(q.kind);
    if (q.cell) j["cell"] = *q.cell;
    if (!q.text.empty()) j["text"] = q.text;
    return j;
}

}  // namespace

json slide_draft_to_json(const SlideDraft& s, const std::string& folder) {
    json j;
    j["title"] = s.title;
    if (!s.preset.empty()) j["preset"] = s.preset;
    else if (s.session) j["session"] = *s.session;
    else j["session"] = relative_inside(s.session_file, folder, "the session file");
    if (s.view != SlideView::Canvas) j["view"] = slide_view_name(s.view);
    if (!s.style.empty()) j["style"] = s.style;
    if (!s.transposed_view.empty()) j["transposed_view"] = s.transposed_view;
    if (!s.pass.empty()) j["pass"] = s.pass;
    if (!s.granularity.empty()) j["granularity"] = s.granularity;
    if (s.layer) j["layer"] = *s.layer;
    if (s.first_step || s.last_step) j["steps"] = steps_text(s);
    if (s.hide.shape) j["hide"] = json::array({"shape"});
    else if (s.hide.output) j["hide"] = json::array({"output"});
    if (!s.image.empty()) j["image"] = relative_inside(s.image, folder, "the picture");
    if (!s.notes.empty()) j["notes"] = s.notes;
    if (s.question) j["question"] = question_to_json(*s.question);
    return j;
}

json deck_draft_to_json(const DeckDraft& deck, const std::string& folder) {
    json j;
    j["format"] = "convscope-deck";
    j["version"] = kDeckVersion;
    j["title"] = deck.title;
    j["slides"] = json::array();
    for (std::size_t i = 0; i < deck.slides.size(); ++i) {
        try {
            j["slides"].push_back(slide_draft_to_json(deck.slides[i], folder));
        } catch (const UserError& e) {
            throw UserError("slide " + std::to_string(i + 1) + ": " + e.what());
        }
    }
    return j;
}

namespace {

/// The draft of one slide the deck reader has accepted (so every value is known good).
SlideDraft draft_of_slide(const json& j, const std::string& folder) {
    SlideDraft s;
    auto text = [&](const char* key) { return j.contains(key) ? j.at(key).get<std::string>() : std::string(); };
    s.title = text("title");
    s.preset = text("preset");
    if (j.contains("session")) {
        if (j.at("session").is_object()) s.session = j.at("session");
        else s.session_file = path_inside_folder(folder, j.at("session").get<std::string>(), "the session");
    }
    for (SlideView v : kAllSlideViews)
        if (text("view") == slide_view_name(v)) s.view = v;
    s.style = text("style");
    s.transposed_view = text("transposed_view");
    s.pass = text("pass");
    s.granularity = text("granularity");
    if (j.contains("layer")) s.layer = j.at("layer").get<int64_t>();
    if (j.contains("image")) s.image = path_inside_folder(folder, text("image"), "the picture");
    s.notes = text("notes");
    return s;
}

}  // namespace

DeckDraft deck_draft_from_json(const json& j, const std::string& folder) {
    const Deck checked = deck_from_json(j, folder);  // every hostile value refused here
    DeckDraft deck;
    deck.title = checked.title;
    const json& slides = j.at("slides");
    for (std::size_t i = 0; i < slides.size(); ++i) {
        SlideDraft s = draft_of_slide(slides[i], folder);
        const Slide& read = checked.slides[i];
        s.first_step = read.first_step;
        s.last_step = read.last_step;
        s.hide = read.hide;
        s.question = read.question;
        deck.slides.push_back(std::move(s));
    }
    return deck;
}

DeckDraft load_deck_draft(const std::string& path) {
    const json j = parse_json_text(read_file(path, kMaxDeckBytes), "'" + path + "'");
    std::error_code ec;
    const fs::path folder = fs::absolute(path, ec).parent_path();
    if (ec) throw UserError("'" + path + "': " + ec.message());
    return deck_draft_from_json(j, folder.string());
}

void save_deck_draft(const DeckDraft& deck, const std::string& path) {
    if (path.empty()) throw UserError("the deck has no file name yet");
    if (deck.slides.empty()) throw UserError("the deck has no slides: add the view as a slide first");
    std::error_code ec;
    const fs::path folder = fs::absolute(path, ec).parent_path();
    if (ec) throw UserError("'" + path + "': " + ec.message());
    if (!fs::is_directory(folder, ec)) throw UserError("the folder '" + folder.string() + "' does not exist");
    const json j = deck_draft_to_json(deck, folder.string());
    deck_from_json(j, folder.string());  // what the reader refuses is never written
    write_file_atomically(path, j.dump(2) + "\n");
}

Slide resolve_slide(const SlideDraft& slide) {
    json deck;
    deck["format"] = "convscope-deck";
    deck["version"] = kDeckVersion;
    deck["slides"] = json::array({slide_draft_to_json(slide, "/")});
    try {
        return deck_from_json(deck, "/").slides.at(0);
    } catch (const UserError& e) {
        const std::string message = e.what();
        const std::string prefix = "slide 1: ";
        throw UserError(message.rfind(prefix, 0) == 0 ? message.substr(prefix.size()) : message);
    }
}

bool same_as_preset(const Session& session, const std::string& name) {
    Session preset;
    try {
        preset = session_from_preset(name);
    } catch (const UserError&) {
        return false;
    }
    Session s = session;
    // What a slide's own keys set, or the app's theme: taken from the preset.
    s.preset = preset.preset;
    s.layer_index = preset.layer_index;
    s.style = preset.style;
    s.view = preset.view;
    s.pass = preset.pass;
    s.granularity = preset.granularity;
    s.frame = preset.frame;
    s.dark = preset.dark;
    if (s.input == InputPattern::Image) {
        s.input = preset.input;
        s.input_shape = preset.input_shape;
        s.image_path = preset.image_path;
        s.image_max_side = preset.image_max_side;
    }
    s.lab = preset.lab;  // a lab's weights are trained afresh by the slide
    return session_to_json(s) == session_to_json(preset);
}

namespace {

/// A lab's training settings as a slide keeps them: no picture path (the slide's "image"
/// names it, inside the deck's folder), the slide's own size, no weights (trained afresh).
nlohmann::json lab_slide_settings(LabSettings settings) {
    settings.image_path.clear();
    settings.size = LabSettings{}.size;
    nlohmann::json j = lab_save_to_json(LabSave{std::move(settings), 0, {}});
    j.erase("steps");
    j.erase("parameters");
    return j;
}

/// Whether the lab on screen trains as its preset does (no model added, the optimizer,
/// learning rate, loss, seed and ICNR as they open).
bool lab_as_its_preset(const LabSettings& settings) {
    LabSettings preset;
    preset.preset = settings.preset;
    return lab_slide_settings(settings) == lab_slide_settings(preset);
}

}  // namespace

SlideDraft capture_slide(const ViewCapture& c) {
    const Session& s = c.session;
    SlideDraft d;
    // A lab changed on screen (a model typed in, another optimizer or rate) is the slide's
    // own session with those settings: the slide trains what the teacher showed.
    const bool own_lab = c.view == SlideView::Lab && s.lab && !lab_as_its_preset(s.lab->settings);
    if (c.session_is_preset && !own_lab && same_as_preset(s, s.preset)) {
        d.preset = s.preset;
    } else {
        json j = session_to_json(s);
        // A deck's session names no picture: the slide's "image" does (in the deck's folder).
        if (s.input == InputPattern::Image) {
            j.erase("image");
            j.erase("image_max_side");
            j["input"] = input_pattern_name(InputPattern::Random);
        }
        j.erase("lab");  // a lab slide trains its models afresh
        if (own_lab) j["lab"] = lab_slide_settings(s.lab->settings);
        d.session = std::move(j);
    }
    if (s.input == InputPattern::Image && !s.image_path.empty()) d.image = s.image_path;
    d.view = c.view;
    d.style = scene_style_name(s.style);
    d.layer = s.layer_index;
    d.transposed_view = s.view == TransposedView::Scatter ? "scatter" : "convolution";
    d.pass = pass_name(s.pass);
    d.granularity = s.granularity ? granularity_name(*s.granularity) : "auto";
    d.first_step = 0;
    d.last_step = std::max<int64_t>(0, s.frame);
    // A lab slide's steps are training steps: as many as were trained on screen (the
    // slide trains afresh to there), or the lab slide's default when none were yet.
    if (c.view == SlideView::Lab) {
        d.first_step.reset();
        d.last_step.reset();
        if (c.lab_steps > 0) d.first_step = 0, d.last_step = std::min<int64_t>(c.lab_steps, kMaxLabSlideSteps);
    }
    return d;
}

void move_slide(DeckDraft& deck, std::size_t from, std::size_t to) {
    const std::size_t n = deck.slides.size();
    if (from >= n || to >= n)
        throw UserError("slide " + std::to_string(std::max(from, to) + 1) + " is not in the deck (" + std::to_string(n) + " slides)");
    SlideDraft moved = std::move(deck.slides[from]);
    deck.slides.erase(deck.slides.begin() + std::ptrdiff_t(from));
    deck.slides.insert(deck.slides.begin() + std::ptrdiff_t(to), std::move(moved));
}

void delete_slide(DeckDraft& deck, std::size_t index) {
    if (index >= deck.slides.size())
        throw UserError("slide " + std::to_string(index + 1) + " is not in the deck (" + std::to_string(deck.slides.size()) + " slides)");
    deck.slides.erase(deck.slides.begin() + std::ptrdiff_t(index));
}

std::size_t insert_slide(DeckDraft& deck, SlideDraft slide, std::size_t after) {
    if (deck.slides.size() >= kMaxDeckSlides) throw UserError("the deck has " + std::to_string(kMaxDeckSlides) + " slides, the most a deck holds");
    const std::size_t at = after >= deck.slides.size() ? deck.slides.size() : after + 1;
    deck.slides.insert(deck.slides.begin() + std::ptrdiff_t(at), std::move(slide));
    return at;
}

}  // namespace convscope
