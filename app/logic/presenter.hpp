#pragma once
/// \file presenter.hpp
/// `convscope present`: where a lecture is in its deck, with no window. The keys a
/// presenter's remote sends (PageDown / PageUp, arrows, Space), Home / End, a slide
/// number typed and Enter, B to blank the screen, Escape to leave; a question's answer
/// is revealed by the first "next" on its slide, the second moves on.
#include <cstddef>
#include <string>
#include <vector>

namespace convscope::gui {

enum class PresenterKey { Next, Back, First, Last, Digit, Enter, Blank, Leave };

struct Presenter {
    std::vector<bool> has_question;  ///< per slide: whether it asks one (sets the count)
    std::size_t slide = 0;           ///< 0-based
    bool revealed = false;           ///< the answer of this slide's question is shown
    bool blank = false;              ///< the screen is black (B)
    bool leave = false;              ///< Escape: the presenter closes
    std::string typed;               ///< digits typed before Enter (1-based slide number)

    explicit Presenter(std::vector<bool> questions, std::size_t first = 0);
    std::size_t count() const { return has_question.size(); }
    /// Apply one key (`digit` 0..9 with PresenterKey::Digit).
    void press(PresenterKey key, int digit = 0);
    /// Show slide `index` (0-based, clamped), its answer hidden.
    void go_to(std::size_t index);
    /// "3 / 12", with the typed number while one is typed ("go to 7").
    std::string status() const;
};

}  // namespace convscope::gui
