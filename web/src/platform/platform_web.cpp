// Browser implementation of platform.hpp: emscripten_fetch (async XHR, no threads), localStorage via
// EM_JS, and the C exports that window.csUi (assets/boot.js) reads for tests.
#include "platform/platform.hpp"

#include <emscripten.h>
#include <emscripten/fetch.h>
#include <emscripten/html5.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace ui::platform {
namespace {

// Everything one request needs until it completes: emscripten_fetch keeps pointers to the header
// strings and the body, so they live here rather than on the caller's stack.
struct PendingFetch {
    HttpRequest request;
    std::vector<const char*> header_ptrs;
    FetchDone done;
};

void Complete(emscripten_fetch_t* fetch) {
    std::unique_ptr<PendingFetch> pending(static_cast<PendingFetch*>(fetch->userData));
    HttpResponse response;
    response.status = fetch->status;
    if (fetch->data != nullptr && fetch->numBytes > 0) {
        response.body.assign(fetch->data, static_cast<size_t>(fetch->numBytes));
    }
    emscripten_fetch_close(fetch);  // frees fetch->data; the body was copied above
    if (pending->done) pending->done(std::move(response));
}

}  // namespace

void Fetch(HttpRequest request, FetchDone done) {
    auto pending = std::make_unique<PendingFetch>();
    pending->request = std::move(request);
    pending->done = std::move(done);
    for (const auto& [name, value] : pending->request.headers) {
        pending->header_ptrs.push_back(name.c_str());
        pending->header_ptrs.push_back(value.c_str());
    }
    pending->header_ptrs.push_back(nullptr);

    emscripten_fetch_attr_t attr;
    emscripten_fetch_attr_init(&attr);
    std::snprintf(attr.requestMethod, sizeof attr.requestMethod, "%s", pending->request.method.c_str());
    // LOAD_TO_MEMORY only: no IndexedDB cache, API answers must never be replayed from disk.
    attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY;
    attr.requestHeaders = pending->header_ptrs.data();
    if (!pending->request.body.empty()) {
        attr.requestData = pending->request.body.data();
        attr.requestDataSize = pending->request.body.size();
    }
    // Non-2xx statuses arrive through onerror with the body loaded; the gateway's error envelope is there.
    attr.onsuccess = Complete;
    attr.onerror = Complete;
    attr.userData = pending.get();
    const std::string url = pending->request.url;
    if (emscripten_fetch(&attr, url.c_str()) != nullptr) {
        pending.release();  // owned by Complete from now on
    } else if (pending->done) {
        pending->done(HttpResponse{});
    }
}

EM_JS(char*, cs_storage_get, (const char* key), {
    var value = null;
    try { value = window.localStorage.getItem(UTF8ToString(key)); } catch (e) { value = null; }
    if (value === null) return 0;
    var size = lengthBytesUTF8(value) + 1;
    var ptr = _malloc(size);
    stringToUTF8(value, ptr, size);
    return ptr;
});

EM_JS(void, cs_storage_set, (const char* key, const char* value), {
    try { window.localStorage.setItem(UTF8ToString(key), UTF8ToString(value)); } catch (e) {}
});

EM_JS(void, cs_storage_remove, (const char* key), {
    try { window.localStorage.removeItem(UTF8ToString(key)); } catch (e) {}
});

std::optional<std::string> StorageGet(const std::string& key) {
    char* raw = cs_storage_get(key.c_str());
    if (raw == nullptr) return std::nullopt;
    std::string value(raw);
    std::free(raw);
    return value;
}

void StorageSet(const std::string& key, const std::string& value) { cs_storage_set(key.c_str(), value.c_str()); }

void StorageRemove(const std::string& key) { cs_storage_remove(key.c_str()); }

EM_JS(void, cs_download, (const char* name, const char* type, const char* text), {
    var blob = new Blob([UTF8ToString(text)], {type: UTF8ToString(type)});
    var link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = UTF8ToString(name);
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function() { URL.revokeObjectURL(link.href); }, 1000);
});

