#pragma once
// Problems found in a plan, as values: every one names where (a JSON pointer into the cs-json
// document), a stable machine code, and a message that says how to fix it.
#include <string>
#include <vector>

namespace plan {

enum class Severity { Error, Warning };

struct Diagnostic {
    Severity severity = Severity::Error;
    std::string path;     // JSON pointer (RFC 6901) into the cs-json document, "" for the whole document
    std::string code;     // stable, dotted, e.g. "disk.size_out_of_range"; clients may switch on it
    std::string message;  // one sentence for a person: what is wrong and how to fix it
};

using Diagnostics = std::vector<Diagnostic>;

// True when any diagnostic is an Error (warnings never block saving or deploying).
bool HasErrors(const Diagnostics& diagnostics);

// "severity path code: message", one per line, for logs and the command-line tool.
std::string FormatDiagnostics(const Diagnostics& diagnostics);

// Escapes one reference token for a JSON pointer ("~" -> "~0", "/" -> "~1").
std::string PointerToken(const std::string& key);

}  // namespace plan
