#include "core/scene/animation_scene.hpp"

#include <algorithm>

#include "core/scene/scene_theme.hpp"

namespace convscope {

Scene animation_scene(const Animation& animation, std::int64_t frame, const SceneOptions& options) {
    const FramePosition pos = animation.timeline().at(frame);
    SceneOptions opt = options;
    if (!opt.output_range) opt.output_range = animation.output_range(pos.channel);
    opt.layer_index = animation.layer_index();
    opt.taps_one_by_one = animation.timeline().granularity == Granularity::Tap;
    if (animation.backward()) {  // two lines: a canvas is too narrow for the whole sentence in the caption's size
        const std::string& caption = animation.backward_caption();
        const std::size_t colon = caption.rfind(Animation::kTransposeOf);
        opt.caption = caption.substr(0, colon);
        opt.backward = true;
        opt.code_line = caption.substr(colon + 2) + (opt.code_line.empty() ? "" : ": " + opt.code_line);
    }
    return build_scene(animation.engine_for(pos.channel), pos, opt);
}

namespace {

/// `text` broken at spaces into lines of at most `chars` characters.
std::vector<std::string> wrap_words(const std::string& text, std::size_t chars) {
    std::vector<std::string> lines(1);
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        const std::string word = text.substr(start, end - start);
        if (!lines.back().empty() && lines.back().size() + 1 + word.size() > chars) lines.emplace_back();
        lines.back() += (lines.back().empty() ? "" : " ") + word;
        start = end + 1;
    }
    return lines;
}

}  // namespace

void add_input_picture(Scene& sc, const Picture& picture, const std::string& note, bool dark) {
    const SceneTheme theme = SceneTheme::make(dark);
    const Color faint{theme.ink.r, theme.ink.g, theme.ink.b, 0.85f};
    constexpr float kSide = 120, kGap = 24, kMargin = 8, kNoteSize = 11;
    // Right of the rightmost map (the output grid, or the pipeline's last map).
    float maps_right = sc.output_grid.x + sc.output_grid.cell * float(sc.output_grid.cols);
    float maps_top = sc.output_grid.y;
    for (const GridPlacement& g : sc.stack_maps) {
        maps_right = std::max(maps_right, g.x + g.cell * float(g.cols));
        maps_top = g.y;
    }
    // ... and of the names written under the maps, which run wider than a small map.
    float maps_bottom = sc.output_grid.y + sc.output_grid.cell * float(sc.output_grid.rows);
    for (const GridPlacement& g : sc.stack_maps) maps_bottom = std::max(maps_bottom, g.y + g.cell * float(g.rows));
    for (const SceneText& t : sc.texts)
        if (!t.centered && t.y > maps_top && t.y < maps_bottom + 40 && t.x < maps_right)
            maps_right = std::max(maps_right, t.x + 0.6f * t.size * float(t.text.size()));
    const float x = maps_right + kGap;
    if (x + kSide + kMargin > sc.width) {  // no room beside the maps: the note alone, at the bottom
        if (!note.empty()) sc.texts.push_back({16, sc.height - kNoteSize - 6, kNoteSize, faint, note, false});
        return;
    }
    // A thumbnail of at most 60 cells a side, true colour (grey repeated into r, g, b).
    const Picture small = fit_picture(picture, 60);
    const float cell = kSide / float(std::max(small.width, small.height));
    SceneHeatmap h;
    h.x = x;
    h.y = maps_top + 20;
    h.cell = cell;
    h.rows = small.height;
    h.cols = small.width;
    h.role = RectRole::Other;
    h.flat = true;  // drawn as blocks of its colours, not through the colour map
    h.colors.reserve(std::size_t(small.width * small.height));
    for (std::int64_t r = 0; r < small.height; ++r)
        for (std::int64_t c = 0; c < small.width; ++c) {
            const bool grey = small.channels == 1;
            h.colors.push_back({small.at(0, r, c), small.at(grey ? 0 : 1, r, c), small.at(grey ? 0 : 2, r, c), 1});
        }
    h.values.assign(h.colors.size(), 0.0f);
    h.styles.assign(h.colors.size(), CellStyle::Value);
    sc.heatmaps.push_back(std::move(h));
    sc.texts.push_back({x, maps_top, 13, theme.ink, "the picture (true colour)", false});
    // The note under it, wrapped to the room (DejaVu Sans: about 0.6 em a character).
    const float room = sc.width - x - kMargin;
    float y = maps_top + 20 + cell * float(small.height) + 6;
    for (const std::string& line : wrap_words(note, std::size_t(std::max(12.0f, room / (0.6f * kNoteSize))))) {
        if (line.empty()) continue;
        sc.texts.push_back({x, y, kNoteSize, faint, line, false});
        y += kNoteSize + 4;
    }
}

}  // namespace convscope