void Download(const std::string& filename, const std::string& media_type, const std::string& text) {
    cs_download(filename.c_str(), media_type.c_str(), text.c_str());
}

EM_JS(void, cs_open_url, (const char* url), {
    var u = UTF8ToString(url);
    // https links only (no javascript: or data:); no slashes pair here: the C preprocessor reads one as a comment.
    if (u.indexOf('https:') === 0 && u.charAt(6) === '/' && u.charAt(7) === '/') window.open(u, '_blank', 'noopener,noreferrer');
});

void OpenUrl(const std::string& url) { cs_open_url(url.c_str()); }

// Module.csCopy[ticket]: 0 pending, 1 copied, 2 refused (the text then waits, selected, for Ctrl+C).
EM_JS(void, cs_copy_text, (int ticket, const char* text, float x, float y, float w, float h), {
    var value = UTF8ToString(text);
    var outcomes = Module.csCopy || (Module.csCopy = {});
    outcomes[ticket] = 0;
    // The way every browser allows on any origin: a selected textarea and execCommand('copy'), within the
    // user activation of the click that asked for it.
    function viaTextarea() {
        var area = document.createElement('textarea');
        area.value = value;
        area.setAttribute('readonly', '');
        area.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;opacity:0;border:0;padding:0;';
        var previous = document.activeElement;
        document.body.appendChild(area);
        area.focus();
        area.select();
        var ok = false;
        try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
        area.remove();
        if (previous && previous.focus) previous.focus();
        return ok;
    }
    // Both refused: the text, selected, in a box over the field that shows it; the browser's own Ctrl+C
    // (a key binding, always allowed) copies it. Gone on copy, Escape or a click elsewhere.
    function leaveSelected() {
        var old = document.getElementById('cs-copy-fallback');
        if (old) old.remove();
        var canvas = Module.canvas;
        var rect = canvas.getBoundingClientRect();
        var sx = rect.width / (canvas.width || 1), sy = rect.height / (canvas.height || 1);
        var area = document.createElement('textarea');
        area.id = 'cs-copy-fallback';
        area.value = value;
        area.setAttribute('readonly', '');
        area.setAttribute('aria-label', 'Press Ctrl+C to copy');
        area.style.cssText = 'position:fixed;z-index:10;resize:none;overflow:hidden;white-space:pre;margin:0;' +
            'box-sizing:border-box;padding:2px 6px;border:2px solid #2563eb;border-radius:4px;background:#fff;' +
            'color:#111;font:14px monospace;left:' + (rect.left + x * sx) + 'px;top:' + (rect.top + y * sy) +
            'px;width:' + Math.max(w * sx, 40) + 'px;height:' + Math.max(h * sy, 20) + 'px;';
        var gone = false;
        function close() {
            if (gone) return;
            gone = true;
            area.value = '';
            area.remove();
        }
        area.addEventListener('copy', function() { outcomes[ticket] = 1; setTimeout(close, 0); });
        area.addEventListener('blur', close);
        area.addEventListener('keydown', function(e) { if (e.key === 'Escape') close(); });
        document.body.appendChild(area);
        area.focus();
        area.select();
    }
    function fallBack() {
        if (viaTextarea()) { outcomes[ticket] = 1; return; }
        outcomes[ticket] = 2;
        if (w > 0 && h > 0) leaveSelected();
    }
    if (window.isSecureContext && navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(value).then(function() { outcomes[ticket] = 1; }, fallBack);
    } else {
        fallBack();
    }
});

EM_JS(int, cs_copy_status, (int ticket), {
    var outcomes = Module.csCopy || {};
    return ticket in outcomes ? outcomes[ticket] : 2;
});

