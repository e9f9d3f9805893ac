#pragma once
// The one seam between the app and the browser (STYLE.md rule 7): HTTP, persistent storage, clock and
// the test probe hand-off. platform_web.cpp implements it with emscripten_fetch and localStorage.
// Nothing here blocks: the web build is single-threaded and every network call completes later,
// from the browser's event loop, between two frames.
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ui::platform {

struct HttpRequest {
    std::string method = "GET";
    std::string url;  // same-origin path, e.g. "/v1/plan/"
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;  // sent only when non-empty
};

struct HttpResponse {
    int status = 0;     // HTTP status; 0 when the request never got an answer (network down, gateway gone)
    std::string body;   // response bytes as received (JSON for the gateway's API)
};

// Called exactly once per request, on the main thread, outside any ImGui frame.
using FetchDone = std::function<void(HttpResponse)>;

// Starts `request` and returns at once; `done` receives the answer (or status 0) later.
void Fetch(HttpRequest request, FetchDone done);

// localStorage: survives reloads of the page; nullopt when the key is absent or storage is unavailable.
std::optional<std::string> StorageGet(const std::string& key);
void StorageSet(const std::string& key, const std::string& value);
void StorageRemove(const std::string& key);

// Offers `text` to the user as a file download named `filename` (a Blob and a temporary link: the
// document never leaves the browser).
void Download(const std::string& filename, const std::string& media_type, const std::string& text);

// Opens an https URL in a new browser tab (noopener: the page cannot reach back into the app). Called in
// the frame after a click, within the browser's user-activation window, so popup blockers allow it.
void OpenUrl(const std::string& url);

// What became of a CopyText (by its ticket).
enum class CopyOutcome { Pending, Copied, Failed };

// Puts `text` on the system clipboard (Emscripten's GLFW has no clipboard of its own). Call it in the frame
// of a click: browsers allow writes only shortly after a user gesture. The async Clipboard API needs a
// secure origin (https, localhost); on http://<host>:port, or when it refuses, a hidden textarea and
// document.execCommand('copy') are used, which need only the gesture. When both are refused the text is
// left selected in a text box over (x, y, w, h) (canvas pixels: the field that shows it), so the browser's
// own Ctrl+C copies it; that copy then reports Copied (w or h 0: no box). Returns a ticket for CopyStatus.
int CopyText(const std::string& text, float x, float y, float w, float h);

// Pending until the browser has answered; Failed means the text waits, selected, for the user's Ctrl+C.
CopyOutcome CopyStatus(int ticket);

// Listens for the browser's paste events (Ctrl+V while the app's canvas, or the page, has the focus; pastes
// into the page's own text boxes are left alone). Browsers hand clipboard text to a page only inside such an
// event, which comes right after Ctrl+V's keydown and before the app's next frame. Call once.
void CapturePaste();

// The text of the last paste event not taken yet (plain text; empty clipboard = ""), then nothing until the
// next one.
std::optional<std::string> TakePastedText();

// Keeps the browser from acting on the editor's shortcuts (Ctrl+S would open "Save page as", Ctrl+Y
// the history); the keys still reach the app. Call once.
void CaptureEditorShortcuts();

// IndexedDB ("cloudsketch" database, one key-value store): where plans live in the browser so the app
// works without a network. Writes are queued in call order (one readwrite transaction each, which
// IndexedDB runs in creation order); a failed write is reported on the console, never thrown.
// `done` of DbLoadPrefix receives every (key, value) whose key starts with `prefix`, in key order, later,
// outside any ImGui frame; an empty list when IndexedDB is unavailable (private mode).
using DbRows = std::vector<std::pair<std::string, std::string>>;
void DbLoadPrefix(const std::string& prefix, std::function<void(DbRows)> done);
void DbPut(const std::string& key, const std::string& value);
void DbDelete(const std::string& key);

// navigator.onLine: false means certainly offline; true only means "maybe online" (a request tells).
bool BrowserOnline();

// Wall-clock time in seconds since the Unix epoch (for "updated 5 min ago").
double NowUnixSeconds();

// Which screen the visitor asked for on the landing page ("signup" or "login"; "" when unknown).
std::string StartMode();

// The token of a sign-up link ("#verify/<token>") the page was opened with or sent to since the last call
// (assets/boot.js takes it out of the address bar at once); nullopt when there is none.
std::optional<std::string> TakeVerifyToken();

// The address bar: one history entry per screen, so the browser's Back and Forward move between screens
// ("#app" the dashboard and the sign-in forms, "#plan/<id>" a plan, "#account/aws"); assets/boot.js shows
// the app for these fragments and the landing page for any other.
// The fragment the page shows now, with its '#' ("" for none).
std::string CurrentRoute();
// Shows `route` in the address bar: a new history entry when `push`, else the current entry replaced. Does
// nothing when the address bar shows it already, or shows the landing page (the user went back there).
void SetRoute(const std::string& route, bool push);
// The fragment the browser moved to since the last call (Back, Forward, a link or a typed address), once;
// nullopt when it did not move.
std::optional<std::string> TakeRouteChange();

// While `on`, closing or reloading the tab (or leaving the site) makes the browser ask first, with its own
// prompt (beforeunload; browsers show it only after the user has interacted with the page).
void WarnBeforeUnload(bool on);

// Where the page's test hooks (window.csUi) read from: the latest frame's widget rectangles as JSON,
// the current screen name and the frame counter. Set once per frame by the app; `widgets_json` runs
// only when a test asks for the widgets, so frames nobody inspects do not pay for the JSON.
void PublishProbe(std::function<std::string()> widgets_json, std::string screen, unsigned frame);

// How long the last frames took on the CPU (input, App::Frame, ImGui render, GL calls; ms), kept for
// window.csUi.frameTimes() so benchmarks can read p50/p95 without timing the browser's vsync.
void RecordFrameTime(double milliseconds);

// A User Timing mark "cs:<name>" (performance.mark): bench/web_first_frame.mjs reads them to split the
// time to the first frame into phases. Costs microseconds; call it only at start-up milestones.
void Mark(const char* name);

}  // namespace ui::platform
