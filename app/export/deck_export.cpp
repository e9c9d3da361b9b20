#include "app/export/deck_export.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <unistd.h>

#include "app/export/figure.hpp"
#include "app/export/video.hpp"
#include "core/anim/matrix.hpp"
#include "core/anim/presets.hpp"
#include "core/base/errors.hpp"
#include "core/base/files.hpp"
#include "core/learn/lab.hpp"
#include "core/lecture/slide_page.hpp"
#include "core/scene/animation_scene.hpp"
#include "core/scene/dilation_context.hpp"
#include "core/scene/overlap_map.hpp"
#include "core/scene/scene_channels.hpp"
#include "core/scene/scene_lab.hpp"
#include "core/scene/scene_pipeline.hpp"

namespace convscope::exporting {

namespace fs = std::filesystem;
using std::int64_t;

namespace {

/// Training steps of a lab slide before its still (its steps' end, if it gives one).
constexpr int64_t kLabSlideSteps = 100;
/// The lab on a slide: a smaller picture than the app's, so a deck builds in seconds.
constexpr int64_t kLabSlideSize = 64;

Scene lab_figure(const Slide& slide) {
    const LabSettings settings = lab_slide_lab(slide);
    const int64_t steps = lab_slide_steps(slide);
    Lab lab(settings);
    lab.snapshot();
    for (int64_t k = 0; k < steps; ++k) {
        lab.step();
        if ((k + 1) % settings.snapshot_every == 0 && k + 1 < steps) lab.snapshot();
    }
    return build_lab_scene(lab.snapshot(), lab_slide_options());
}

/// A transposed layer's overlap under the field's sizes: how many taps land on each of
/// its output cells (k3 s2: 1, 2 and 4, the checkerboard), with the counts written
/// where the cells are large enough. Returns the y under it.
float add_overlap_map(Scene& sc, const Session& s, int64_t layer, float x, float y, const Color& ink) {
    OverlapMap overlap = overlap_map(s, layer, 1.0f);
    SceneHeatmap& map = overlap.map;
    map.cell = std::clamp(std::floor(280.0f / float(std::max(map.rows, map.cols))), 2.0f, 28.0f);
    const OverlapSummary& o = overlap.summary;
    char line[160];
    std::snprintf(line, sizeof line, "taps landing per output cell of layer %lld: %lld to %lld", static_cast<long long>(layer),
                  static_cast<long long>(o.min), static_cast<long long>(o.max));
    sc.texts.push_back({x, y, 13, ink, line});
    sc.texts.push_back({x, y + 19, 13, ink, o.checkerboard() ? "uneven inside: the checkerboard" : "even inside: no checkerboard"});
    map.x = x;
    map.y = y + 44;
    if (map.cell >= 18)
        for (int64_t r = 0; r < map.rows; ++r)
            for (int64_t c = 0; c < map.cols; ++c) {
                const Color fill = map.cell_color(r, c);
                const bool light = 0.2126f * fill.r + 0.7152f * fill.g + 0.0722f * fill.b > 0.45f;
                const float size = std::min(14.0f, map.cell * 0.55f);
                sc.texts.push_back({map.x + (float(c) + 0.5f) * map.cell, map.y + (float(r) + 0.5f) * map.cell, size,
                                    light ? Color{0, 0, 0, 1} : Color{1, 1, 1, 1},
                                    std::to_string(int64_t(map.values[std::size_t(r * map.cols + c)])), true});
            }
    const float bottom = map.y + map.cell * float(map.rows);
    sc.width = std::max(sc.width, map.x + map.cell * float(map.cols) + 8);
    sc.heatmaps.push_back(std::move(map));
    return bottom + 8;
}

/// The receptive field of the slide's output cell through every layer it shows: the
/// path-count map on the input (holes marked), with each layer's field size.
/// Before its question is answered (`answered` false with a question) the field is not
/// drawn: the input's grid, empty, and no field sizes (they are the answer).
Scene receptive_field_figure(const Slide& slide, const SceneOptions& options, bool answered) {
    const Session& s = slide.session;
    const int64_t last = slide_layer_count(slide) - 1;
    const Answer shape = compute_answer(s, last + 1, Question{QuestionKind::OutputShape, std::nullopt, ""});
    const std::array<int64_t, 2> cell =
        slide.question && slide.question->cell ? *slide.question->cell : representative_cell(shape.output_shape[2], shape.output_shape[3]);
    const RfResult rf = compute_receptive_field(session_rf_stack(s, last, cell[0], cell[1]));
    Scene sc;
    sc.background = s.dark ? Color{0.1f, 0.1f, 0.12f, 1} : Color{1, 1, 1, 1};
    const Color ink = s.dark ? Color{0.92f, 0.92f, 0.94f, 1} : Color{0.1f, 0.1f, 0.12f, 1};
    const float cell_px = std::clamp(560.0f / float(std::max(s.input_shape[2], s.input_shape[3])), 2.0f, 40.0f);
    const float top = 40;
    sc.heatmaps.push_back(rf_heatmap(rf, 0, 0, top, cell_px, s.dark, true));
    const bool hidden = slide.question && !answered;
    if (hidden) std::fill(sc.heatmaps.back().styles.begin(), sc.heatmaps.back().styles.end(), CellStyle::Empty);
    sc.texts.push_back({0, 0, 15, ink,
                        "Receptive field of output cell (" + std::to_string(cell[0]) + ", " + std::to_string(cell[1]) + ") on the " +
                            std::to_string(s.input_shape[2]) + "x" + std::to_string(s.input_shape[3]) +
                            (hidden ? " input" : " input (paths per cell; faded red: holes no path reaches)")});
    const float right = cell_px * float(s.input_shape[3]) + 24;
    float y = top;
    if (hidden) {
        sc.width = right + 300;
        sc.height = top + cell_px * float(s.input_shape[2]) + 8;
        return sc;
    }
    sc.texts.push_back({right, y, 14, ink, "field after each layer:"});
    y += 22;
    for (std::size_t i = 0; i < rf.summary.size(); ++i) {
        const RfSummary& r = rf.summary[i];
        char line[160];
        std::snprintf(line, sizeof line, "layer %zu (%s d=%lld): %gx%g", i, class_name(s.layers[i].kind),
                      static_cast<long long>(s.layers[i].dilation.h), r.rf_size[0], r.rf_size[1]);
        sc.texts.push_back({right, y, 13, ink, line});
        y += 19;
    }
    const GriddingHoles holes = gridding_holes(rf);
    char line[160];
    std::snprintf(line, sizeof line, "holes in its box: %lld of %lld cells", static_cast<long long>(holes.holes),
                  static_cast<long long>(holes.box_cells));
    sc.texts.push_back({right, y + 8, 13, ink, line});
    sc.width = right + 300;
    y += 40;
    if (s.layers[std::size_t(last)].kind == LayerKind::ConvTranspose2d) y = add_overlap_map(sc, s, last, right, y + 8, ink);
    sc.height = std::max(top + cell_px * float(s.input_shape[2]), y) + 8;
    if (!options.code_line.empty()) {
        sc.texts.push_back({0, sc.height, 13, ink, options.code_line});
        sc.height += 24;
    }
    return sc;
}

/// The session with the slide's layer and the options an export of it uses.
SceneOptions slide_options(const Slide& slide) {
    ExportRequest request;
    SceneOptions options = export_scene_options(slide.session, request);
    options.layer_index = std::clamp<int64_t>(slide.session.layer_index, 0, int64_t(slide.session.layers.size()) - 1);
    if (slide.view == SlideView::Pipeline) options.code_line.clear();  // the stack's own maps say what each layer is
    options.chain_halves = false;  // its question and answer are laid out alike
    // What the slide hides, hidden by the scene itself too: its output colour bar and its
    // arithmetic line give the values away (apply_hide then takes out the rest).
    options.hide_output = slide.hide.output || slide.hide.shape;
    options.hide_grid_size = slide.hide.shape;
    return options;
}

Scene animation_figure(const Slide& slide, const Animation& animation, int64_t frame, const SceneOptions& options) {
    switch (slide.view) {
        case SlideView::Pipeline: {
            const PipelineData data(slide.session);
            return build_pipeline_scene(slide.session, data, animation, frame, options);
        }
        case SlideView::Channels: {
            const ChannelsData data(animation);
            SceneOptions wide = options;
            wide.width = 1600;
            wide.height = 1000;
            return build_channels_scene(animation, data, frame, wide).scene;
        }
        case SlideView::Matrix: {
            const StepEngine& engine = animation.engine();
            const ConvMatrix m = convolution_matrix(engine, slide.session.in_channel);
            return build_matrix_scene(engine, animation.timeline().at(frame), m, slide.session.in_channel, options);
        }
        case SlideView::Canvas:
        case SlideView::ReceptiveField:
        case SlideView::Lab:
        case SlideView::DilationContext: break;
    }
    return animation_scene(animation, frame, options);
}

}  // namespace

bool slide_is_animated(const Slide& slide) {
    return slide.view != SlideView::Lab && slide.view != SlideView::DilationContext && slide.view != SlideView::ReceptiveField;
}

std::array<int64_t, 2> slide_frame_range(const Slide& slide) {
    const Animation animation(slide.session);
    const int64_t count = animation.frame_count();
    const int64_t first = slide.first_step.value_or(0), last = slide.last_step.value_or(count - 1);
    if (first >= count || last >= count)
        throw UserError("key 'steps': " + std::to_string(first) + ":" + std::to_string(last) + " is outside the animation's " +
                        std::to_string(count) + " steps (0.." + std::to_string(count - 1) + ")");
    return {first, last};
}

SlideFigureAnswers slide_figure_answers(const Slide& slide) {
    SlideFigureAnswers answers;
    if (slide.hide.output || slide.hide.shape)
        answers.hidden_shape =
            compute_answer(slide.session, slide_options(slide).layer_index + 1, Question{QuestionKind::OutputShape, std::nullopt, ""});
    if (slide.question && slide.question->kind == QuestionKind::CellsRead && slide.view == SlideView::Canvas)
        answers.cells_read = slide_answer(slide);
    return answers;
}

Scene slide_animation_figure(const Slide& slide, const Animation& animation, int64_t frame, bool answered) {
    return slide_animation_figure(slide, animation, frame, answered, slide_figure_answers(slide));
}

Scene slide_animation_figure(const Slide& slide, const Animation& animation, int64_t frame, bool answered,
                             const SlideFigureAnswers& answers) {
    SceneOptions options = slide_options(slide);
    const bool cells_read = answers.cells_read.has_value();
    if (answered) options.hide_output = options.hide_grid_size = false;
    // The arithmetic line names the cell being computed and its taps: not on a slide that
    // asks which cells one cell reads.
    if (cells_read) options.show_arithmetic = false;
    frame = std::clamp<int64_t>(frame, 0, animation.frame_count() - 1);
    Scene figure = animation_figure(slide, animation, frame, options);
    if (!answered && answers.hidden_shape) {
        const Answer& shape = *answers.hidden_shape;
        apply_hide(figure, slide.hide, options.layer_index + 1, shape.output_shape[2], shape.output_shape[3]);
    }
    // Which cells one output cell reads: the question points at the cell and shows no
    // step's taps (they would be the answer, or another cell's); the answer lights the cells.
    if (cells_read) {
        const Answer& answer = *answers.cells_read;
        hide_step_marks(figure);
        if (!answered) hide_landed_counts(figure);
        mark_cells_read(figure, answer.cell, answered ? &answer.cells : nullptr);
    }
    return figure;
}

LabSettings lab_slide_lab(const Slide& slide) {
    LabSettings settings;
    if (slide.session.lab) settings = slide.session.lab->settings;
    else settings.preset = is_lab_preset(slide.preset) ? slide.preset : "lab-upsampling";
    settings.size = kLabSlideSize;
    settings.image_path = slide.session.image_path;
    return settings;
}

int64_t lab_slide_steps(const Slide& slide) {
    const int64_t steps = slide.last_step ? *slide.last_step : kLabSlideSteps;
    if (steps > kMaxLabSlideSteps)
        throw UserError("key 'steps': a lab slide trains at most " + std::to_string(kMaxLabSlideSteps) + " steps, not " + std::to_string(steps));
    return steps;
}

LabSceneOptions lab_slide_options() {
    LabSceneOptions options;
    options.slide = true;
    options.picture_cell = 3;
    return options;
}

Scene slide_frame_figure(const Slide& slide, int64_t frame, bool answered) {
    const SceneOptions options = slide_options(slide);
    switch (slide.view) {
        case SlideView::Lab: return lab_figure(slide);
        case SlideView::DilationContext:
            return build_dilation_context_scene(compute_dilation_context(slide.session.image_path, ContextKernel::Sobel), ContextSceneOptions{});
        case SlideView::ReceptiveField: return receptive_field_figure(slide, options, answered);
        case SlideView::Canvas:
        case SlideView::Pipeline:
        case SlideView::Channels:
        case SlideView::Matrix: break;
    }
    const Animation animation(slide.session);
    return slide_animation_figure(slide, animation, frame, answered);
}

Scene slide_figure(const Slide& slide, bool finished) {
    if (!slide_is_animated(slide)) return slide_frame_figure(slide, 0, finished);
    const auto [first, last] = slide_frame_range(slide);
    if (finished) {
        const Animation animation(slide.session);
        return slide_frame_figure(slide, animation.frame_count() - 1, true);
    }
    // The representative frame: the end of the slide's steps, or part-way through (an
    // interior output cell, being computed), not the finished picture.
    const int64_t frame = slide.last_step ? last : first + (last - first) / 2;
    return slide_frame_figure(slide, frame);
}

/// The page's words: the title (the preset's when the slide has none), the question,
/// the footer.
PageText slide_text(const Deck& deck, std::size_t index, const std::optional<Answer>& answer) {
    const Slide& slide = deck.slides[index];
    std::string title = slide.title;
    if (title.empty()) title = slide.preset.empty() ? "Slide " + std::to_string(index + 1) : find_preset(slide.preset).title;
    PageText text{title, {}, (deck.title.empty() ? "" : deck.title + "  -  ") + std::to_string(index + 1) + " / " + std::to_string(deck.slides.size())};
    if (slide.question && answer) {
        text.lines.push_back(slide.question->text.empty() ? question_prompt(slide.question->kind, answer->cell) : slide.question->text);
        // What the figure does not show and the question needs (the layers, the input's
        // size): after the question where the line stays short (110 characters fit a
        // 1280x720 projector's line at its smallest type), else on its own line; the
        // figure keeps the room.
        if (const std::string context = question_context(slide, *answer); !context.empty()) {
            if (text.lines.back().size() + 1 + context.size() <= 110) text.lines.back() += " " + context;
            else text.lines.push_back(context);
        }
    }
    return text;
}

float slide_text_growth(const Slide& slide) {
    const SlideView v = slide.view;
    const bool dense = v == SlideView::Lab || v == SlideView::Channels || v == SlideView::Pipeline || v == SlideView::DilationContext;
    return dense ? kDenseFigureMaxTextGrowth : 1e6f;
}

namespace {

/// A slide's page as the presenter lays it out on a 1920x1080 projector (`keep`: the
/// placement its frames share, so that a video's figure does not move).
Scene deck_page(const Slide& slide, const Scene& figure, const PageText& text, FigurePlacement* keep = nullptr, const PageRoom& also = {}) {
    return compose_screen_page(figure, text, kDeckPageWidth, kDeckPageHeight, slide_text_growth(slide), also, keep).scene;
}

/// The room a page of the pair (a question and its answer) needs, for the other one's
/// layout: both pages are laid out alike, so that turning the page moves nothing.
PageRoom room_of(const Scene& figure, const PageText& text) {
    PageRoom room;
    room.figure_width = figure.width;
    room.figure_height = figure.height;
    room.lines = text.lines;
    room.figure = &figure;
    return room;
}

}  // namespace

SlidePages slide_pages(const Deck& deck, std::size_t index) {
    const Slide& slide = deck.slides.at(index);
    try {
        SlidePages pages;
        if (slide.question) pages.answer = slide_answer(slide);
        const PageText text = slide_text(deck, index, pages.answer);
        const Scene figure = slide_figure(slide, false);
        if (!pages.answer) {
            pages.page = deck_page(slide, figure, text);
            return pages;
        }
        // The question and its answer share one layout (and one placement), as presented.
        const PageText answer{"Answer: " + text.title, answer_lines(*pages.answer), text.footer};
        const Scene finished = slide_figure(slide, true);
        FigurePlacement placement;
        pages.page = deck_page(slide, figure, text, &placement, room_of(finished, answer));
        pages.answer_page = deck_page(slide, finished, answer, &placement, room_of(figure, text));
        return pages;
    } catch (const UserError& e) {
        throw UserError("slide " + std::to_string(index + 1) + ": " + e.what());
    }
}

namespace {

std::string slide_file(std::size_t index, Format f) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "slide_%02zu.%s", index + 1, format_name(f));
    return buf;
}

