// Entry point of the browser app: GLFW window on the page's <canvas id="canvas">, a WebGL2 context,
// Dear ImGui, and a requestAnimationFrame main loop that draws App::Frame(). Single-threaded.
//
// Sizes: the canvas fills the window in CSS pixels (assets/site.css); its backing store is
// CSS size x devicePixelRatio so text is sharp on high-DPI screens. ImGui works in those device
// pixels, and the theme scales fonts and spacing by the same ratio.
#include <algorithm>
#include <cmath>
#include <cstdio>
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
#include "theme.hpp"

namespace {

GLFWwindow* g_window = nullptr;
ui::App* g_app = nullptr;
int g_width = 0;
int g_height = 0;

// Dear ImGui 1.86 samples key state once per frame (io.KeysDown). A press and release that both land
// between two frames (a quick tap, or any automated key press) would never be seen, so a release
// that follows its own press within one frame is held back until ImGui has seen the key down.
std::vector<int> g_pressed_since_frame;
struct KeyEvent {
    int key, scancode, action, mods;
};
std::vector<KeyEvent> g_held_releases;

void KeyCallback(GLFWwindow* window, int key, int scancode, int action, int mods) {
    const bool pressed_since_frame =
        std::find(g_pressed_since_frame.begin(), g_pressed_since_frame.end(), key) != g_pressed_since_frame.end();
    if (action == GLFW_RELEASE && pressed_since_frame) {
        g_held_releases.push_back({key, scancode, action, mods});
        return;
    }
    if (action == GLFW_PRESS) g_pressed_since_frame.push_back(key);
    ImGui_ImplGlfw_KeyCallback(window, key, scancode, action, mods);
}

// After NewFrame has seen this frame's presses: the held releases take effect for the next frame.
void ReleaseHeldKeys() {
    g_pressed_since_frame.clear();
    std::vector<KeyEvent> releases;
    releases.swap(g_held_releases);
    for (const KeyEvent& e : releases) ImGui_ImplGlfw_KeyCallback(g_window, e.key, e.scancode, e.action, e.mods);
}

EM_JS(double, cs_device_pixel_ratio, (), { return window.devicePixelRatio || 1; });

// Browser.setCanvasSize instead of glfwSetWindowSize: Emscripten's GLFW requests fullscreen when
// the size equals the screen's, which a full-window canvas often does. GLFW hears about the new
// size through Browser's resize listeners.
EM_JS(void, cs_set_canvas_size, (int width, int height), { Browser.setCanvasSize(width, height); });

EM_JS(void, cs_report_started, (), {
    if (typeof Module.onAppStarted === 'function') Module.onAppStarted();
});

// Follows the window size and device pixel ratio. False while the canvas is hidden (landing page).
bool SyncCanvas() {
    double css_width = 0, css_height = 0;
    emscripten_get_element_css_size("#canvas", &css_width, &css_height);
    const double ratio = cs_device_pixel_ratio();
    const int width = static_cast<int>(std::lround(css_width * ratio));
    const int height = static_cast<int>(std::lround(css_height * ratio));
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
    }
    return true;
}

void MainLoopStep() {
    if (!SyncCanvas()) return;
    glfwPollEvents();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    ReleaseHeldKeys();
    g_app->Frame();
    ImGui::Render();

    int fb_width = 0, fb_height = 0;
    glfwGetFramebufferSize(g_window, &fb_width, &fb_height);
    glViewport(0, 0, fb_width, fb_height);
    glClearColor(0.965f, 0.972f, 0.984f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

}  // namespace

int main() {
    if (!glfwInit()) {
        std::fprintf(stderr, "CloudSketch: glfwInit failed\n");
        return 1;
    }
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    g_window = glfwCreateWindow(1280, 720, "CloudSketch", nullptr, nullptr);
    if (g_window == nullptr) {
        std::fprintf(stderr, "CloudSketch: could not create a WebGL2 context\n");
        return 1;
    }
    glfwMakeContextCurrent(g_window);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // layout is fixed per screen; nothing to remember between visits
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    ui::ApplyTheme(static_cast<float>(cs_device_pixel_ratio()));
    ImGui_ImplGlfw_InitForOpenGL(g_window, true);
    glfwSetKeyCallback(g_window, KeyCallback);  // replaces the backend's, which KeyCallback then calls
    ImGui_ImplOpenGL3_Init("#version 300 es");

    static ui::App app;  // lives as long as the page: fetch callbacks hold pointers into it
    g_app = &app;
    cs_report_started();
    emscripten_set_main_loop(MainLoopStep, 0, false);
    return 0;
}
