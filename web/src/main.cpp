// Entry point of the browser app: GLFW window on the page's <canvas id="canvas">, a WebGL2 context,
// Dear ImGui, and a requestAnimationFrame main loop that draws App::Frame(). Single-threaded.
//
// Sizes: the canvas fills the window in CSS pixels (assets/site.css); its backing store is
// CSS size x devicePixelRatio so text is sharp on high-DPI screens. ImGui works in those device
// pixels, and the theme scales fonts and spacing by the same ratio.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <vector>

#include <emscripten.h>
#include <emscripten/html5.h>
#define GLFW_INCLUDE_ES3
#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>

#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include "app.hpp"
#include "platform/platform.hpp"
#include "render/redraw_filter.hpp"
#include "theme.hpp"

namespace {

GLFWwindow* g_window = nullptr;
ui::App* g_app = nullptr;
ui::RedrawFilter g_redraw;
int g_width = 0;
int g_height = 0;

// Dear ImGui 1.86 samples key state once per frame (io.KeysDown), so a key pressed and released between
// two frames (a quick tap, a burst of Backspaces, any automated key press) would be missed or merged.
// Editing and navigation keys therefore go through a queue that hands ImGui at most one transition per
// key per frame, and typed characters wait for the key events before them (and vice versa), so the
// order a person typed in is the order the text field sees.
struct InputEvent {
    bool is_char = false;
    unsigned codepoint = 0;
    int key = 0, scancode = 0, action = 0, mods = 0;
};
std::deque<InputEvent> g_input_queue;

// Keys whose up/down state ImGui reads (io.KeyMap), plus modifiers. Plain letters only matter with Ctrl
// (select all, copy, paste, undo), so typing text does not wait a frame per letter.
bool IsSequenced(int key, int mods) {
    switch (key) {
        case GLFW_KEY_TAB: case GLFW_KEY_LEFT: case GLFW_KEY_RIGHT: case GLFW_KEY_UP: case GLFW_KEY_DOWN:
        case GLFW_KEY_PAGE_UP: case GLFW_KEY_PAGE_DOWN: case GLFW_KEY_HOME: case GLFW_KEY_END:
        case GLFW_KEY_INSERT: case GLFW_KEY_DELETE: case GLFW_KEY_BACKSPACE: case GLFW_KEY_ENTER:
        case GLFW_KEY_ESCAPE: case GLFW_KEY_KP_ENTER:
        case GLFW_KEY_LEFT_CONTROL: case GLFW_KEY_RIGHT_CONTROL: case GLFW_KEY_LEFT_SHIFT:
        case GLFW_KEY_RIGHT_SHIFT: case GLFW_KEY_LEFT_ALT: case GLFW_KEY_RIGHT_ALT: case GLFW_KEY_LEFT_SUPER:
        case GLFW_KEY_RIGHT_SUPER:
            return true;
        default:
            return (mods & (GLFW_MOD_CONTROL | GLFW_MOD_SUPER)) != 0;
    }
}

void KeyCallback(GLFWwindow* window, int key, int scancode, int action, int mods) {
    if (!IsSequenced(key, mods)) {  // ImGui ignores its state, so its order does not matter
        ImGui_ImplGlfw_KeyCallback(window, key, scancode, action, mods);
        return;
    }
    g_input_queue.push_back({false, 0, key, scancode, action, mods});
}

void CharCallback(GLFWwindow*, unsigned int codepoint) { g_input_queue.push_back({true, codepoint}); }

// Emscripten 3.1.6's GLFW hands the DOM wheel event's raw deltas (pixels, positive = down) to the scroll
// callback, so ImGui scrolled the wrong way and ~100x too far. Read the DOM event instead and give ImGui
// what native GLFW gives: about +1 per notch scrolled up.
EM_BOOL WheelCallback(int, const EmscriptenWheelEvent* event, void*) {
    const double unit = event->deltaMode == DOM_DELTA_PIXEL ? 100.0 : event->deltaMode == DOM_DELTA_LINE ? 3.0 : 1.0;
    ImGui_ImplGlfw_ScrollCallback(g_window, -event->deltaX / unit, -event->deltaY / unit);
    return EM_TRUE;  // the page itself never scrolls under the app
}

// Before NewFrame: delivers queued input up to the first event that ImGui could not tell apart from
// one already delivered this frame.
void PumpInput() {
    bool delivered_keys = false;
    bool delivered_chars = false;
    std::vector<int> keys_this_frame;
    while (!g_input_queue.empty()) {
        const InputEvent& e = g_input_queue.front();
        if (e.is_char) {
            if (delivered_keys) break;
            ImGui_ImplGlfw_CharCallback(g_window, e.codepoint);
            delivered_chars = true;
        } else {
            if (delivered_chars ||
                std::find(keys_this_frame.begin(), keys_this_frame.end(), e.key) != keys_this_frame.end()) {
                break;
            }
            ImGui_ImplGlfw_KeyCallback(g_window, e.key, e.scancode, e.action, e.mods);
            keys_this_frame.push_back(e.key);
            delivered_keys = true;
        }
        g_input_queue.pop_front();
    }
}

EM_JS(double, cs_device_pixel_ratio, (), { return window.devicePixelRatio || 1; });

// Browser.setCanvasSize instead of glfwSetWindowSize: Emscripten's GLFW requests fullscreen when
// the size equals the screen's, which a full-window canvas often does. GLFW hears about the new
// size through Browser's resize listeners.
EM_JS(void, cs_set_canvas_size, (int width, int height), { Browser.setCanvasSize(width, height); });

EM_JS(void, cs_report_started, (), {
    if (typeof Module.onAppStarted === 'function') Module.onAppStarted();
});

// The canvas's CSS size in device pixels: what its drawing buffer should be. 0 x 0 while hidden.
void CanvasDevicePixels(int* width, int* height) {
    double css_width = 0, css_height = 0;
    emscripten_get_element_css_size("#canvas", &css_width, &css_height);
    const double ratio = cs_device_pixel_ratio();
    *width = static_cast<int>(std::lround(css_width * ratio));
    *height = static_cast<int>(std::lround(css_height * ratio));
}

// Follows the window size and device pixel ratio. False while the canvas is hidden (landing page).
bool SyncCanvas() {
    int width = 0, height = 0;
    CanvasDevicePixels(&width, &height);
    const double ratio = cs_device_pixel_ratio();
    if (width <= 0 || height <= 0) return false;
    if (width != g_width || height != g_height) {
        cs_set_canvas_size(width, height);
        g_width = width;
        g_height = height;
    }
    if (std::fabs(static_cast<float>(ratio) - ui::Scale()) > 0.01f) {
        ui::ApplyTheme(static_cast<float>(ratio));
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
        g_redraw.Invalidate();
    }
    return true;
}

void MainLoopStep() {
    if (!SyncCanvas()) {
        g_redraw.Invalidate();  // shown again later: draw the first frame whatever it holds
        return;
    }
    static bool first = true;
    if (first) ui::platform::Mark("frame1-begin");
    const double started = emscripten_get_now();
    glfwPollEvents();
    PumpInput();
    ImGui_ImplOpenGL3_NewFrame();  // the first call compiles the shaders and uploads the font atlas
    if (first) ui::platform::Mark("frame1-gl-objects");
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    const bool input = g_redraw.SawInput(ImGui::GetIO());
    g_app->Frame();
    ImGui::Render();
    if (first) ui::platform::Mark("frame1-ui");

    int fb_width = 0, fb_height = 0;
    glfwGetFramebufferSize(g_window, &fb_width, &fb_height);
    // A frame identical to the one on screen is not drawn again (render/redraw_filter.hpp).
    const bool draw = g_redraw.NeedsDraw(*ImGui::GetDrawData(), fb_width, fb_height);
    if (draw) {
        glViewport(0, 0, fb_width, fb_height);
        glClearColor(0.965f, 0.972f, 0.984f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    }
    // Idle frames (no input, nothing to draw) are not a frame anyone waits for: they are not recorded.
    if (draw || input) ui::platform::RecordFrameTime(emscripten_get_now() - started);
    if (first) ui::platform::Mark("frame1-drawn");
    first = false;
}

}  // namespace

int main() {
    ui::platform::Mark("main");
    if (!glfwInit()) {
        std::fprintf(stderr, "CloudSketch: glfwInit failed\n");
        return 1;
    }
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    // ImGui draws flat triangles: no depth or stencil buffer to allocate and clear. assets/boot.js creates
    // the context first with these same attributes (its WebGL 2 probe), and GLFW gets that one back.
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    // At the canvas's own size (assets/boot.js set it already): resizing a WebGL drawing buffer costs a
    // reallocation, and the first frame would otherwise resize it once more.
    CanvasDevicePixels(&g_width, &g_height);
    if (g_width <= 0 || g_height <= 0) g_width = 1280, g_height = 720;  // hidden: the first frame sizes it
    g_window = glfwCreateWindow(g_width, g_height, "CloudSketch", nullptr, nullptr);
    if (g_window == nullptr) {
        std::fprintf(stderr, "CloudSketch: could not create a WebGL2 context\n");
        return 1;
    }
    glfwMakeContextCurrent(g_window);
    ui::platform::Mark("gl-context");

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // layout is fixed per screen; nothing to remember between visits
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    ui::ApplyTheme(static_cast<float>(cs_device_pixel_ratio()));
    {
        // Rasterise the font atlas here rather than inside the first NewFrame, so its cost shows apart.
        unsigned char* pixels = nullptr;
        int width = 0, height = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    }
    ui::platform::Mark("font-atlas");
    ImGui_ImplGlfw_InitForOpenGL(g_window, true);
    // Replace the backend's key and char callbacks; ours forward to them through the input queue.
    glfwSetKeyCallback(g_window, KeyCallback);
    glfwSetCharCallback(g_window, CharCallback);
    glfwSetScrollCallback(g_window, nullptr);
    emscripten_set_wheel_callback("#canvas", nullptr, EM_TRUE, WheelCallback);
    ImGui_ImplOpenGL3_Init("#version 300 es");
    ui::platform::Mark("imgui-ready");

    static ui::App app;  // lives as long as the page: fetch callbacks hold pointers into it
    g_app = &app;
    cs_report_started();
    emscripten_set_main_loop(MainLoopStep, 0, false);
    // Draw the first frame now instead of at the next animation frame: the page shows it one frame
    // sooner, and the browser does not first paint the loading spinner once more.
    MainLoopStep();
    ui::platform::Mark("main-returned");
    return 0;
}