/// The slide's animation (its steps) as frames of whole pages: the same title, question
/// and footer on each; a still view is one frame.
void write_slide_video(const Deck& deck, std::size_t index, const DeckExportRequest& req, const std::string& path) {
    const Slide& slide = deck.slides[index];
    const SlidePages pages = slide_pages(deck, index);
    std::vector<Scene> frames;
    if (slide_is_animated(slide)) {
        const PageText text = slide_text(deck, index, pages.answer);
        const auto [first, last] = slide_frame_range(slide);
        if (last - first + 1 > kMaxFrames)
            throw UserError("slide " + std::to_string(index + 1) + ": " + std::to_string(last - first + 1) + " frames is above the limit of " +
                            std::to_string(kMaxFrames) + ": give it a shorter steps range or a coarser granularity");
        FigurePlacement placement;
        for (int64_t f = first; f <= last; ++f) frames.push_back(deck_page(slide, slide_frame_figure(slide, f), text, &placement));
    } else {
        frames.push_back(pages.page);
    }
    // One size for every frame: the largest any needs.
    Scene probe = frames.front();
    for (const Scene& f : frames) probe.width = std::max(probe.width, f.width), probe.height = std::max(probe.height, f.height);
    int width = 0, height = 0;
    raster_size(probe, req.scale, req.format == Format::Mp4, width, height);
    VideoEncoder encoder(path, req.format == Format::Gif, width, height, req.fps);
    std::vector<std::uint8_t> pixels;
    for (const Scene& f : frames) {
        render_bgra(f, req.scale, width, height, pixels);
        encoder.add_frame(pixels);
    }
    encoder.finish();
}

}  // namespace

