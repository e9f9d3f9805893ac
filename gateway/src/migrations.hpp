#pragma once
// Numbered schema steps. A store records each applied step in `schema_migrations` and applies the
// missing ones in order, each in its own transaction. Steps are append-only: never edit a shipped one.
// Every store dialect keeps its own list with the same numbers and meaning.
#include <span>
#include <string_view>

namespace gw {

struct Migration {
    int version;             // 1, 2, 3, … without gaps
    std::string_view name;   // what the step does, for the log
    std::string_view sql;    // one or more statements
};

// The SQLite schema steps.
std::span<const Migration> SqliteMigrations();

}  // namespace gw
