#version 330 core
// One texel per cell: r = the value, g = its style (0 value, 1 faded value, 2 empty).
// The value goes through viridis, with the same nine stops and the same linear
// interpolation as convscope::viridis() in core/scene.cpp, so the screen and the
// exported figures show the same colours.
uniform sampler2D u_cells;
uniform vec2 u_range;        // lo, hi
uniform int u_log_scale;     // 1: t = log(1 + v - lo) / log(1 + hi - lo)
uniform vec4 u_empty;        // colour of empty cells
uniform vec4 u_background;   // faded cells mix toward it
uniform float u_fade;        // share of the background in a faded cell
in vec2 v_uv;
out vec4 frag_color;

const vec3 kViridis[9] = vec3[9](
    vec3(0.267, 0.005, 0.329), vec3(0.283, 0.141, 0.458), vec3(0.254, 0.265, 0.530),
    vec3(0.207, 0.372, 0.553), vec3(0.164, 0.471, 0.558), vec3(0.128, 0.567, 0.551),
    vec3(0.135, 0.659, 0.518), vec3(0.478, 0.821, 0.318), vec3(0.993, 0.906, 0.144));

vec3 viridis(float t) {
    t = clamp(t, 0.0, 1.0) * 8.0;
    int i = min(7, int(t));
    return mix(kViridis[i], kViridis[i + 1], t - float(i));
}

void main() {
    vec2 cell = texture(u_cells, v_uv).rg;
    float style = cell.g;
    if (style > 1.5) {
        frag_color = u_empty;
        return;
    }
    float lo = u_range.x, hi = u_range.y;
    float t = 0.5;
    if (hi > lo) {
        t = u_log_scale == 1 ? log(1.0 + max(0.0, cell.r - lo)) / log(1.0 + hi - lo) : (cell.r - lo) / (hi - lo);
    }
    vec3 color = viridis(t);
    if (style > 0.5) color = mix(color, u_background.rgb, u_fade);
    frag_color = vec4(color, 1.0);
}
