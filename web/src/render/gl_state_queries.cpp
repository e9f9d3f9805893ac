// ImGui 1.86's OpenGL3 backend saves about fifteen GL values with glGetIntegerv before drawing each
// frame and puts them back afterwards. In a browser each of those is WebGL getParameter, a synchronous
// round trip to the GPU process that first waits for all the work queued before it: with 200
// components on the canvas it was 93% of the frame's CPU time (bench/web_frame_time.mjs --profile).
// Upstream discusses an opt-out (ocornut/imgui#6085); 1.86 has none.
//
// In this app nothing but that backend changes the state it saves, and it restores exactly what it
// read, so the value read the first time is the value every time. The backend's translation unit calls
// this function instead of glGetIntegerv (web/CMakeLists.txt), which asks WebGL once per name and then
// answers from memory. The one exception, the viewport, is set by main.cpp before every frame anyway,
// so a remembered viewport is only ever "restored", never drawn with. Other names pass straight through.
#include <GLES3/gl3.h>

#include <array>
#include <map>

namespace {

bool IsSavedPerFrame(GLenum name) {
    switch (name) {
        case GL_ACTIVE_TEXTURE: case GL_CURRENT_PROGRAM: case GL_TEXTURE_BINDING_2D: case GL_SAMPLER_BINDING:
        case GL_ARRAY_BUFFER_BINDING: case GL_VERTEX_ARRAY_BINDING: case GL_VIEWPORT: case GL_SCISSOR_BOX:
        case GL_BLEND_SRC_RGB: case GL_BLEND_DST_RGB: case GL_BLEND_SRC_ALPHA: case GL_BLEND_DST_ALPHA:
        case GL_BLEND_EQUATION_RGB: case GL_BLEND_EQUATION_ALPHA:
            return true;
        default:
            return false;
    }
}

int Count(GLenum name) { return name == GL_VIEWPORT || name == GL_SCISSOR_BOX ? 4 : 1; }

}  // namespace

extern "C" void cs_gl_get_integerv_once(GLenum name, GLint* data) {
    if (!IsSavedPerFrame(name)) {
        glGetIntegerv(name, data);
        return;
    }
    static std::map<GLenum, std::array<GLint, 4>> known;
    auto found = known.find(name);
    if (found == known.end()) {
        std::array<GLint, 4> value{};
        glGetIntegerv(name, value.data());
        found = known.emplace(name, value).first;
    }
    for (int i = 0; i < Count(name); ++i) data[i] = found->second[i];
}
