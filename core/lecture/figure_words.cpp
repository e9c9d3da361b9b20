#include "core/lecture/figure_words.hpp"

#include <algorithm>
#include <cmath>

#include "core/scene/text_metrics.hpp"

namespace convscope {

namespace {

using Extent = std::array<float, 4>;  // left, top, right, bottom

float text_width(const std::string& text, float size) {
    return size * std::max(0.55f * float(code_point_count(text)), dejavu_advance_em(text));
}

float overlap_1d(float a0, float a1, float b0, float b1) { return std::min(a1, b1) - std::max(a0, b0); }

Extent heatmap_box(const SceneHeatmap& h) { return {h.x, h.y, h.x + h.cell * float(h.cols), h.y + h.cell * float(h.rows)}; }

}  // namespace

float cell_under(const Scene& sc, const SceneText& t) {
    if (!t.centered) return 0;
    for (const SceneHeatmap& h : sc.heatmaps) {
        const Extent b = heatmap_box(h);
        if (t.x >= b[0] && t.x <= b[2] && t.y >= b[1] && t.y <= b[3]) return h.cell;
    }
    for (const SceneRect& r : sc.rects) {
        const bool cell = r.role == RectRole::InputCell || r.role == RectRole::KernelCell || r.role == RectRole::OutputCell ||
                          r.role == RectRole::CroppedCell || r.role == RectRole::Inset;
        if (cell && t.x >= r.x && t.x <= r.x + r.w && t.y >= r.y && t.y <= r.y + r.h) return std::min(r.w, r.h);
    }
    return 0;
}

namespace {

/// What the growing knows of each text, and of the other page's figure laid into this
/// one's (a question and its answer are laid out as one, so that the reveal moves
/// nothing; the other's words make room but are not drawn).
struct Words {
    std::vector<float> drawn_size;  ///< as the figure drew it (scaled)
    /// Where the text's top was before it grew, moved as gaps open and keys flow. Two
    /// texts whose rows are close are side by side (a row of captions, a key's row),
    /// however tall they grew; otherwise the lower row's text goes under.
    std::vector<float> row;
    std::vector<bool> is_key_name;
    /// 0: on both pages, 1: this page's only, 2: the other page's only (dropped at the end).
    std::vector<int> origin;
    std::vector<bool> key_rect;  ///< a key's swatch or what is drawn on it (moves with its name)
    std::vector<bool> in_cell;   ///< a number in a map's cell (as large as the cell holds)

