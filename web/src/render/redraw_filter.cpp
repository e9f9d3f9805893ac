#include "render/redraw_filter.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace ui {
namespace {

using Bytes = RedrawFilter::Bytes;

template <typename T>
void Append(Bytes& out, const T* data, std::size_t count) {
    out.Append(data, sizeof(T) * count);
}

template <typename T>
void Append(Bytes& out, const T& value) {
    out.Append(&value, sizeof(T));
}

// Everything the OpenGL backend reads from the draw data, in the order it reads it.
void Flatten(const ImDrawData& data, int fb_width, int fb_height, Bytes& out) {
    out.size = 0;
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
void FlattenInput(const ImGuiIO& io, Bytes& out) {
    out.size = 0;
    Append(out, io.MousePos);
    Append(out, io.MouseDown, IM_ARRAYSIZE(io.MouseDown));
    Append(out, io.KeysDown, IM_ARRAYSIZE(io.KeysDown));
    Append(out, io.KeyMods);
}

}  // namespace

void RedrawFilter::Bytes::Append(const void* bytes, std::size_t count) {
    if (data.size() < size + count) data.resize(std::max(data.size() * 2, size + count));
    std::memcpy(data.data() + size, bytes, count);
    size += count;
}

bool RedrawFilter::Bytes::operator==(const Bytes& other) const {
    return size == other.size && (size == 0 || std::memcmp(data.data(), other.data.data(), size) == 0);
}

bool RedrawFilter::SawInput(const ImGuiIO& io) {
    FlattenInput(io, input_now_);
    const bool changed = !(input_now_ == input_);
    std::swap(input_, input_now_);
    return changed || io.MouseWheel != 0 || io.MouseWheelH != 0 || !io.InputQueueCharacters.empty();
}

bool RedrawFilter::NeedsDraw(const ImDrawData& draw_data, int fb_width, int fb_height) {
    Flatten(draw_data, fb_width, fb_height, current_);
    if (current_ == drawn_) return false;
    std::swap(drawn_, current_);
    return true;
}

}  // namespace ui
