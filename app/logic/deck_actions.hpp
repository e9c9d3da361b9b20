#pragma once
/// \file deck_actions.hpp
/// What the deck editor (deck_editor.hpp) does to the app: captures the view on screen
/// as a slide, and opens a slide's view in the app.
#include <cstddef>

#include "app/logic/app_state.hpp"

namespace convscope::gui {

/// What the app shows now, as a slide's view.
SlideView current_slide_view(const AppState& state);
/// The view captured for a slide: the configuration on screen and its view.
ViewCapture capture_view(const AppState& state);
/// "Add this view as a slide": the view on screen, with the Deck panel's form.
bool add_view_as_slide(AppState& state);
/// Opens slide `index` of the deck being edited in the app: its session, view and last
/// step. False (and the Deck panel says why) when the slide cannot be shown.
bool open_slide_in_app(AppState& state, std::size_t index);

}  // namespace convscope::gui