int CopyText(const std::string& text, float x, float y, float w, float h) {
    static int last_ticket = 0;
    const int ticket = ++last_ticket;
    cs_copy_text(ticket, text.c_str(), x, y, w, h);
    return ticket;
}

CopyOutcome CopyStatus(int ticket) {
    switch (cs_copy_status(ticket)) {
        case 0: return CopyOutcome::Pending;
        case 1: return CopyOutcome::Copied;
        default: return CopyOutcome::Failed;
    }
}

EM_JS(void, cs_capture_paste, (), {
    document.addEventListener('paste', function(e) {
        var target = e.target;
        if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable)) return;
        var data = e.clipboardData;
        Module.csPasted = data ? data.getData('text/plain') : '';
        e.preventDefault();
    });
});

void CapturePaste() { cs_capture_paste(); }

EM_JS(char*, cs_take_pasted, (), {
    if (typeof Module.csPasted !== 'string') return 0;
    var text = Module.csPasted;
    Module.csPasted = undefined;
    var size = lengthBytesUTF8(text) + 1;
    var ptr = _malloc(size);
    stringToUTF8(text, ptr, size);
    return ptr;
});

std::optional<std::string> TakePastedText() {
    char* raw = cs_take_pasted();
    if (!raw) return std::nullopt;
    std::string text(raw);
    std::free(raw);
    return text;
}

EM_JS(void, cs_capture_shortcuts, (), {
    window.addEventListener('keydown', function(e) {
        if ((e.ctrlKey || e.metaKey) && !e.altKey && /^[sSyYzZ]$/.test(e.key)) e.preventDefault();
    }, true);
});

void CaptureEditorShortcuts() { cs_capture_shortcuts(); }

double NowUnixSeconds() { return emscripten_date_now() / 1000.0; }

EM_JS(char*, cs_start_mode, (), {
    var mode = String(window.csStartMode || "");
    var size = lengthBytesUTF8(mode) + 1;
    var ptr = _malloc(size);
    stringToUTF8(mode, ptr, size);
    return ptr;
});

std::string StartMode() {
    char* raw = cs_start_mode();
    std::string mode(raw);
    std::free(raw);
    return mode;
}

EM_JS(char*, cs_take_verify_token, (), {
    var token = window.csVerifyToken;
    if (!token) return 0;
    window.csVerifyToken = "";
    var size = lengthBytesUTF8(token) + 1;
    var ptr = _malloc(size);
    stringToUTF8(token, ptr, size);
    return ptr;
});

std::optional<std::string> TakeVerifyToken() {
    char* raw = cs_take_verify_token();
    if (raw == nullptr) return std::nullopt;
    std::string token(raw);
    std::free(raw);
    return token;
}

// The app's fragments (assets/boot.js and assets/page_mode.js know the same three).
EM_JS(void, cs_route_listen, (), {
    Module.csIsAppRoute = function(hash) {
        return hash === '#app' || hash.indexOf('#plan/') === 0 || hash.indexOf('#account/') === 0;
    };
    Module.csRouteSeen = location.hash;
    function moved() {
        if (location.hash === Module.csRouteSeen) return;
        Module.csRouteSeen = location.hash;
        Module.csRouteChange = location.hash;
    }
    window.addEventListener('popstate', moved);
    window.addEventListener('hashchange', moved);
    window.addEventListener('beforeunload', function(e) {
        if (!Module.csWarnOnLeave) return undefined;
        e.preventDefault();
        e.returnValue = "";
        return "";
    });
});

namespace {
void ListenForRoutes() {
    static bool listening = false;
    if (!listening) cs_route_listen();
    listening = true;
}
}  // namespace

EM_JS(char*, cs_current_route, (), {
    var hash = location.hash;
    var size = lengthBytesUTF8(hash) + 1;
    var ptr = _malloc(size);
    stringToUTF8(hash, ptr, size);
    return ptr;
});

std::string CurrentRoute() {
    char* raw = cs_current_route();
    std::string route(raw);
    std::free(raw);
    return route;
}

