#include "editor/viewport.hpp"

#include <algorithm>
#include <cmath>

namespace ui::editor {

Point Viewport::ToScreen(Point canvas, double scale) const {
    return {(canvas.x - offset_.x) * zoom_ * scale, (canvas.y - offset_.y) * zoom_ * scale};
}

Point Viewport::ToCanvas(Point screen, double scale) const {
    return {screen.x / (zoom_ * scale) + offset_.x, screen.y / (zoom_ * scale) + offset_.y};
}

Rect Viewport::Visible(Point screen_size, double scale) const {
    return {ToCanvas({0, 0}, scale), ToCanvas(screen_size, scale)};
}

void Viewport::Pan(double dx_pixels, double dy_pixels, double scale) {
    offset_.x -= dx_pixels / (zoom_ * scale);
    offset_.y -= dy_pixels / (zoom_ * scale);
}

void Viewport::ZoomAt(Point screen_anchor, double factor, double scale) {
    const Point anchored = ToCanvas(screen_anchor, scale);
    zoom_ = std::clamp(zoom_ * factor, kMinZoom, kMaxZoom);
    // Solve ToScreen(anchored) == screen_anchor for the new offset.
    offset_.x = anchored.x - screen_anchor.x / (zoom_ * scale);
    offset_.y = anchored.y - screen_anchor.y / (zoom_ * scale);
}

plan::Position Snap(plan::Position position) {
    return {std::round(position.x / kGridStep) * kGridStep, std::round(position.y / kGridStep) * kGridStep};
}

}  // namespace ui::editor
