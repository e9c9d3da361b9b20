#version 330 core
// One texel per cell: r = the cell's position t in [0, 1] on the colour map (computed
// on the CPU by SceneHeatmap::t, the function the exporters use), g = its style
// (0 value, 1 faded value, 2 empty). The colour comes from u_colormap, a 256-texel
// strip filled from convscope::viridis(): screen and exported figures agree, and two
// texture lookups are all a software rasterizer has to do per pixel.
uniform sampler2D u_cells;
uniform sampler2D u_colormap;
uniform vec4 u_empty;        // colour of empty cells
uniform vec4 u_background;   // faded cells mix toward it
uniform float u_fade;        // share of the background in a faded cell
in vec2 v_uv;
out vec4 frag_color;

void main() {
    vec2 cell = texture(u_cells, v_uv).rg;
    // texel centres: t = 0 and t = 1 hit the first and last entries exactly
    vec3 color = texture(u_colormap, vec2(cell.r * (255.0 / 256.0) + 0.5 / 256.0, 0.5)).rgb;
    color = mix(color, u_background.rgb, step(0.5, cell.g) * u_fade);
    frag_color = mix(vec4(color, 1.0), u_empty, step(1.5, cell.g));
}
