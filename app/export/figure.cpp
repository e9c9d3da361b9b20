#include "app/export/figure.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>

#include "core/base/errors.hpp"

namespace convscope::exporting {

namespace {

/// The font every figure uses; fontconfig finds it (fonts-dejavu-core).
constexpr const char* kFontFamily = "DejaVu Sans";

struct CairoDeleter {
    void operator()(cairo_t* cr) const { cairo_destroy(cr); }
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
using CairoPtr = std::unique_ptr<cairo_t, CairoDeleter>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoDeleter>;

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

void set_color(cairo_t* cr, const Color& c) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a); }

void check(cairo_status_t status, const char* what) {
    if (status != CAIRO_STATUS_SUCCESS)
        throw UserError(std::string("cairo could not ") + what + ": " + cairo_status_to_string(status));
}

/// Cell borders of a heat map as rows+1 and cols+1 lines.
template <typename Line>
void grid_lines(const SceneHeatmap& h, Line&& line) {
    if (h.grid.a <= 0) return;
    const float w = h.cell * float(h.cols), ht = h.cell * float(h.rows);
    for (std::int64_t r = 0; r <= h.rows; ++r) line(h.x, h.y + h.cell * float(r), h.x + w, h.y + h.cell * float(r));
    for (std::int64_t c = 0; c <= h.cols; ++c) line(h.x + h.cell * float(c), h.y, h.x + h.cell * float(c), h.y + ht);
}

void polygon_path(cairo_t* cr, const ScenePolygon& p) {
    cairo_new_path(cr);
    for (int i = 0; i < p.count; ++i) cairo_line_to(cr, p.points[std::size_t(i)][0], p.points[std::size_t(i)][1]);
    if (p.closed) cairo_close_path(cr);
}

void draw_polygon(cairo_t* cr, const ScenePolygon& p) {
    if (p.closed && p.fill.a > 0) {
        polygon_path(cr, p);
        set_color(cr, p.fill);
        cairo_fill(cr);
    }
    if (p.stroke_width <= 0 || p.stroke.a <= 0) return;
    const double dash = p.dash;
    cairo_set_dash(cr, &dash, p.dash > 0 ? 1 : 0, 0);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    polygon_path(cr, p);
    set_color(cr, p.stroke);
    cairo_set_line_width(cr, p.stroke_width);
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
}

/// Draw the scene in scene units (the caller sets the scale).
void draw(cairo_t* cr, const Scene& sc) {
    set_color(cr, sc.background);
    cairo_paint(cr);
    for (const SceneHeatmap& h : sc.heatmaps) {
        // Cells overlap by a hair so antialiasing leaves no seams between them.
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
        for (std::int64_t r = 0; r < h.rows; ++r)
            for (std::int64_t c = 0; c < h.cols; ++c) {
                cairo_rectangle(cr, h.x + h.cell * float(c), h.y + h.cell * float(r), h.cell, h.cell);
                set_color(cr, h.cell_color(r, c));
                cairo_fill(cr);
            }
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
        set_color(cr, h.grid);
        cairo_set_line_width(cr, 1.0);
        grid_lines(h, [&](float x0, float y0, float x1, float y1) {
            cairo_move_to(cr, x0, y0);
            cairo_line_to(cr, x1, y1);
        });
        cairo_stroke(cr);
    }
    for (const ScenePolygon& p : sc.polygons) draw_polygon(cr, p);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    for (const SceneRect& r : sc.rects) {
        if (r.fill.a > 0) {
            cairo_rectangle(cr, r.x, r.y, r.w, r.h);
            set_color(cr, r.fill);
            cairo_fill(cr);
        }
        if (r.stroke_width > 0 && r.stroke.a > 0) {
            // inset by half the width so the outline stays on its cell, as ImGui draws it
            const double i = r.stroke_width / 2;
            const double dash = r.dash;
            cairo_set_dash(cr, &dash, r.dash > 0 ? 1 : 0, 0);
            cairo_rectangle(cr, r.x + i, r.y + i, r.w - 2 * i, r.h - 2 * i);
            set_color(cr, r.stroke);
            cairo_set_line_width(cr, r.stroke_width);
            cairo_stroke(cr);
        }
    }
    cairo_set_dash(cr, nullptr, 0, 0);  // lines are solid (a dashed outline drawn last left its dashes set)
    for (const SceneLine& l : sc.lines) {
        cairo_move_to(cr, l.x0, l.y0);
        cairo_line_to(cr, l.x1, l.y1);
        set_color(cr, l.color);
        cairo_set_line_width(cr, l.width);
        cairo_stroke(cr);
    }
    cairo_select_font_face(cr, kFontFamily, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    for (const SceneText& t : sc.texts) {
        if (t.text.empty()) continue;
        cairo_set_font_size(cr, t.size);
        cairo_font_extents_t fe;
        cairo_font_extents(cr, &fe);
        double x = t.x, y = t.y + fe.ascent;  // scene text is placed by its top-left corner
        if (t.centered) {
            cairo_text_extents_t te;
            cairo_text_extents(cr, t.text.c_str(), &te);
            x = t.x - te.x_advance / 2;
            y = t.y + (fe.ascent - fe.descent) / 2;
        }
        cairo_move_to(cr, x, y);
        set_color(cr, t.color);
        cairo_show_text(cr, t.text.c_str());
    }
}

std::string xml_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string rgb(const Color& c) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", int(std::lround(c.r * 255)), int(std::lround(c.g * 255)),
                  int(std::lround(c.b * 255)));
    return buf;
}

