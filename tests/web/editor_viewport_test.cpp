// The canvas camera: screen <-> canvas round trips, zoom about the mouse, pan, grid snap.
#include <gtest/gtest.h>

#include "editor/viewport.hpp"

namespace ui::editor {
namespace {

TEST(EditorViewport, StartsAtOneToOne) {
    Viewport view;
    const Point screen = view.ToScreen({120, 80});
    EXPECT_DOUBLE_EQ(screen.x, 120);
    EXPECT_DOUBLE_EQ(screen.y, 80);
    // A high-DPI screen shows one canvas unit per CSS pixel: twice the device pixels.
    EXPECT_DOUBLE_EQ(view.ToScreen({120, 80}, 2).x, 240);
}

TEST(EditorViewport, ZoomKeepsThePointUnderTheMouse) {
    Viewport view;
    view.Pan(-35, 10);
    const Point mouse{400, 300};
    const Point before = view.ToCanvas(mouse, 1.5);
    view.ZoomAt(mouse, 1.25, 1.5);
    const Point after = view.ToCanvas(mouse, 1.5);
    EXPECT_NEAR(after.x, before.x, 1e-9);
    EXPECT_NEAR(after.y, before.y, 1e-9);
    EXPECT_DOUBLE_EQ(view.Zoom(), 1.25);
}

TEST(EditorViewport, ZoomIsClamped) {
    Viewport view;
    for (int i = 0; i < 50; ++i) view.ZoomAt({0, 0}, 2);
    EXPECT_DOUBLE_EQ(view.Zoom(), kMaxZoom);
    for (int i = 0; i < 50; ++i) view.ZoomAt({0, 0}, 0.5);
    EXPECT_DOUBLE_EQ(view.Zoom(), kMinZoom);
}

TEST(EditorViewport, PanMovesContentWithTheMouse) {
    Viewport view;
    view.ZoomAt({0, 0}, 2);
    const Point before = view.ToScreen({100, 100});
    view.Pan(30, -20);
    const Point after = view.ToScreen({100, 100});
    EXPECT_DOUBLE_EQ(after.x - before.x, 30);
    EXPECT_DOUBLE_EQ(after.y - before.y, -20);
    const Point round = view.ToCanvas(view.ToScreen({13.5, -7}));
    EXPECT_NEAR(round.x, 13.5, 1e-9);
    EXPECT_NEAR(round.y, -7, 1e-9);
}

TEST(EditorViewport, SnapsToTheNearestGridPoint) {
    const plan::Position snapped = Snap({129, -11});
    EXPECT_DOUBLE_EQ(snapped.x, 120);
    EXPECT_DOUBLE_EQ(snapped.y, -20);
    EXPECT_DOUBLE_EQ(Snap({131, 9}).x, 140);
    EXPECT_DOUBLE_EQ(Snap({131, 9}).y, 0);
}

TEST(EditorViewport, VisibleRectFollowsPanZoomAndScale) {
    Viewport view;
    Rect shown = view.Visible({800, 400});
    EXPECT_DOUBLE_EQ(shown.min.x, 0);
    EXPECT_DOUBLE_EQ(shown.max.x, 800);
    EXPECT_DOUBLE_EQ(shown.max.y, 400);
    // A high-DPI screen has twice the pixels for the same canvas area.
    EXPECT_DOUBLE_EQ(view.Visible({800, 400}, 2).max.x, 400);
    view.ZoomAt({0, 0}, 2);  // zoomed in about the corner: half the area
    view.Pan(100, 0);        // dragged right by 100 px: the view moves left by 50 units at 200%
    shown = view.Visible({800, 400});
    EXPECT_DOUBLE_EQ(shown.min.x, -50);
    EXPECT_DOUBLE_EQ(shown.max.x, 350);
    EXPECT_DOUBLE_EQ(shown.max.y, 200);
}

TEST(EditorViewport, RectsOverlapWhenTheyShareAPoint) {
    const Rect a{{0, 0}, {100, 50}};
    EXPECT_TRUE(a.Overlaps({{50, 25}, {60, 30}}));     // inside
    EXPECT_TRUE(a.Overlaps({{100, 50}, {200, 90}}));   // touching corner
    EXPECT_FALSE(a.Overlaps({{101, 0}, {200, 50}}));   // right of it
    EXPECT_FALSE(a.Overlaps({{0, -30}, {100, -1}}));   // above it
    EXPECT_TRUE(a.Grown(2).Overlaps({{101, 0}, {200, 50}}));
}

}  // namespace
}  // namespace ui::editor
