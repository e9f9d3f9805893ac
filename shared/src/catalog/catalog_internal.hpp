#pragma once
// Shared between the catalogue's .cpp files (private to plan_core): the loaded tables.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plan/catalog.hpp"

namespace plan::catalog_internal {

template <typename T>
using StringMap = std::map<std::string, T, std::less<>>;

// A disk or object-storage product of one cloud, priced per GiB-month by region.
struct StoragePrice {
    std::string product;     // "EBS gp3", "pd-ssd", "S3 Standard"
    int min_size_gib = 0;    // smallest billable size (EBS st1: 125)
    StringMap<std::optional<double>> prices;
};

struct Catalog {
    StringMap<std::vector<InstanceType>> instances;  // cloud -> types
    StringMap<PriceSheet> sheets;                    // cloud -> price sheet
    StringMap<std::vector<OsImage>> images;          // cloud -> images
    StringMap<StringMap<StoragePrice>> storage;      // cloud -> "ssd" | "hdd" | "object" -> product
    std::string storage_prices_as_of;
    Diagnostics problems;
};

// The embedded data, parsed once on first use.
const Catalog& TheCatalog();

// The storage product of `kind` ("ssd", "hdd", "object") in `cloud`, or nullptr.
const StoragePrice* FindStorage(std::string_view cloud, std::string_view kind);

}  // namespace plan::catalog_internal