const char* role_class(RectRole role) {
    switch (role) {
        case RectRole::InputCell: return "cell input";
        case RectRole::KernelCell: return "cell kernel";
        case RectRole::OutputCell: return "cell output";
        case RectRole::Highlight: return "tap";
        case RectRole::Legend: return "legend";
        case RectRole::Inset: return "inset";
        case RectRole::Window: return "window";
        case RectRole::CroppedCell: return "cell cropped";
        case RectRole::Marker: return "marker";
        case RectRole::Connector: return "connector";
        case RectRole::Other: return "shape";
    }
    return "shape";
}

/// One polygon as a <path>, carrying the contract's class and data attributes where it
/// is a cell or a tap.
template <typename Num>
std::string svg_polygon(const ScenePolygon& p, Num&& num) {
    std::string out = "<path class=\"" + std::string(role_class(p.role)) + "\"";
    if (p.indexed)
        out += " data-layer=\"" + std::to_string(p.layer) + "\" data-channel=\"" + std::to_string(p.channel) + "\" data-row=\"" +
               std::to_string(p.row) + "\" data-col=\"" + std::to_string(p.col) + "\"";
    if (p.state) out += " data-state=\"" + std::string(p.state) + "\"";
    out += " d=\"";
    for (int i = 0; i < p.count; ++i)
        out += (i ? "L" : "M") + num(p.points[std::size_t(i)][0]) + " " + num(p.points[std::size_t(i)][1]);
    if (p.closed) out += "Z";
    out += "\"";
    out += p.closed && p.fill.a > 0 ? " fill=\"" + rgb(p.fill) + "\"" : std::string(" fill=\"none\"");
    if (p.closed && p.fill.a > 0 && p.fill.a < 1) out += " fill-opacity=\"" + num(p.fill.a) + "\"";
    if (p.stroke_width > 0 && p.stroke.a > 0) {
        out += " stroke=\"" + rgb(p.stroke) + "\" stroke-width=\"" + num(p.stroke_width) + "\" stroke-linejoin=\"miter\"";
        if (p.stroke.a < 1) out += " stroke-opacity=\"" + num(p.stroke.a) + "\"";
        if (p.dash > 0) out += " stroke-dasharray=\"" + num(p.dash) + "\"";
    }
    return out + "/>\n";
}

}  // namespace

void raster_size(const Scene& scene, double scale, bool even, int& width, int& height) {
    if (!(scale > 0) || scale > 16) throw UserError("scale " + std::to_string(scale) + " must be above 0 and at most 16");
    const double w = std::ceil(double(scene.width) * scale), h = std::ceil(double(scene.height) * scale);
    if (w < 1 || h < 1 || w > double(kMaxSide) || h > double(kMaxSide) || w * h > double(kMaxPixels))
        throw UserError("a " + std::to_string(int64_t(w)) + "x" + std::to_string(int64_t(h)) +
                        " pixel frame is above the limit (16384 a side, 2^25 pixels): use a smaller --scale");
    width = int(w);
    height = int(h);
    if (even) {
        width += width % 2;
        height += height % 2;
    }
}

void render_bgra(const Scene& scene, double scale, int width, int height, std::vector<std::uint8_t>& pixels) {
    SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height));
    check(cairo_surface_status(surface.get()), "create an image");
    {
        CairoPtr cr(cairo_create(surface.get()));
        cairo_scale(cr.get(), scale, scale);
        set_color(cr.get(), scene.background);
        cairo_paint(cr.get());  // also covers the odd pixel added for even sizes
        draw(cr.get(), scene);
        check(cairo_status(cr.get()), "draw the frame");
    }
    cairo_surface_flush(surface.get());
    const int stride = cairo_image_surface_get_stride(surface.get());
    const unsigned char* data = cairo_image_surface_get_data(surface.get());
    pixels.resize(std::size_t(width) * std::size_t(height) * 4);
    for (int y = 0; y < height; ++y)
        std::memcpy(pixels.data() + std::size_t(y) * std::size_t(width) * 4, data + std::size_t(y) * std::size_t(stride),
                    std::size_t(width) * 4);
}