EM_JS(void, cs_set_route, (const char* route, int push), {
    var hash = UTF8ToString(route);
    if (location.hash === hash || !Module.csIsAppRoute(location.hash)) return;
    if (push) {
        history.pushState(null, "", hash);
    } else {
        history.replaceState(null, "", hash);
    }
    Module.csRouteSeen = hash;
});

void SetRoute(const std::string& route, bool push) {
    ListenForRoutes();
    cs_set_route(route.c_str(), push ? 1 : 0);
}

EM_JS(char*, cs_take_route_change, (), {
    var hash = Module.csRouteChange;
    if (typeof hash !== 'string') return 0;
    Module.csRouteChange = undefined;
    var size = lengthBytesUTF8(hash) + 1;
    var ptr = _malloc(size);
    stringToUTF8(hash, ptr, size);
    return ptr;
});

std::optional<std::string> TakeRouteChange() {
    ListenForRoutes();
    char* raw = cs_take_route_change();
    if (raw == nullptr) return std::nullopt;
    std::string route(raw);
    std::free(raw);
    return route;
}

EM_JS(void, cs_warn_before_unload, (int on), { Module.csWarnOnLeave = !!on; });

void WarnBeforeUnload(bool on) {
    ListenForRoutes();
    cs_warn_before_unload(on ? 1 : 0);
}

namespace {
std::vector<double> g_frame_times;  // the last kFrameTimes frames, oldest first
constexpr size_t kFrameTimes = 1000;
std::string g_frame_times_json;
std::function<std::string()> g_probe_source = [] { return std::string("[]"); };
std::string g_probe_widgets;
bool g_probe_widgets_current = false;  // g_probe_widgets is g_probe_source's text
std::string g_probe_screen = "loading";
unsigned g_probe_frame = 0;
}  // namespace

void PublishProbe(std::function<std::string()> widgets_json, std::string screen, unsigned frame) {
    g_probe_source = std::move(widgets_json);
    g_probe_widgets_current = false;
    g_probe_screen = std::move(screen);
    g_probe_frame = frame;
}

void RecordFrameTime(double milliseconds) {
    if (g_frame_times.size() == kFrameTimes) g_frame_times.erase(g_frame_times.begin());
    g_frame_times.push_back(milliseconds);
}

EM_JS(void, cs_mark, (const char* name), {
    if (typeof performance === 'object' && performance.mark) performance.mark('cs:' + UTF8ToString(name));
});

void Mark(const char* name) { cs_mark(name); }

}  // namespace ui::platform

// Read by window.csUi in assets/boot.js. Coordinates are ImGui display units (canvas pixels);
// boot.js converts them to CSS pixels of the page.
extern "C" {
EMSCRIPTEN_KEEPALIVE const char* cs_ui_widgets() {
    if (!ui::platform::g_probe_widgets_current) {
        ui::platform::g_probe_widgets = ui::platform::g_probe_source();
        ui::platform::g_probe_widgets_current = true;
    }
    return ui::platform::g_probe_widgets.c_str();
}
EMSCRIPTEN_KEEPALIVE const char* cs_ui_screen() { return ui::platform::g_probe_screen.c_str(); }
EMSCRIPTEN_KEEPALIVE unsigned cs_ui_frame() { return ui::platform::g_probe_frame; }
// The recorded frame times as a JSON array of milliseconds; clears them, so a benchmark reads a window.
EMSCRIPTEN_KEEPALIVE const char* cs_ui_frame_times() {
    std::string& json = ui::platform::g_frame_times_json;
    json = "[";
    for (double ms : ui::platform::g_frame_times) {
        char number[32];
        std::snprintf(number, sizeof number, "%s%.3f", json.size() > 1 ? "," : "", ms);
        json += number;
    }
    json += "]";
    ui::platform::g_frame_times.clear();
    return json.c_str();
}
}
