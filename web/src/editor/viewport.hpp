#pragma once
// The canvas camera: pan and zoom between canvas units (plan positions; 1 unit = 1 CSS pixel at 100%)
// and screen pixels, plus grid snapping. Plain math, no ImGui, so it is unit-tested natively.
#include "plan/plan.hpp"

namespace ui::editor {

struct Point {
    double x = 0;
    double y = 0;
};

// An axis-aligned box in canvas units (min <= max).
struct Rect {
    Point min;
    Point max;
    // True when the two boxes share any point (touching edges count).
    bool Overlaps(const Rect& other) const {
        return min.x <= other.max.x && other.min.x <= max.x && min.y <= other.max.y && other.min.y <= max.y;
    }
    // The same box grown by `margin` on every side.
    Rect Grown(double margin) const { return {{min.x - margin, min.y - margin}, {max.x + margin, max.y + margin}}; }
};

inline constexpr double kMinZoom = 0.25;
inline constexpr double kMaxZoom = 4.0;
inline constexpr double kGridStep = 20;  // canvas units between grid lines; positions snap to it
// A node's box on the canvas, in canvas units; a component's position is the box's top-left corner.
inline constexpr double kNodeWidth = 200;
inline constexpr double kNodeHeight = 64;

class Viewport {
public:
    // Screen position (pixels, relative to the canvas's top-left) of a canvas point; `scale` is the
    // device pixel ratio, so 100% zoom shows one canvas unit per CSS pixel on any screen.
    Point ToScreen(Point canvas, double scale = 1) const;
    // The canvas point under a screen position; the inverse of ToScreen.
    Point ToCanvas(Point screen, double scale = 1) const;

    // Moves the view by a screen-pixel drag.
    void Pan(double dx_pixels, double dy_pixels, double scale = 1);
    // Multiplies the zoom by `factor` (clamped to [kMinZoom, kMaxZoom]) keeping the canvas point under
    // `screen_anchor` where it is, as a mouse wheel over a spot feels natural.
    void ZoomAt(Point screen_anchor, double factor, double scale = 1);

    // The part of the canvas a `screen_size` view shows (canvas units). The canvas draws only what
    // overlaps it: with 200 components most are off screen, and every vertex drawn costs the GPU.
    Rect Visible(Point screen_size, double scale = 1) const;

    double Zoom() const { return zoom_; }
    Point Offset() const { return offset_; }  // canvas point shown at the screen origin
    void Reset() { *this = Viewport{}; }

private:
    Point offset_{0, 0};
    double zoom_ = 1;
};

// The nearest grid point to `position` (every kGridStep canvas units).
plan::Position Snap(plan::Position position);

}  // namespace ui::editor