ExportResult run_deck_export(const Deck& deck, const DeckExportRequest& req) {
    if (!(req.scale > 0) || req.scale > 16) throw UserError("--scale " + std::to_string(req.scale) + " must be above 0 and at most 16");
    if (!(req.fps > 0) || req.fps > 120) throw UserError("--fps " + std::to_string(req.fps) + " must be above 0 and at most 120");
    if (deck.slides.empty()) throw UserError("the deck has no slides");
    ExportResult result;
    result.path = req.out;
    if (req.format == Format::Pdf) {
        check_extension(req.out, req.format, false);
        check_writable_target(req.out);
        std::vector<Scene> pages;
        for (std::size_t i = 0; i < deck.slides.size(); ++i) {
            SlidePages p = slide_pages(deck, i);
            pages.push_back(std::move(p.page));
            if (p.answer_page) pages.push_back(std::move(*p.answer_page));
        }
        const std::string bytes = render_pdf_pages(pages, req.scale);
        write_file_atomically(req.out, bytes);
        result.frames = int64_t(pages.size());
        result.width = int(std::ceil(pages.front().width * req.scale));
        result.height = int(std::ceil(pages.front().height * req.scale));
        return result;
    }
    // A folder: refused if it holds anything already; built whole in a temporary folder
    // beside it and renamed onto it.
    std::error_code ec;
    const fs::path out(req.out);
    if (fs::exists(out, ec) && (!fs::is_directory(out, ec) || !fs::is_empty(out, ec)))
        throw UserError("--out '" + req.out + "' exists and is not an empty folder: a deck is written into a new folder");
    const fs::path parent = out.has_parent_path() ? out.parent_path() : fs::path(".");
    if (!fs::is_directory(parent, ec)) throw UserError("cannot create '" + req.out + "': the folder '" + parent.string() + "' does not exist");
    const bool video = req.format == Format::Gif || req.format == Format::Mp4;
    std::vector<std::string> stills;
    if (!video) {
        for (std::size_t i = 0; i < deck.slides.size(); ++i) {
            const Scene page = slide_pages(deck, i).page;
            stills.push_back(req.format == Format::Png ? render_png(page, req.scale) : req.format == Format::Svg ? render_svg(page, req.scale) : render_pdf(page, req.scale));
            if (i == 0) raster_size(page, req.scale, false, result.width, result.height);
        }
    } else {
        for (std::size_t i = 0; i < deck.slides.size(); ++i) (void)slide_pages(deck, i);  // the whole deck checked first
        (void)find_ffmpeg("writing a deck's slides as GIF or MP4");
    }
    const fs::path temp = parent / (out.filename().string() + ".partial-" + std::to_string(::getpid()));
    fs::remove_all(temp, ec);
    if (!fs::create_directory(temp, ec) || ec) throw UserError("cannot create the folder '" + temp.string() + "': " + ec.message());
    try {
        for (std::size_t i = 0; i < deck.slides.size(); ++i) {
            const std::string path = (temp / slide_file(i, req.format)).string();
            if (video) write_slide_video(deck, i, req, path);
            else write_file_atomically(path, stills[i]);
        }
        if (fs::exists(out, ec)) fs::remove(out, ec);  // the empty folder it replaces
        fs::rename(temp, out, ec);
        if (ec) throw UserError("cannot rename '" + temp.string() + "' to '" + req.out + "': " + ec.message());
    } catch (...) {
        fs::remove_all(temp, ec);
        throw;
    }
    result.frames = int64_t(deck.slides.size());
    return result;
}

}  // namespace convscope::exporting
