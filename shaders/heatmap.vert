#version 330 core
// A heat map is one quad over its cells. The quad's corners come from gl_VertexID
// (no vertex buffer needed): 0..3 as a triangle strip.
uniform vec4 u_rect;     // x0, y0, x1, y1 in ImGui's screen coordinates
uniform vec4 u_display;  // ImGui's DisplayPos.xy, DisplaySize.xy
out vec2 v_uv;           // 0..1 across the grid, v down

void main() {
    vec2 corner = vec2(float(gl_VertexID & 1), float((gl_VertexID >> 1) & 1));
    vec2 pos = mix(u_rect.xy, u_rect.zw, corner);
    vec2 ndc = (pos - u_display.xy) / u_display.zw * 2.0 - 1.0;
    gl_Position = vec4(ndc.x, -ndc.y, 0.0, 1.0);
    v_uv = corner;
}
