#pragma once
// Draws a frame only when it would look different. ImGui rebuilds its draw data every frame; when the
// data is byte-for-byte what the screen already shows (the mouse moved over plain canvas, nothing is
// animating), sending it to the GPU again would redraw identical pixels. WebGL keeps showing the last
// frame drawn when a frame draws nothing, so such frames cost the GPU and the compositor nothing.
// main.cpp asks every frame; the frame-time probe records the frames that drew or had input.
#include <cstddef>
#include <vector>

#include <imgui.h>

namespace ui {

class RedrawFilter {
public:
    // Whether ImGui got input for this frame (mouse, wheel, keys, typed text). Call between
    // ImGui::NewFrame() and ImGui::Render(): Render forgets the wheel and the typed characters.
    bool SawInput(const ImGuiIO& io);
    // Whether this frame's draw data (or the framebuffer size) differs from the last frame drawn; when
    // it does, it becomes the last frame drawn and the caller sends it to the GPU.
    bool NeedsDraw(const ImDrawData& draw_data, int fb_width, int fb_height);
    // The next frame draws whatever it holds (the canvas was cleared, a texture was rebuilt).
    void Invalidate() { drawn_.size = 0; }

    // A frame's bytes. Only ever grows, and compares with memcmp: with -Os, clearing and comparing
    // std::vector<unsigned char> ran element by element (3.6 ms a frame on the loaded build machine).
    struct Bytes {
        std::vector<unsigned char> data;
        std::size_t size = 0;
        void Append(const void* bytes, std::size_t count);
        bool operator==(const Bytes& other) const;
    };

private:
    Bytes drawn_;    // the last drawn frame, flattened
    Bytes current_;  // this frame, flattened (kept to reuse its memory)
    Bytes input_;    // the previous frame's input state, flattened
    Bytes input_now_;
};

}  // namespace ui
