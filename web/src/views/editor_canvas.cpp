// The canvas: a grid in canvas units under a pan/zoom camera (editor::Viewport), a link from each
// database to the VM that hosts it, and a node per component. Mouse: left-drag a node to move it (the
// selection moves together), drop a database onto a VM to host it there, drag on empty space to box
// select (Shift adds), middle-drag or Space+drag to pan, wheel to zoom at the mouse. Nothing is
// committed while dragging: one command on release, so a drag is one undo step.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "editor/canvas_labels.hpp"
#include "editor/viewport.hpp"
#include "theme.hpp"
#include "ui_probe.hpp"
#include "views/editor_canvas_payload.hpp"
#include "views/editor_views.hpp"

namespace ui::editor {
namespace {

constexpr ImU32 kCanvasBg = IM_COL32(250, 251, 253, 255);
constexpr ImU32 kGridColor = IM_COL32(226, 231, 238, 255);
constexpr ImU32 kNodeBg = IM_COL32(255, 255, 255, 255);
constexpr ImU32 kNodeBorder = IM_COL32(191, 199, 212, 255);
constexpr ImU32 kLinkColor = IM_COL32(100, 116, 139, 255);
constexpr ImU32 kDropColor = IM_COL32(22, 163, 74, 255);
constexpr ImU32 kBoxFill = IM_COL32(37, 99, 235, 30);

struct Frame {
    ImVec2 origin;  // canvas child's top-left on screen
    float scale;
    const Viewport* viewport;
    ImVec2 ToScreen(plan::Position p) const {
        const Point s = viewport->ToScreen({p.x, p.y}, scale);
        return ImVec2(origin.x + static_cast<float>(s.x), origin.y + static_cast<float>(s.y));
    }
    plan::Position ToCanvas(ImVec2 screen) const {
        const Point c = viewport->ToCanvas({screen.x - origin.x, screen.y - origin.y}, scale);
        return {c.x, c.y};
    }
    float Units(double canvas_units) const { return static_cast<float>(canvas_units * viewport->Zoom() * scale); }
};

bool IsDragged(const EditorState& editor, const std::string& id) {
    return editor.drag.mode == DragMode::MoveNodes &&
           std::find(editor.drag.ids.begin(), editor.drag.ids.end(), id) != editor.drag.ids.end();
}

plan::Position Shown(const EditorState& editor, const plan::Component& c) {
    if (!IsDragged(editor, c.id)) return c.position;
    return {c.position.x + editor.drag.delta.x, c.position.y + editor.drag.delta.y};
}

// Where a database dropped onto `vm` goes: to its right, on the grid, so the link reads left to right.
plan::Position BesideVm(const plan::Component& vm) {
    return Snap({vm.position.x + kNodeWidth + 80, vm.position.y});
}

// The VM a database would be hosted on if dropped at `point` now; "" when none.
std::string DropVm(const Document& doc, plan::Position point, const std::string& except) {
    const std::string hit = doc.ComponentAt(point, except);
    const plan::Component* c = hit.empty() ? nullptr : doc.Plan().Find(hit);
    return c && c->IsVm() ? hit : std::string();
}

void DrawGrid(ImDrawList* draw, const Frame& f, ImVec2 size) {
    draw->AddRectFilled(f.origin, ImVec2(f.origin.x + size.x, f.origin.y + size.y), kCanvasBg);
    const float step = f.Units(kGridStep);
    if (step < 6) return;  // zoomed far out: a grid this dense is noise
    const plan::Position top_left = f.ToCanvas(f.origin);
    const double first_x = std::floor(top_left.x / kGridStep) * kGridStep;
    const double first_y = std::floor(top_left.y / kGridStep) * kGridStep;
    for (float x = f.ToScreen({first_x, 0}).x; x < f.origin.x + size.x; x += step) {
        draw->AddLine(ImVec2(x, f.origin.y), ImVec2(x, f.origin.y + size.y), kGridColor);
    }
    for (float y = f.ToScreen({0, first_y}).y; y < f.origin.y + size.y; y += step) {
        draw->AddLine(ImVec2(f.origin.x, y), ImVec2(f.origin.x + size.x, y), kGridColor);
    }
}

// Canvas units around a node or link that its drawing may cover beyond its box: the shadow, the
// border, the link's end dots. Anything farther off screen than this is not drawn at all.
constexpr double kCullMargin = 24;

void DrawLinks(ImDrawList* draw, const Frame& f, const EditorState& editor, const Rect& visible) {
    const plan::Plan& plan = editor.doc.Plan();
    for (const plan::Component& c : plan.components) {
        const auto* pg = std::get_if<plan::PostgresSpec>(&c.spec);
        const plan::Component* vm = pg ? plan.Find(pg->host) : nullptr;
        if (!vm || !vm->IsVm()) continue;
        const plan::Position a = Shown(editor, *vm);
        const plan::Position b = Shown(editor, c);
        const Point start{a.x + kNodeWidth, a.y + kNodeHeight / 2};
        const Point end{b.x, b.y + kNodeHeight / 2};
        // The curve stays inside the box of its four control points: skip it when that box is off screen.
        const double bend = std::max(60.0, std::abs(end.x - start.x) * 0.5);
        const Rect hull{{std::min(start.x, end.x - bend), std::min(start.y, end.y)},
                        {std::max(start.x + bend, end.x), std::max(start.y, end.y)}};
        if (!hull.Grown(kCullMargin).Overlaps(visible)) continue;
        const ImVec2 from = f.ToScreen({start.x, start.y});
        const ImVec2 to = f.ToScreen({end.x, end.y});
        const float bend_px = f.Units(bend);
        draw->AddBezierCubic(from, ImVec2(from.x + bend_px, from.y), ImVec2(to.x - bend_px, to.y), to, kLinkColor,
                             2.0f * f.scale);
        draw->AddCircleFilled(from, 4 * f.scale, kLinkColor);
        draw->AddCircleFilled(to, 4 * f.scale, kLinkColor);
    }
}

void DrawNode(ImDrawList* draw, const Frame& f, const EditorState& editor, const plan::Component& c,
              const NodeLabel& label, bool drop_target) {
    const plan::Position p = Shown(editor, c);
    const ImVec2 min = f.ToScreen(p);
    const ImVec2 max = f.ToScreen({p.x + kNodeWidth, p.y + kNodeHeight});
    const bool selected = editor.doc.IsSelected(c.id);
    const bool error = editor.doc.CurrentProblems().ComponentHasError(c.id);
    const float rounding = 8 * f.scale * static_cast<float>(editor.viewport.Zoom());
    draw->AddRectFilled(ImVec2(min.x + 2 * f.scale, min.y + 3 * f.scale), ImVec2(max.x + 2 * f.scale, max.y + 3 * f.scale),
                        IM_COL32(15, 23, 42, 18), rounding);  // soft shadow
    draw->AddRectFilled(min, max, kNodeBg, rounding);
    ImU32 border = kNodeBorder;
    float thickness = 1.0f * f.scale;
    if (error) border = kColorError, thickness = 1.5f * f.scale;
    if (selected) border = kColorAccent, thickness = 2.5f * f.scale;
    if (drop_target) border = kDropColor, thickness = 3.0f * f.scale;
    draw->AddRect(min, max, border, rounding, 0, thickness);
    // An accent strip on the left says the kind at a glance: blue databases, slate VMs.
    const ImU32 strip = c.IsPostgres() ? kColorAccent : IM_COL32(71, 85, 105, 255);
    draw->AddRectFilled(min, ImVec2(min.x + 6 * f.scale, max.y), strip, rounding, ImDrawFlags_RoundCornersLeft);

    const float zoom = static_cast<float>(editor.viewport.Zoom());
    if (zoom < 0.5f) return;  // too small to read: the box and colours are enough
    ImFont* font = ImGui::GetFont();
    const float size = ImGui::GetFontSize() * std::min(zoom, 1.6f);
    const float pad = 14 * f.scale * zoom;
    const float clip = max.x - 8 * f.scale;
    const ImVec4 clip_rect(min.x, min.y, clip, max.y);  // long names are cut at the node's edge
    draw->AddText(font, size, ImVec2(min.x + pad, min.y + 7 * f.scale * zoom), ImGui::GetColorU32(ImGuiCol_Text),
                  label.title.c_str(), nullptr, 0, &clip_rect);
    // The detail on two lines (CanvasLabels splits it), so "pg-1 · PostgreSQL 17" and "on vm-1" are both
    // read whole at 100%; each line is probed with its drawn extent.
    const char* detail = label.detail.c_str();
    const char* ends[2] = {detail + label.line1_end, detail + label.detail.size()};
    const char* begins[2] = {detail, detail + label.line2_begin};
    const float detail_size = size * 0.8f;
    for (int i = 0; i < 2 && begins[i] < ends[i]; ++i) {
        const ImVec2 at(min.x + pad, min.y + (29.0f + 15.0f * static_cast<float>(i)) * f.scale * zoom);
        draw->AddText(font, detail_size, at, error ? kColorError : kColorMuted, begins[i], ends[i], 0, &clip_rect);
        const ImVec2 extent = font->CalcTextSizeA(detail_size, FLT_MAX, 0, begins[i], ends[i]);
        ProbeRect(label.subtitle_probe_ids[i], std::string_view(begins[i], static_cast<std::size_t>(ends[i] - begins[i])),
                  at.x, at.y, at.x + extent.x, at.y + extent.y);
    }
    if (drop_target) {
        const char* hint = "Drop to host the database here";
        draw->AddText(font, size * 0.85f, ImVec2(min.x, max.y + 4 * f.scale), kDropColor, hint);
    }
}

// Every node that overlaps the view, and its probe rectangle. Kept free of locals with destructors:
// under Emscripten's exception handling (-fexceptions) each call made while one is alive goes through
// a JavaScript trampoline, which made the per-node calls several times dearer.
void DrawNodes(ImDrawList* draw, const Frame& f, const EditorState& editor, const std::vector<NodeLabel>& labels,
               const Rect& visible, std::string_view drop_vm) {
    const std::vector<plan::Component>& components = editor.doc.Plan().components;
    for (std::size_t i = 0; i < components.size() && i < labels.size(); ++i) {
        const plan::Component& c = components[i];
        const plan::Position p = Shown(editor, c);
        const Rect box{{p.x, p.y}, {p.x + kNodeWidth, p.y + kNodeHeight}};
        // Off-screen nodes cost nothing; a drop target is always drawn (its hint hangs below the box).
        const bool drop_target = !drop_vm.empty() && c.id == drop_vm;
        if (!box.Grown(kCullMargin).Overlaps(visible) && !drop_target) continue;
        DrawNode(draw, f, editor, c, labels[i], drop_target);
        const ImVec2 min = f.ToScreen(p);
        const ImVec2 max = f.ToScreen({p.x + kNodeWidth, p.y + kNodeHeight});
        ProbeRect(labels[i].probe_id, c.Kind(), min.x, min.y, max.x, max.y);
    }
}

// Mouse handling for this frame: starts, updates and ends drags; commits one command on release.
void Interact(EditorState& editor, const Frame& f, bool hovered, ImVec2 size) {
    ImGuiIO& io = ImGui::GetIO();
    Document& doc = editor.doc;
    CanvasDrag& drag = editor.drag;
    const plan::Position mouse = f.ToCanvas(io.MousePos);
    const bool space = ImGui::IsKeyDown(ImGui::GetKeyIndex(ImGuiKey_Space)) && !io.WantTextInput;

    if (hovered && io.MouseWheel != 0) {
        // 10% per wheel step; a burst (fast trackpads send many steps at once) is capped so the view cannot jump.
        const double steps = std::clamp(static_cast<double>(io.MouseWheel), -5.0, 5.0);
        editor.viewport.ZoomAt({io.MousePos.x - f.origin.x, io.MousePos.y - f.origin.y}, std::pow(1.1, steps), f.scale);
    }
    if (hovered && drag.mode == DragMode::None) {
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Middle) || (space && ImGui::IsMouseClicked(ImGuiMouseButton_Left))) {
            drag = {};
            drag.mode = DragMode::Pan;
        } else if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
            const std::string hit = doc.ComponentAt(mouse);
            if (!hit.empty()) {
                if (io.KeyShift) {
                    doc.Select(hit, /*additive=*/true);
                } else if (!doc.IsSelected(hit)) {
                    doc.Select(hit);
                }
                if (doc.IsSelected(hit)) {
                    drag = {};
                    drag.mode = DragMode::MoveNodes;
                    drag.ids.assign(doc.Selection().begin(), doc.Selection().end());
                    drag.grabbed = hit;
                }
            } else {
                drag = {};
                drag.mode = DragMode::BoxSelect;
                drag.additive = io.KeyShift;
            }
            drag.start_canvas = {mouse.x, mouse.y};
        }
    }

    switch (drag.mode) {
        case DragMode::None: break;
        case DragMode::Pan:
            editor.viewport.Pan(io.MouseDelta.x, io.MouseDelta.y, f.scale);
            if (!ImGui::IsMouseDown(ImGuiMouseButton_Middle) && !ImGui::IsMouseDown(ImGuiMouseButton_Left)) drag = {};
            break;
        case DragMode::MoveNodes:
            drag.delta = {mouse.x - drag.start_canvas.x, mouse.y - drag.start_canvas.y};
            if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
                const plan::Component* grabbed = doc.Plan().Find(drag.grabbed);
                const std::string vm_id = grabbed && grabbed->IsPostgres() && drag.ids.size() == 1
                                              ? DropVm(doc, mouse, drag.grabbed) : std::string();
                if (!vm_id.empty()) {
                    // Dropped onto a VM: host it there and place it beside it, as one undo step.
                    plan::Component after = *grabbed;
                    std::get<plan::PostgresSpec>(after.spec).host = vm_id;
                    after.position = BesideVm(*doc.Plan().Find(vm_id));
                    doc.SetComponent(after, "Host " + after.id + " on " + vm_id);
                } else {
                    doc.Move(drag.ids, drag.delta.x, drag.delta.y);
                }
                drag = {};
            }
            break;
        case DragMode::BoxSelect: {
            const ImVec2 a = f.ToScreen({drag.start_canvas.x, drag.start_canvas.y});
            ImDrawList* draw = ImGui::GetWindowDrawList();
            draw->AddRectFilled(a, io.MousePos, kBoxFill);
            draw->AddRect(a, io.MousePos, kColorAccent);
            if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
                const float moved = std::abs(io.MousePos.x - a.x) + std::abs(io.MousePos.y - a.y);
                if (moved < 4 * f.scale) {
                    if (!drag.additive) doc.ClearSelection();  // a click on empty canvas
                } else {
                    doc.SelectInRect({drag.start_canvas.x, drag.start_canvas.y}, mouse, drag.additive);
                }
                drag = {};
            }
            break;
        }
    }
    (void)size;
}

}  // namespace

