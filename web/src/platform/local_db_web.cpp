// IndexedDB for platform.hpp's Db* functions, through EM_JS (no library: the API is small and the
// browser's own). One database "cloudsketch", one object store "kv" of string values. Loads come back
// through the exported cs_db_loaded(request, json) with a JSON array of [key, value] pairs.
#include <emscripten.h>

#include <cstdlib>
#include <map>
#include <utility>

#include <nlohmann/json.hpp>

#include "platform/platform.hpp"

namespace ui::platform {
namespace {

std::map<int, std::function<void(DbRows)>>& PendingLoads() {
    static std::map<int, std::function<void(DbRows)>> loads;
    return loads;
}

}  // namespace

// Opened once, lazily; every later call chains on the same promise, so writes keep their order.
// A browser without IndexedDB (or one that refuses it) gets a rejected promise: writes are dropped
// with a console warning and loads return nothing, and the app works online as before.
EM_JS(void, cs_db_open, (), {
    if (Module.csDb) return;
    Module.csDb = new Promise(function(resolve, reject) {
        if (typeof indexedDB === 'undefined') { reject(new Error('IndexedDB is not available')); return; }
        var open = indexedDB.open('cloudsketch', 1);
        open.onupgradeneeded = function() { open.result.createObjectStore('kv'); };
        open.onsuccess = function() { resolve(open.result); };
        open.onerror = function() { reject(open.error); };
    });
    Module.csDbWrite = function(apply) {
        Module.csDb.then(function(db) {
            var tx = db.transaction('kv', 'readwrite');
            apply(tx.objectStore('kv'));
            tx.onerror = function() { console.warn('IndexedDB write failed: ' + tx.error); };
        }).catch(function(e) { console.warn('IndexedDB: ' + e); });
    };
});

EM_JS(void, cs_db_load, (int request, const char* prefix_ptr), {
    var prefix = UTF8ToString(prefix_ptr);
    Module.csDb.then(function(db) {
        return new Promise(function(resolve, reject) {
            var tx = db.transaction('kv', 'readonly');
            var store = tx.objectStore('kv');
            var range = IDBKeyRange.bound(prefix, prefix + String.fromCharCode(0xffff));
            var keys = store.getAllKeys(range);
            var values = store.getAll(range);
            tx.oncomplete = function() {
                resolve(keys.result.map(function(key, i) { return [key, values.result[i]]; }));
            };
            tx.onerror = function() { reject(tx.error); };
        });
    }).catch(function(e) { console.warn('IndexedDB: ' + e); return []; }).then(function(rows) {
        var text = JSON.stringify(rows);
        var size = lengthBytesUTF8(text) + 1;
        var ptr = _malloc(size);
        stringToUTF8(text, ptr, size);
        _cs_db_loaded(request, ptr);
    });
});

EM_JS(void, cs_db_put, (const char* key_ptr, const char* value_ptr), {
    var key = UTF8ToString(key_ptr);
    var value = UTF8ToString(value_ptr);
    Module.csDbWrite(function(store) { store.put(value, key); });
});

EM_JS(void, cs_db_delete, (const char* key_ptr), {
    var key = UTF8ToString(key_ptr);
    Module.csDbWrite(function(store) { store.delete(key); });
});

EM_JS(int, cs_browser_online, (), { return (typeof navigator === 'undefined' || navigator.onLine !== false) ? 1 : 0; });

void DbLoadPrefix(const std::string& prefix, std::function<void(DbRows)> done) {
    static int next_request = 0;
    const int request = ++next_request;
    PendingLoads()[request] = std::move(done);
    cs_db_open();
    cs_db_load(request, prefix.c_str());
}

void DbPut(const std::string& key, const std::string& value) {
    cs_db_open();
    cs_db_put(key.c_str(), value.c_str());
}

void DbDelete(const std::string& key) {
    cs_db_open();
    cs_db_delete(key.c_str());
}

bool BrowserOnline() { return cs_browser_online() != 0; }

}  // namespace ui::platform

extern "C" EMSCRIPTEN_KEEPALIVE void cs_db_loaded(int request, char* rows_json) {
    using ui::platform::DbRows;
    DbRows rows;
    const auto parsed = nlohmann::json::parse(rows_json, nullptr, /*allow_exceptions=*/false);
    std::free(rows_json);
    if (parsed.is_array()) {
        for (const auto& row : parsed) {
            if (row.is_array() && row.size() == 2 && row[0].is_string() && row[1].is_string()) {
                rows.emplace_back(row[0].get<std::string>(), row[1].get<std::string>());
            }
        }
    }
    auto& loads = ui::platform::PendingLoads();
    auto it = loads.find(request);
    if (it == loads.end()) return;
    auto done = std::move(it->second);
    loads.erase(it);
    if (done) done(std::move(rows));
}
