#include "app/logic/deck_actions.hpp"

#include <algorithm>

#include "app/logic/documents.hpp"
#include "core/base/errors.hpp"

namespace convscope::gui {

using std::int64_t;

SlideView current_slide_view(const AppState& state) {
    if (state.context_view) return SlideView::DilationContext;
    if (state.lab) return SlideView::Lab;
    if (state.channels.enabled) return SlideView::Channels;
    if (state.show_matrix) return SlideView::Matrix;
    if (state.show_receptive_field) return SlideView::ReceptiveField;
    if (state.canvas_whole_stack && state.drawn.layers.size() > 1) return SlideView::Pipeline;
    return SlideView::Canvas;
}

ViewCapture capture_view(const AppState& state) {
    ViewCapture c;
    c.session = drawn_session(state);
    c.view = current_slide_view(state);
    // A preset opened and not saved as a session file (an edit renames it "<preset>-edited").
    c.session_is_preset = state.session_path.empty() && !c.session.preset.empty();
    c.hide = state.canvas_hide;
    if (state.lab) {
        c.lab_steps = state.lab->snapshot()->step;
        // Its settings (a model typed in, the optimizer): the slide trains what is shown.
        c.session.lab = std::make_shared<const LabSave>(LabSave{state.lab_settings, 0, {}});
    }
    return c;
}

bool add_view_as_slide(AppState& state) {
    DeckEditor& editor = state.deck_editor;
    editor.show = true;
    if (!state.animation) {
        say(editor, "nothing is shown yet to add", true);
        return false;
    }
    return add_captured_slide(editor, capture_view(state));
}

namespace {

/// The app's view switches for a slide's view (the lab and the dilation-context view
/// open with their presets).
void show_view(AppState& state, SlideView view) {
    state.show_receptive_field = view == SlideView::ReceptiveField;
    state.show_matrix = view == SlideView::Matrix;
    state.channels.enabled = view == SlideView::Channels;
    state.canvas_whole_stack = view == SlideView::Pipeline;
}

}  // namespace

bool open_slide_in_app(AppState& state, std::size_t index) {
    DeckEditor& editor = state.deck_editor;
    if (index >= editor.deck.slides.size()) return false;
    editor.selected = index;
    const SlideDraft& draft = editor.deck.slides[index];
    try {
        Slide slide = resolve_slide(draft);
        slide.session.dark = state.session.dark;  // the theme is the user's
        const int64_t last = slide.last_step.value_or(0);
        if (!draft.preset.empty()) load_preset(state, draft.preset);  // opens a lab or a context view when the preset has one
        else {
            state.lab.reset();
            state.context_view.reset();
        }
        if (!state.lab && !state.context_view) {
            std::string message;
            if (!set_session(state, slide.session, message)) throw UserError(message);
            state.session_path.clear();
        }
        show_view(state, slide.view);
        state.canvas_hide = slide.hide;  // the slide's exercise: the output (and its size) to work out
        state.session.frame = std::clamp<int64_t>(slide.last_step ? last : last_frame(state), 0, last_frame(state));
        state.playing = false;
        say(editor, "slide " + std::to_string(index + 1) + ": " + (draft.title.empty() ? std::string("(untitled)") : draft.title), false);
        return true;
    } catch (const UserError& e) {
        say(editor, "slide " + std::to_string(index + 1) + " cannot be shown: " + e.what(), true);
    }
    return false;
}

}  // namespace convscope::gui