void DrawCanvas(EditorState& editor) {
    const float scale = Scale();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 size(std::max(ImGui::GetContentRegionAvail().x, 50.0f), std::max(ImGui::GetContentRegionAvail().y, 50.0f));
    editor.canvas_size = {size.x, size.y};
    ImGui::InvisibleButton("canvas", size, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonMiddle);
    Probe("editor/canvas", "canvas");
    const bool hovered = ImGui::IsItemHovered();
    // While a palette tile is held, the tile is the active item: ask for hovering despite it.
    const bool hovered_while_carrying = ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem);
    const Frame f{origin, scale, &editor.viewport};
    Document& doc = editor.doc;
    const plan::Position mouse = f.ToCanvas(ImGui::GetIO().MousePos);

    // A palette tile dropped here creates the component where it was let go.
    const ImGuiPayload* carried = ImGui::GetDragDropPayload();
    const bool carrying = carried && carried->IsDataType(kComponentPayload);
    const bool carrying_postgres = carrying && *static_cast<const int*>(carried->Data) == static_cast<int>(ComponentKind::Postgres);
    if (ImGui::BeginDragDropTarget()) {
        if (const ImGuiPayload* payload = ImGui::AcceptDragDropPayload(kComponentPayload)) {
            const auto kind = static_cast<ComponentKind>(*static_cast<const int*>(payload->Data));
            const std::string vm_id = kind == ComponentKind::Postgres ? DropVm(doc, mouse, {}) : std::string();
            if (!vm_id.empty()) {
                doc.AddComponent(kind, BesideVm(*doc.Plan().Find(vm_id)), vm_id);
            } else {
                doc.AddComponent(kind, {mouse.x - kNodeWidth / 2, mouse.y - kNodeHeight / 2});
            }
        }
        ImGui::EndDragDropTarget();
    }

    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->PushClipRect(origin, ImVec2(origin.x + size.x, origin.y + size.y), true);
    DrawGrid(draw, f, size);
    const Rect visible = editor.viewport.Visible({size.x, size.y}, scale);
    DrawLinks(draw, f, editor, visible);

    // Which VM lights up as a drop target: under a carried palette database or a dragged database node.
    std::string drop_vm;
    if (carrying_postgres && hovered_while_carrying) drop_vm = DropVm(doc, mouse, {});
    if (editor.drag.mode == DragMode::MoveNodes && editor.drag.ids.size() == 1) {
        const plan::Component* grabbed = doc.Plan().Find(editor.drag.grabbed);
        if (grabbed && grabbed->IsPostgres()) drop_vm = DropVm(doc, mouse, editor.drag.grabbed);
    }
    DrawNodes(draw, f, editor, editor.labels.Of(doc.Plan(), doc.Version(), kIconServer, kIconDatabase), visible, drop_vm);
    if (doc.Plan().components.empty()) {
        const char* hint = "Drag a PostgreSQL or a VM from the palette and drop it here.";
        const ImVec2 text = ImGui::CalcTextSize(hint);
        draw->AddText(ImVec2(origin.x + (size.x - text.x) * 0.5f, origin.y + (size.y - text.y) * 0.5f), kColorMuted, hint);
    }

    Interact(editor, f, hovered, size);

    char zoom[96];
    std::snprintf(zoom, sizeof zoom, "%d%%  ·  wheel: zoom  ·  middle or Space+drag: pan  ·  Shift: add to selection",
                  static_cast<int>(std::lround(editor.viewport.Zoom() * 100)));
    const ImVec2 zoom_at(origin.x + 8 * scale, origin.y + size.y - ImGui::GetTextLineHeight() - 6 * scale);
    const ImVec2 zoom_size = ImGui::CalcTextSize(zoom);
    // A backing strip keeps the hint readable over nodes.
    draw->AddRectFilled(ImVec2(zoom_at.x - 4 * scale, zoom_at.y - 2 * scale),
                        ImVec2(zoom_at.x + zoom_size.x + 4 * scale, zoom_at.y + zoom_size.y + 2 * scale),
                        IM_COL32(250, 251, 253, 230), 4 * scale);
    draw->AddText(zoom_at, kColorMuted, zoom);
    ProbeRect("editor/zoom", std::to_string(std::lround(editor.viewport.Zoom() * 100)) + "%", zoom_at.x, zoom_at.y,
              zoom_at.x + zoom_size.x, zoom_at.y + zoom_size.y);
    draw->PopClipRect();
}

}  // namespace ui::editor
