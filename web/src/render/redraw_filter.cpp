#include "render/redraw_filter.hpp"

#include <cstring>

namespace ui {
namespace {

template <typename T>
void Append(std::vector<unsigned char>& out, const T* data, std::size_t count) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(data);
    out.insert(out.end(), bytes, bytes + sizeof(T) * count);
}

template <typename T>
void Append(std::vector<unsigned char>& out, const T& value) {
    Append(out, &value, 1);
}

// Everything the OpenGL backend reads from the draw data, in the order it reads it.
void Flatten(const ImDrawData& data, int fb_width, int fb_height, std::vector<unsigned char>& out) {
    out.clear();
    Append(out, fb_width);
    Append(out, fb_height);
    Append(out, data.DisplayPos);
    Append(out, data.DisplaySize);
    Append(out, data.FramebufferScale);
    Append(out, data.CmdListsCount);
    for (int n = 0; n < data.CmdListsCount; ++n) {
        const ImDrawList& list = *data.CmdLists[n];
        Append(out, list.VtxBuffer.Size);
        Append(out, list.VtxBuffer.Data, static_cast<std::size_t>(list.VtxBuffer.Size));
        Append(out, list.IdxBuffer.Size);
        Append(out, list.IdxBuffer.Data, static_cast<std::size_t>(list.IdxBuffer.Size));
        Append(out, list.CmdBuffer.Size);
        for (const ImDrawCmd& cmd : list.CmdBuffer) {
            Append(out, cmd.ClipRect);
            Append(out, cmd.TextureId);
            Append(out, cmd.VtxOffset);
            Append(out, cmd.IdxOffset);
            Append(out, cmd.ElemCount);
            Append(out, cmd.UserCallback);
        }
    }
}

// The input ImGui acted on this frame; the wheel and typed characters count whenever present.
void FlattenInput(const ImGuiIO& io, std::vector<unsigned char>& out) {
    out.clear();
    Append(out, io.MousePos);
    Append(out, io.MouseDown, IM_ARRAYSIZE(io.MouseDown));
    Append(out, io.KeysDown, IM_ARRAYSIZE(io.KeysDown));
    Append(out, io.KeyMods);
}

}  // namespace

bool RedrawFilter::SawInput(const ImGuiIO& io) {
    FlattenInput(io, input_now_);
    const bool changed = input_now_ != input_;
    input_.swap(input_now_);
    return changed || io.MouseWheel != 0 || io.MouseWheelH != 0 || !io.InputQueueCharacters.empty();
}

bool RedrawFilter::NeedsDraw(const ImDrawData& draw_data, int fb_width, int fb_height) {
    Flatten(draw_data, fb_width, fb_height, current_);
    if (current_ == drawn_) return false;
    drawn_.swap(current_);
    return true;
}

}  // namespace ui
