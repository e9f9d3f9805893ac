#pragma once
// The catalogue's JSON files as compiled into plan_core by shared/catalog.cmake (private to plan_core).
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace plan::catalog_data {

// One data file: its name (e.g. "aws_instances.json") and its text split into raw-literal chunks.
struct EmbeddedFile {
    std::string_view name;
    const std::string_view* chunks;
    std::size_t chunk_count;
};

// Every embedded file, in the order catalog.cmake lists them.
std::span<const EmbeddedFile> EmbeddedFiles();

// The whole text of the file called `name`, or "" when no such file was embedded.
std::string EmbeddedText(std::string_view name);

}  // namespace plan::catalog_data