std::string render_png(const Scene& scene, double scale) {
    int width = 0, height = 0;
    raster_size(scene, scale, false, width, height);
    SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height));
    check(cairo_surface_status(surface.get()), "create an image");
    {
        CairoPtr cr(cairo_create(surface.get()));
        cairo_scale(cr.get(), scale, scale);
        draw(cr.get(), scene);
        check(cairo_status(cr.get()), "draw the frame");
    }
    std::string bytes;
    check(cairo_surface_write_to_png_stream(surface.get(), append_bytes, &bytes), "encode the PNG");
    return bytes;
}

std::string render_pdf(const Scene& scene, double scale) {
    if (!(scale > 0) || scale > 16) throw UserError("scale " + std::to_string(scale) + " must be above 0 and at most 16");
    std::string bytes;
    {
        SurfacePtr surface(cairo_pdf_surface_create_for_stream(append_bytes, &bytes, scene.width * scale, scene.height * scale));
        check(cairo_surface_status(surface.get()), "create a PDF");
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "ConvScope");
        // A fixed date instead of the clock's: the same sheet or deck gives the same bytes,
        // also when two runs straddle a second.
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00Z");
        {
            CairoPtr cr(cairo_create(surface.get()));
            cairo_scale(cr.get(), scale, scale);
            draw(cr.get(), scene);
            check(cairo_status(cr.get()), "draw the frame");
        }
        cairo_surface_finish(surface.get());
        check(cairo_surface_status(surface.get()), "finish the PDF");
    }
    return bytes;
}

std::string render_pdf_pages(const std::vector<Scene>& pages, double scale) {
    if (!(scale > 0) || scale > 16) throw UserError("scale " + std::to_string(scale) + " must be above 0 and at most 16");
    if (pages.empty()) throw UserError("a PDF needs at least one page");
    std::string bytes;
    {
        SurfacePtr surface(cairo_pdf_surface_create_for_stream(append_bytes, &bytes, pages[0].width * scale, pages[0].height * scale));
        check(cairo_surface_status(surface.get()), "create a PDF");
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "ConvScope");
        // A fixed date instead of the clock's: the same sheet or deck gives the same bytes,
        // also when two runs straddle a second.
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00Z");
        for (const Scene& page : pages) {
            // The size of each page is set before anything is drawn on it.
            cairo_pdf_surface_set_size(surface.get(), page.width * scale, page.height * scale);
            CairoPtr cr(cairo_create(surface.get()));
            cairo_scale(cr.get(), scale, scale);
            draw(cr.get(), page);
            cairo_show_page(cr.get());
            check(cairo_status(cr.get()), "draw a page");
        }
        cairo_surface_finish(surface.get());
        check(cairo_surface_status(surface.get()), "finish the PDF");
    }
    return bytes;
}