    /// Whether texts i and j are ever on one page (one of this page's and one of the
    /// other's are not).
    bool meet(std::size_t i, std::size_t j) const { return origin[i] + origin[j] != 3; }
    void add(std::size_t like) {
        drawn_size.push_back(drawn_size[like]);
        row.push_back(row[like]);
        is_key_name.push_back(false);
        origin.push_back(origin[like]);
        in_cell.push_back(false);
    }
};

/// One entry of a figure's key: its swatch (a square Legend rect), its name to the
/// right, and what is drawn on the swatch (a padding cell's dashes, an inserted zero's
/// hatching, the ring of the tap being added).
struct KeyEntry {
    std::size_t text = 0, swatch = 0;
    std::vector<std::size_t> rects, lines, twins;
    float growth = 1;  // the name's size now over its size as the figure drew it
};

/// The key's entries: a square Legend rect with a text starting just right of it, on its row.
std::vector<KeyEntry> key_entries(const Scene& sc, const std::vector<float>& drawn_size, const std::vector<int>& origin) {
    std::vector<KeyEntry> entries;
    // This page's names first; the other page's name on a swatch already taken is that
    // entry's twin (the same entry, its other page's name) and moves with it.
    for (int pass = 0; pass < 2; ++pass)
        for (std::size_t i = 0; i < sc.texts.size(); ++i) {
            const SceneText& t = sc.texts[i];
            if (t.centered || t.text.empty() || (origin[i] == 2) != (pass == 1)) continue;
            for (std::size_t j = 0; j < sc.rects.size(); ++j) {
                const SceneRect& r = sc.rects[j];
                if (r.role != RectRole::Legend || r.h <= 0 || std::abs(r.w - r.h) > 0.5f) continue;
                if (t.x < r.x + r.w || t.x > r.x + r.w + 0.8f * drawn_size[i] || std::abs(t.y - r.y) > 0.5f * drawn_size[i]) continue;
                const auto taken = std::find_if(entries.begin(), entries.end(), [&](const KeyEntry& e) { return e.swatch == j; });
                if (taken != entries.end()) {
                    taken->twins.push_back(i);
                    break;
                }
                KeyEntry e;
                e.text = i, e.swatch = j, e.growth = t.size / drawn_size[i];
                const Extent near{r.x - 0.35f * r.w, r.y - 0.35f * r.h, r.x + 1.35f * r.w, r.y + 1.35f * r.h};
                auto inside = [&](float x, float y) { return x >= near[0] && x <= near[2] && y >= near[1] && y <= near[3]; };
                for (std::size_t k = 0; k < sc.rects.size(); ++k)
                    if (k != j && inside(sc.rects[k].x, sc.rects[k].y) && inside(sc.rects[k].x + sc.rects[k].w, sc.rects[k].y + sc.rects[k].h))
                        e.rects.push_back(k);
                for (std::size_t k = 0; k < sc.lines.size(); ++k)
                    if (inside(sc.lines[k].x0, sc.lines[k].y0) && inside(sc.lines[k].x1, sc.lines[k].y1)) e.lines.push_back(k);
                entries.push_back(std::move(e));
                break;
            }
        }
    return entries;
}

/// Whether a horizontal cut at `y` through the column right of `left` crosses something
/// that would tear: a map, a rect (a key's swatch excepted), a closed polygon (a plane
/// of the perspective style).
bool cut_is_free(const Scene& sc, const Words& w, float y, float left) {
    auto across = [&](float x0, float top, float x1, float bottom) { return x1 > left && top < y - 0.5f && bottom > y + 0.5f && x0 < 1e8f; };
    for (const SceneHeatmap& h : sc.heatmaps) {
        const Extent b = heatmap_box(h);
        if (across(b[0], b[1], b[2], b[3])) return false;
    }
    for (std::size_t k = 0; k < sc.rects.size(); ++k) {
        const SceneRect& r = sc.rects[k];
        if (r.role != RectRole::Legend && !w.key_rect[k] && across(r.x, r.y, r.x + r.w, r.y + r.h)) return false;
    }
    for (const ScenePolygon& p : sc.polygons) {
        if (!p.closed) continue;
        Extent b{1e9f, 1e9f, -1e9f, -1e9f};
        for (int i = 0; i < p.count; ++i) {
            const auto& q = p.points[std::size_t(i)];
            b = {std::min(b[0], q[0]), std::min(b[1], q[1]), std::max(b[2], q[0]), std::max(b[3], q[1])};
        }
        if (across(b[0], b[1], b[2], b[3])) return false;
    }
    return true;
}

/// Moves everything at or under `y` and right of `left` down by `dy` (a line or an open
/// polyline that crosses `y` stretches).
void open_gap(Scene& sc, Words& w, float y, float dy, float left = -1e9f) {
    for (SceneHeatmap& h : sc.heatmaps)
        if (h.y >= y && h.x >= left) h.y += dy;
    for (SceneRect& r : sc.rects)
        if (r.y >= y && r.x >= left) r.y += dy;
    for (SceneLine& l : sc.lines) {
        if (l.y0 >= y && l.x0 >= left) l.y0 += dy;
        if (l.y1 >= y && l.x1 >= left) l.y1 += dy;
    }
    for (ScenePolygon& p : sc.polygons)
        for (int i = 0; i < p.count; ++i)
            if (p.points[std::size_t(i)][1] >= y && p.points[std::size_t(i)][0] >= left) p.points[std::size_t(i)][1] += dy;
    for (std::size_t i = 0; i < sc.texts.size(); ++i) {
        const Extent b = text_box(sc.texts[i]);
        if (b[1] >= y && b[0] >= left) sc.texts[i].y += dy, w.row[i] += dy;
    }
    for (GridPlacement* g : {&sc.input_grid, &sc.kernel_grid, &sc.output_grid, &sc.inset_grid})
        if (g->y >= y && g->x >= left) g->y += dy;
    for (GridPlacement& g : sc.stack_maps)
        if (g.y >= y && g.x >= left) g.y += dy;
}

/// Lays a key's entries out again at their grown size, left to right from where its
/// first entry was, wrapping at `right`: when any of its rows' entries run into each
/// other. (Rows of a key start at the same x and follow each other closely.) A key that
/// needs more rows than it had moves what is under it down as far.
void flow_keys(Scene& sc, Words& w, std::vector<KeyEntry> entries, float right) {
    if (entries.empty()) return;
    std::sort(entries.begin(), entries.end(), [&](const KeyEntry& a, const KeyEntry& b) {
        const SceneRect &ra = sc.rects[a.swatch], &rb = sc.rects[b.swatch];
        if (std::abs(ra.y - rb.y) > 0.5f * ra.h) return ra.y < rb.y;
        return ra.x < rb.x;
    });
    // Blocks of rows: a row joins the block above when it starts where that block starts.
    std::vector<std::vector<KeyEntry>> blocks;
    float block_x = 0, last_y = 0;
    for (KeyEntry& e : entries) {
        const SceneRect& r = sc.rects[e.swatch];
        const bool same_row = !blocks.empty() && std::abs(r.y - last_y) <= 0.5f * r.h;
        const bool next_row = !blocks.empty() && !same_row && std::abs(r.x - block_x) < 2 && r.y - last_y <= 3 * r.h;
        if (blocks.empty() || (!same_row && !next_row)) {
            blocks.emplace_back();
            block_x = r.x;
        }
        last_y = r.y;
        blocks.back().push_back(std::move(e));
    }
    for (const std::vector<KeyEntry>& block : blocks) {
        bool crowded = false;
        int old_rows = 1;
        for (std::size_t k = 0; k < block.size(); ++k) {
            const SceneText& t = sc.texts[block[k].text];
            float end = t.x + text_width(t.text, t.size);
            for (std::size_t twin : block[k].twins) end = std::max(end, sc.texts[twin].x + text_width(sc.texts[twin].text, sc.texts[twin].size));
            crowded |= end > right;
            if (k + 1 < block.size()) {
                const SceneRect& next = sc.rects[block[k + 1].swatch];
                const bool same_row = std::abs(next.y - sc.rects[block[k].swatch].y) <= 0.5f * next.h;
                crowded |= same_row && end + 0.3f * t.size > next.x;
                old_rows += !same_row;
            }
        }
        // (A key in a column, an entry a row, only needs its rows parted: part_rows.)
        if (!crowded || old_rows == int(block.size())) continue;
        // Where each entry goes: (x, y) of its swatch.
        const float x0 = sc.rects[block.front().swatch].x, y0 = sc.rects[block.front().swatch].y;
        std::vector<std::array<float, 2>> place;
        float x = x0, y = y0, row_step = 0;
        int new_rows = 1;
        for (const KeyEntry& e : block) {
            const SceneRect& swatch = sc.rects[e.swatch];
            const SceneText& t = sc.texts[e.text];
            float name_w = text_width(t.text, t.size);
            for (std::size_t k : e.twins) name_w = std::max(name_w, text_width(sc.texts[k].text, sc.texts[k].size));
            const float width = (t.x - swatch.x) * e.growth + name_w;
            row_step = std::max(t.size, swatch.h * e.growth) * 1.3f;
            if (x > x0 && x + width > right) x = x0, y += row_step, ++new_rows;
            place.push_back({x, y});
            x += width + 0.9f * t.size;
        }
        // The rows it adds: the old last row's top is where the cut goes under.
        const float last_row = sc.rects[block.back().swatch].y, added = y - y0 - (last_row - y0) * 1.0f;
        if (new_rows > old_rows && added > 0 && cut_is_free(sc, w, last_row + 0.5f * row_step, -1e9f))
            open_gap(sc, w, last_row + 0.5f * row_step, added);
        for (std::size_t n = 0; n < block.size(); ++n) {
            const KeyEntry& e = block[n];
            const SceneRect swatch = sc.rects[e.swatch];
            SceneText& t = sc.texts[e.text];
            const float g = e.growth, px = place[n][0], py = place[n][1];
            // Every point of the entry: from the swatch's corner, g times as far, from (px, py).
            auto moved_x = [&](float v) { return px + (v - swatch.x) * g; };
            auto moved_y = [&](float v) { return py + (v - swatch.y) * g; };
            for (std::size_t k : e.rects) {
                SceneRect& r = sc.rects[k];
                r.x = moved_x(r.x), r.y = moved_y(r.y), r.w *= g, r.h *= g;
            }
            for (std::size_t k : e.lines) {
                SceneLine& l = sc.lines[k];
                l.x0 = moved_x(l.x0), l.x1 = moved_x(l.x1), l.y0 = moved_y(l.y0), l.y1 = moved_y(l.y1);
            }
            SceneRect& r = sc.rects[e.swatch];
            r.x = px, r.y = py, r.w *= g, r.h *= g;
            for (std::size_t k : e.twins) {
                SceneText& twin = sc.texts[k];
                twin.x = moved_x(twin.x), twin.y = moved_y(twin.y);
                w.row[k] = twin.y;
            }
            t.x = moved_x(t.x), t.y = moved_y(t.y);
            w.row[e.text] = t.y;
        }
    }
}

/// A caption that runs into the text right of it on its row breaks into lines at its
/// spaces, each as wide as the gap allows (one word that is wider stays whole); what is
/// under it moves down to make room for its new lines.
void break_crowded_captions(Scene& sc, Words& w) {
    const std::size_t count = sc.texts.size();
    for (std::size_t i = 0; i < count; ++i) {
        const SceneText a = sc.texts[i];
        // (A code line's continuation starts with its indent: it stays whole.)
        if (a.centered || w.is_key_name[i] || a.text.empty() || a.text[0] == ' ' || a.text.find(' ') == std::string::npos) continue;
        const Extent ab = text_box(a);
        float room = 1e9f;
        for (std::size_t j = 0; j < sc.texts.size(); ++j) {
            const Extent bb = text_box(sc.texts[j]);
            if (j == i || !w.meet(i, j) || sc.texts[j].text.empty() || bb[0] <= ab[0]) continue;
            const float shorter = std::min(a.size, sc.texts[j].size);
            if (std::abs(bb[1] - ab[1]) < 0.35f * shorter && overlap_1d(ab[1], ab[3], bb[1], bb[3]) > 1 && bb[0] < ab[2] + 0.3f * a.size)
                room = std::min(room, bb[0] - 0.3f * a.size - ab[0]);
        }
        if (room >= ab[2] - ab[0]) continue;
        std::vector<std::string> lines;
        std::string line;
        std::size_t start = 0;
        // A note in brackets goes on a line of its own first ("input" / "(channel 0)").
        const std::size_t note = a.text.find(" (");
        if (note != std::string::npos && note > 0 && text_width(a.text.substr(0, note), a.size) <= room) {
            lines.push_back(a.text.substr(0, note));
            start = note + 1;
        }
        while (start <= a.text.size()) {
            const std::size_t end = std::min(a.text.find(' ', start), a.text.size());
            const std::string word = a.text.substr(start, end - start);
            const std::string longer = line.empty() ? word : line + " " + word;
            if (!line.empty() && text_width(longer, a.size) > room) {
                lines.push_back(line);
                line = word;
            } else {
                line = longer;
            }
            start = end + 1;
        }
        lines.push_back(line);
        const float cut = a.y + 0.5f * a.size, line_step = 1.2f * a.size;
        if (lines.size() < 2 || text_width(lines.front(), a.size) > room || !cut_is_free(sc, w, cut, -1e9f)) continue;
        open_gap(sc, w, cut, line_step * float(lines.size() - 1));
        sc.texts[i].text = lines.front();
        for (std::size_t k = 1; k < lines.size(); ++k) {
            SceneText next = a;
            next.text = lines[k];
            next.y = a.y + line_step * float(k);
            sc.texts.push_back(next);
            w.add(i);
            w.row.back() = next.y;
        }
    }
}

/// A centred name (a colour bar's, between its end values) that runs into a text on its
/// row moves under it, and what was under it moves down as far and half a line more, so
/// that the name does not read as the heading of what follows ("input value" over
/// "kernel"). Names on one row (the input's and the output's bars side by side) move in
/// one gap, as deep as the deepest needs: a gap opened for the second would push the
/// first, already lowered, down once more. (A cell's number, centred in its cell, stays.)
void lower_crowded_names(Scene& sc, Words& w) {
    struct Lowered {
        std::size_t text;
        float dy;
    };
    std::vector<Lowered> lowered;
    for (std::size_t i = 0; i < sc.texts.size(); ++i) {
        if (!sc.texts[i].centered || sc.texts[i].text.empty()) continue;
        const SceneText& c = sc.texts[i];
        const bool in_map = std::any_of(sc.heatmaps.begin(), sc.heatmaps.end(), [&](const SceneHeatmap& h) {
            const Extent b = heatmap_box(h);
            return c.x >= b[0] && c.x <= b[2] && c.y >= b[1] && c.y <= b[3];
        });
        if (in_map) continue;
        float under = -1e9f;
        for (std::size_t j = 0; j < sc.texts.size(); ++j) {
            const SceneText& n = sc.texts[j];
            if (n.centered || n.text.empty() || !w.meet(i, j)) continue;
            const Extent cb = text_box(c), nb = text_box(n);
            if (std::abs(w.row[i] - w.row[j]) < 0.35f * std::min(c.size, n.size) && overlap_1d(cb[0], cb[2], nb[0], nb[2]) > 1 &&
                overlap_1d(cb[1], cb[3], nb[1], nb[3]) > 1)
                under = std::max(under, nb[3]);
        }
        const float dy = under + 0.15f * c.size + c.size / 2 - c.y;
        if (under > -1e8f && dy > 0) lowered.push_back({i, dy});
    }
    std::vector<bool> done(lowered.size(), false);
    for (std::size_t a = 0; a < lowered.size(); ++a) {
        if (done[a]) continue;
        std::vector<std::size_t> row;
        float deepest = 0, size = 0, cut = -1e9f;
        for (std::size_t b = a; b < lowered.size(); ++b) {
            const std::size_t i = lowered[a].text, j = lowered[b].text;
            if (done[b] || std::abs(w.row[i] - w.row[j]) >= 0.35f * std::min(sc.texts[i].size, sc.texts[j].size)) continue;
            row.push_back(b);
            done[b] = true;
            deepest = std::max(deepest, lowered[b].dy);
            size = std::max(size, sc.texts[j].size);
            cut = std::max(cut, w.row[j] + 0.01f);
        }
        if (!cut_is_free(sc, w, cut, -1e9f)) continue;
        open_gap(sc, w, cut, deepest + 0.5f * size);
        for (std::size_t b : row) {
            SceneText& t = sc.texts[lowered[b].text];
            t.y += lowered[b].dy;
            w.row[lowered[b].text] = text_box(t)[1];
        }
    }
}

/// Where a grown text reaches into a text or a map under it, opens a gap above that
/// one, the topmost first: across the whole figure, or else in the column right of the
/// two (a list of words beside a tall map), until none does or no free cut parts them.
void part_rows(Scene& sc, Words& w) {
    for (int round = 0; round < 400; ++round) {
        float best_cut = 1e9f, best_push = 0, best_left = -1e9f;
        for (std::size_t i = 0; i < sc.texts.size(); ++i) {
            const SceneText& a = sc.texts[i];
            if (a.text.empty()) continue;
            const Extent ab = text_box(a);
            const float pad = 0.15f * a.size;
            // b is under a: a text on a lower row, or a map whose top is under a's.
            auto consider = [&](const Extent& bb, bool under) {
                if (!under || overlap_1d(ab[0], ab[2], bb[0], bb[2]) <= 1) return;
                if (ab[3] + pad <= bb[1] || bb[1] >= best_cut) return;
                const float cut = bb[1] - 0.01f;
                float left = -1e9f;
                if (!cut_is_free(sc, w, cut, left)) {
                    left = std::min(ab[0], bb[0]) - 1;
                    if (!cut_is_free(sc, w, cut, left)) return;
                }
                best_cut = cut, best_push = ab[3] + pad - bb[1], best_left = left;
            };
            for (std::size_t j = 0; j < sc.texts.size(); ++j)
                if (j != i && w.meet(i, j) && !sc.texts[j].text.empty())
                    consider(text_box(sc.texts[j]), w.row[j] > w.row[i] + 0.3f * std::min(w.drawn_size[i], w.drawn_size[j]));
            // (A map under a caption's top is under it: the caption grew into the map
            // below. A number in a cell, or a count in the cropped ring, sits on its map.)
            if (!w.in_cell[i] && !a.centered)
                for (const SceneHeatmap& h : sc.heatmaps) consider(heatmap_box(h), h.y > ab[1]);
            // (A colour bar under a caption, a key's swatch on the row under.)
            for (const SceneRect& r : sc.rects)
                if (r.role == RectRole::Legend) consider({r.x, r.y, r.x + r.w, r.y + r.h}, r.y > ab[1] + 0.35f * a.size);
        }
        if (best_push <= 0) return;
        open_gap(sc, w, best_cut, best_push, best_left);
    }
}

/// The last resort: texts that still run into each other shrink together, towards the
/// size the figure drew them at, until they part.
void shrink_crowded(Scene& sc, const Words& w) {
    for (int round = 0; round < 12; ++round) {
        bool shrank = false;
        for (std::size_t i = 0; i < sc.texts.size(); ++i)
            for (std::size_t j = i + 1; j < sc.texts.size(); ++j) {
                const SceneText &a = sc.texts[i], &b = sc.texts[j];
                if (a.text.empty() || b.text.empty() || !w.meet(i, j)) continue;
                const Extent ab = text_box(a), bb = text_box(b);
                if (overlap_1d(ab[0], ab[2], bb[0], bb[2]) <= 1 || overlap_1d(ab[1], ab[3], bb[1], bb[3]) <= 1) continue;
                for (std::size_t k : {i, j}) {
                    SceneText& t = sc.texts[k];
                    if (w.in_cell[k] && !(w.in_cell[i] && w.in_cell[j])) continue;  // (it fits its cell: the other gives way)
                    const float smaller = std::max(w.drawn_size[k], t.size * 0.9f);
                    shrank |= smaller < t.size;
                    t.size = smaller;
                }
            }
        if (!shrank) return;
    }
}

/// The numbers in cells of one size (one map's, or maps drawn alike) are one size: the
/// smallest any of them had to be on either page (a cell holding a count and a value
/// holds both smaller), so that the reveal does not shrink the question's numbers.
void even_cell_numbers(Scene& sc, const Words& w) {
    std::vector<std::pair<float, float>> smallest;  // cell side, smallest number in such cells
    std::vector<float> cell(sc.texts.size(), 0);
    for (std::size_t i = 0; i < sc.texts.size(); ++i) {
        if (!w.in_cell[i]) continue;
        cell[i] = cell_under(sc, sc.texts[i]);
        const auto same = std::find_if(smallest.begin(), smallest.end(), [&](const auto& p) { return std::abs(p.first - cell[i]) < 0.5f; });
        if (same == smallest.end()) smallest.push_back({cell[i], sc.texts[i].size});
        else same->second = std::min(same->second, sc.texts[i].size);
    }
    for (std::size_t i = 0; i < sc.texts.size(); ++i)
        for (const auto& [side, size] : smallest)
            if (cell[i] > 0 && std::abs(side - cell[i]) < 0.5f) sc.texts[i].size = std::min(sc.texts[i].size, size);
}

int overlapping_pairs(const Scene& sc) {
    int pairs = 0;
    for (std::size_t i = 0; i < sc.texts.size(); ++i) {
        if (sc.texts[i].text.empty()) continue;
        const Extent a = text_box(sc.texts[i]);
        for (std::size_t j = i + 1; j < sc.texts.size(); ++j) {
            if (sc.texts[j].text.empty()) continue;
            const Extent b = text_box(sc.texts[j]);
            pairs += overlap_1d(a[0], a[2], b[0], b[2]) > 1 && overlap_1d(a[1], a[3], b[1], b[3]) > 1;
        }
    }
    return pairs;
}

SceneHeatmap figure_skeleton_heatmap(const SceneHeatmap& h) {
    SceneHeatmap g;
    g.role = h.role, g.x = h.x, g.y = h.y, g.cell = h.cell, g.rows = h.rows, g.cols = h.cols;
    return g;
}

bool same_text(const SceneText& a, const SceneText& b) {
    return a.text == b.text && std::abs(a.x - b.x) < 0.5f && std::abs(a.y - b.y) < 0.5f && std::abs(a.size - b.size) < 0.01f && a.centered == b.centered;
}

/// Lays the other page's figure's words, maps, rects and planes into `sc` (what both
/// have once), marked as the other's.
void lay_in_other(Scene& sc, Words& w, const Scene& other) {
    for (const SceneText& t : other.texts) {
        const auto same = std::find_if(sc.texts.begin(), sc.texts.end(), [&](const SceneText& s) { return same_text(s, t); });
        if (same != sc.texts.end() && same - sc.texts.begin() < std::ptrdiff_t(w.origin.size())) {
            w.origin[std::size_t(same - sc.texts.begin())] = 0;
            continue;
        }
        sc.texts.push_back(t);
        w.origin.push_back(2);
    }
    for (const SceneHeatmap& h : other.heatmaps)
        if (std::none_of(sc.heatmaps.begin(), sc.heatmaps.end(), [&](const SceneHeatmap& s) {
                return s.x == h.x && s.y == h.y && s.cell == h.cell && s.rows == h.rows && s.cols == h.cols;
            }))
            sc.heatmaps.push_back(figure_skeleton_heatmap(h));
    for (const SceneRect& r : other.rects)
        if (std::none_of(sc.rects.begin(), sc.rects.end(),
                         [&](const SceneRect& s) { return s.x == r.x && s.y == r.y && s.w == r.w && s.h == r.h && s.role == r.role; }))
            sc.rects.push_back(r);
    for (const ScenePolygon& p : other.polygons) sc.polygons.push_back(p);
}

}  // namespace

std::array<float, 4> text_box(const SceneText& t) {
    const float w = text_width(t.text, t.size), h = t.size;
    if (t.centered) return {t.x - w / 2, t.y - h / 2, t.x + w / 2, t.y + h / 2};
    return {t.x, t.y, t.x + w, t.y + h};
}

int grow_figure_words(Scene& sc, const WordGrowth& growth, const Scene* other) {
    const std::size_t heatmaps = sc.heatmaps.size(), rects = sc.rects.size(), polygons = sc.polygons.size();
    Words w;
    w.origin.assign(sc.texts.size(), 1);
    if (other) lay_in_other(sc, w, *other);
    bool grew = false;
    for (SceneText& t : sc.texts) {
        w.drawn_size.push_back(t.size);
        w.row.push_back(text_box(t)[1]);
        w.in_cell.push_back(false);
        if (t.size >= growth.floor) continue;
        float grown = std::min(growth.floor, t.size * growth.max_growth);
        // A cell's number (centred in it) stays centred and grows only as far as its
        // cell holds it; any other text keeps its top, and what it now reaches into
        // under it moves down.
        if (const float cell = cell_under(sc, t); cell > 0) {
            grown = std::max(t.size, std::min(grown, std::min(0.8f * cell, 0.9f * cell * t.size / text_width(t.text, t.size))));
            w.in_cell.back() = true;
        }
        grew |= grown > t.size;
        t.size = grown;
    }
    w.is_key_name.assign(sc.texts.size(), false);
    w.key_rect.assign(sc.rects.size(), false);
    if (grew) {
        const std::vector<KeyEntry> entries = key_entries(sc, w.drawn_size, w.origin);
        for (const KeyEntry& e : entries) {
            w.is_key_name[e.text] = w.key_rect[e.swatch] = true;
            for (std::size_t k : e.twins) w.is_key_name[k] = true;
            for (std::size_t k : e.rects) w.key_rect[k] = true;
        }
        flow_keys(sc, w, entries, growth.right);
        break_crowded_captions(sc, w);
        lower_crowded_names(sc, w);
        for (std::size_t i = 0; i < sc.texts.size(); ++i)
            if (!w.is_key_name[i]) keep_words_in(sc.texts[i], growth.left, growth.right);
        part_rows(sc, w);
        shrink_crowded(sc, w);
        even_cell_numbers(sc, w);
    }
    // The other page's words and shapes made room; they are not this page's.
    std::vector<SceneText> mine;
    for (std::size_t i = 0; i < sc.texts.size(); ++i)
        if (w.origin[i] != 2) mine.push_back(std::move(sc.texts[i]));
    sc.texts = std::move(mine);
    sc.heatmaps.resize(heatmaps);
    sc.rects.resize(rects);
    sc.polygons.resize(polygons);
    return overlapping_pairs(sc);
}

void keep_words_in(SceneText& t, float left, float right) {
    if (t.centered) return;
    const float w = text_width(t.text, t.size);
    if (t.x < left) t.x = left;
    if (t.x + w > right) t.x = std::max(left, right - w);
}

std::array<float, 4> figure_extent(const Scene& sc, bool text_width_counts) {
    Extent e{1e9f, 1e9f, -1e9f, -1e9f};
    auto add = [&](float x0, float y0, float x1, float y1) {
        e = {std::min(e[0], std::min(x0, x1)), std::min(e[1], std::min(y0, y1)), std::max(e[2], std::max(x0, x1)), std::max(e[3], std::max(y0, y1))};
    };
    for (const SceneHeatmap& h : sc.heatmaps) add(h.x, h.y, h.x + h.cell * float(h.cols), h.y + h.cell * float(h.rows));
    for (const SceneRect& r : sc.rects) add(r.x, r.y, r.x + r.w, r.y + r.h);
    for (const SceneLine& l : sc.lines) add(l.x0, l.y0, l.x1, l.y1);
    for (const ScenePolygon& p : sc.polygons)
        for (int i = 0; i < p.count; ++i) add(p.points[std::size_t(i)][0], p.points[std::size_t(i)][1], p.points[std::size_t(i)][0], p.points[std::size_t(i)][1]);
    for (const SceneText& t : sc.texts) {
        if (t.text.empty()) continue;
        const Extent b = text_box(t);
        if (text_width_counts) add(b[0], b[1], b[2], b[3]);
        else e[1] = std::min(e[1], b[1]), e[3] = std::max(e[3], b[3]);
    }
    if (e[0] > e[2]) return {0, 0, 0, 0};
    return e;
}

Scene figure_skeleton(const Scene& figure) {
    Scene s;
    s.width = figure.width, s.height = figure.height, s.background = figure.background;
    s.heatmaps.reserve(figure.heatmaps.size());
    for (const SceneHeatmap& h : figure.heatmaps) s.heatmaps.push_back(figure_skeleton_heatmap(h));
    s.polygons = figure.polygons;
    s.rects = figure.rects;
    s.lines = figure.lines;
    s.texts = figure.texts;
    s.input_grid = figure.input_grid, s.kernel_grid = figure.kernel_grid, s.output_grid = figure.output_grid;
    s.inset_grid = figure.inset_grid, s.stack_maps = figure.stack_maps;
    return s;
}

}  // namespace convscope