std::string render_svg(const Scene& sc, double scale) {
    if (!(scale > 0) || scale > 16) throw UserError("scale " + std::to_string(scale) + " must be above 0 and at most 16");
    std::string out;
    char buf[512];
    auto num = [](double v) {
        char b[32];
        std::snprintf(b, sizeof b, "%.2f", v);
        std::string s = b;
        while (s.back() == '0') s.pop_back();  // 12.50 -> 12.5, 12.00 -> 12.
        if (s.back() == '.') s.pop_back();
        return s;
    };
    std::snprintf(buf, sizeof buf,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%s\" height=\"%s\" viewBox=\"0 0 %s %s\" "
                  "font-family=\"DejaVu Sans, Verdana, sans-serif\">\n",
                  num(sc.width * scale).c_str(), num(sc.height * scale).c_str(), num(sc.width).c_str(), num(sc.height).c_str());
    out += buf;
    out += "<rect class=\"background\" x=\"0\" y=\"0\" width=\"" + num(sc.width) + "\" height=\"" + num(sc.height) +
           "\" fill=\"" + rgb(sc.background) + "\"/>\n";
    for (const SceneHeatmap& h : sc.heatmaps) {
        out += "<g class=\"grid\">\n";
        for (std::int64_t r = 0; r < h.rows; ++r)
            for (std::int64_t c = 0; c < h.cols; ++c) {
                // What the cell is, for restyling and checking by script (the contract's attributes).
                std::string data;
                if (h.role == RectRole::InputCell || h.role == RectRole::KernelCell || h.role == RectRole::OutputCell ||
                    h.role == RectRole::Inset) {
                    data = " data-layer=\"" + std::to_string(h.layer) + "\" data-channel=\"" + std::to_string(h.channel) + "\" data-row=\"" +
                           std::to_string(h.row0 + r) + "\" data-col=\"" + std::to_string(h.col0 + c) + "\"";
                    if (h.filter >= 0) data += " data-filter=\"" + std::to_string(h.filter) + "\"";
                    if (!h.states.empty() && h.states[std::size_t(r * h.cols + c)] != CellState::Unset)
                        data += std::string(" data-state=\"") + cell_state_name(h.states[std::size_t(r * h.cols + c)]) + "\"";
                }
                out += "<rect class=\"" + std::string(role_class(h.role)) + "\"" + data + " x=\"" + num(h.x + h.cell * float(c)) +
                       "\" y=\"" + num(h.y + h.cell * float(r)) + "\" width=\"" + num(h.cell) + "\" height=\"" + num(h.cell) +
                       "\" fill=\"" + rgb(h.cell_color(r, c)) + "\"/>\n";
            }
        if (h.grid.a > 0) {
            out += "<path fill=\"none\" stroke=\"" + rgb(h.grid) + "\" stroke-opacity=\"" + num(h.grid.a) + "\" stroke-width=\"1\" d=\"";
            grid_lines(h, [&](float x0, float y0, float x1, float y1) {
                out += "M" + num(x0) + " " + num(y0) + "L" + num(x1) + " " + num(y1);
            });
            out += "\"/>\n";
        }
        out += "</g>\n";
    }
    for (const ScenePolygon& p : sc.polygons) out += svg_polygon(p, num);
    for (const SceneRect& r : sc.rects) {
        const double i = r.fill.a > 0 ? 0 : r.stroke_width / 2;
        std::string data;
        if (r.state != TapState::None) data += std::string(" data-state=\"") + tap_state_name(r.state) + "\"";
        if (r.indexed) data += " data-row=\"" + std::to_string(r.row) + "\" data-col=\"" + std::to_string(r.col) + "\"";
        out += "<rect class=\"" + std::string(role_class(r.role)) + "\"" + data + " x=\"" + num(r.x + i) + "\" y=\"" + num(r.y + i) +
               "\" width=\"" + num(r.w - 2 * i) + "\" height=\"" + num(r.h - 2 * i) + "\"";
        out += r.fill.a > 0 ? " fill=\"" + rgb(r.fill) + "\"" : std::string(" fill=\"none\"");
        if (r.fill.a > 0 && r.fill.a < 1) out += " fill-opacity=\"" + num(r.fill.a) + "\"";
        if (r.stroke_width > 0 && r.stroke.a > 0) {
            out += " stroke=\"" + rgb(r.stroke) + "\" stroke-width=\"" + num(r.stroke_width) + "\"";
            if (r.stroke.a < 1) out += " stroke-opacity=\"" + num(r.stroke.a) + "\"";
            if (r.dash > 0) out += " stroke-dasharray=\"" + num(r.dash) + "\"";
        }
        out += "/>\n";
    }
    for (const SceneLine& l : sc.lines)
        out += "<line x1=\"" + num(l.x0) + "\" y1=\"" + num(l.y0) + "\" x2=\"" + num(l.x1) + "\" y2=\"" + num(l.y1) +
               "\" stroke=\"" + rgb(l.color) + "\" stroke-width=\"" + num(l.width) + "\"" +
               (l.color.a < 1 ? " stroke-opacity=\"" + num(l.color.a) + "\"" : std::string()) + "/>\n";
    for (const SceneText& t : sc.texts) {
        if (t.text.empty()) continue;
        // Top-left placement: the baseline sits about 0.76 em below the top (DejaVu's ascent).
        out += "<text x=\"" + num(t.x) + "\" y=\"" + num(t.centered ? t.y + 0.36 * t.size : t.y + 0.76 * t.size) +
               "\" font-size=\"" + num(t.size) + "\" fill=\"" + rgb(t.color) + "\"";
        if (t.color.a < 1) out += " fill-opacity=\"" + num(t.color.a) + "\"";
        if (t.centered) out += " text-anchor=\"middle\"";
        out += ">" + xml_escape(t.text) + "</text>\n";
    }
    out += "</svg>\n";
    return out;
}

}  // namespace convscope::exporting
