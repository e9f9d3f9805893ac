// Loading the embedded catalogue JSON into tables, once. Every shape problem becomes a diagnostic in
// CatalogLoadProblems() instead of an exception: the data was already checked for well-formedness at
// configure time (catalog.cmake), this checks the meaning (types, ranges, regions).
#include <algorithm>

#include <nlohmann/json.hpp>

#include "catalog/catalog_data.hpp"
#include "catalog/catalog_internal.hpp"

namespace plan {
namespace catalog_data {

std::string EmbeddedText(std::string_view name) {
    for (const EmbeddedFile& file : EmbeddedFiles()) {
        if (file.name != name) continue;
        std::string text;
        for (std::size_t i = 0; i < file.chunk_count; ++i) text += file.chunks[i];
        return text;
    }
    return {};
}

}  // namespace catalog_data

namespace catalog_internal {
namespace {

using nlohmann::json;

constexpr std::string_view kInstanceFiles[] = {"aws_instances.json", "azure_sizes.json", "gcp_machine_types.json"};

struct Loader {
    Catalog& out;
    std::string file;

    void Problem(const std::string& path, const std::string& message) {
        out.problems.push_back({Severity::Error, "/" + file + path, "catalog.data_invalid", message});
    }
    std::string String(const json& object, const char* key, const std::string& path) {
        const auto it = object.find(key);
        if (it == object.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
            Problem(path + "/" + key, std::string("missing or not a non-empty string: ") + key);
            return {};
        }
        return it->get<std::string>();
    }
    double Number(const json& object, const char* key, const std::string& path) {
        const auto it = object.find(key);
        if (it == object.end() || !it->is_number() || !(it->get<double>() > 0)) {
            Problem(path + "/" + key, std::string("missing or not a positive number: ") + key);
            return 0;
        }
        return it->get<double>();
    }
    // Region -> price (null allowed); every region must be one the file declares.
    StringMap<std::optional<double>> Prices(const json& object, const std::vector<std::string>& regions,
                                            const std::string& path) {
        StringMap<std::optional<double>> prices;
        const auto it = object.find("prices");
        if (it == object.end() || !it->is_object()) {
            Problem(path + "/prices", "missing or not an object: prices");
            return prices;
        }
        for (const auto& [region, value] : it->items()) {
            if (!regions.empty() && std::find(regions.begin(), regions.end(), region) == regions.end()) {
                Problem(path + "/prices/" + PointerToken(region), "region " + region + " is not in the file's regions");
            }
            if (value.is_null()) {
                prices.emplace(region, std::nullopt);
            } else if (value.is_number() && value.get<double>() > 0) {
                prices.emplace(region, value.get<double>());
            } else {
                Problem(path + "/prices/" + PointerToken(region), "a price must be a positive number or null");
            }
        }
        return prices;
    }
    std::optional<json> Parse(std::string_view name) {
        file = std::string(name);
        const std::string text = catalog_data::EmbeddedText(name);
        json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
        if (doc.is_discarded() || !doc.is_object()) {
            Problem("", "not embedded or not a JSON object");
            return std::nullopt;
        }
        return doc;
    }
};

void LoadInstances(Catalog& out, std::string_view file) {
    Loader in{out, {}};
    const auto doc = in.Parse(file);
    if (!doc) return;
    PriceSheet sheet;
    sheet.cloud = in.String(*doc, "cloud", "");
    sheet.currency = in.String(*doc, "currency", "");
    sheet.prices_as_of = in.String(*doc, "prices_as_of", "");
    sheet.source = in.String(*doc, "source", "");
    if (const auto regions = doc->find("regions"); regions != doc->end() && regions->is_array()) {
        for (const json& r : *regions) {
            if (r.is_string()) sheet.regions.push_back(r.get<std::string>());
        }
    }
    if (sheet.regions.empty()) in.Problem("/regions", "regions must list at least one region name");
    std::vector<InstanceType> types;
    const auto list = doc->find("instances");
    if (list == doc->end() || !list->is_array() || list->empty()) {
        in.Problem("/instances", "instances must be a non-empty array");
    } else {
        for (std::size_t i = 0; i < list->size(); ++i) {
            const json& item = (*list)[i];
            const std::string path = "/instances/" + std::to_string(i);
            if (!item.is_object()) {
                in.Problem(path, "each instance must be an object");
                continue;
            }
            InstanceType t;
            t.cloud = sheet.cloud;
            t.name = in.String(item, "name", path);
            t.family = in.String(item, "family", path);
            const double vcpus = in.Number(item, "vcpus", path);
            t.vcpus = static_cast<int>(vcpus);
            if (vcpus != t.vcpus) in.Problem(path + "/vcpus", "vcpus must be a whole number");
            t.memory_gib = in.Number(item, "memory_gib", path);
            const std::string arch = in.String(item, "arch", path);
            if (const auto a = ParseArch(arch); a && (arch == "x86_64" || arch == "arm64")) {
                t.arch = *a;
            } else {
                in.Problem(path + "/arch", "arch must be x86_64 or arm64");
            }
            const std::string category = in.String(item, "category", path);
            bool known = false;
            for (Category c : {Category::Burstable, Category::General, Category::Memory, Category::Compute}) {
                if (ToString(c) == category) {
                    t.category = c;
                    known = true;
                }
            }
            if (!known) in.Problem(path + "/category", "category must be burstable, general, memory or compute");
            t.prices = in.Prices(item, sheet.regions, path);
            const bool duplicate = std::any_of(types.begin(), types.end(),
                                               [&](const InstanceType& other) { return other.name == t.name; });
            if (duplicate) in.Problem(path + "/name", "duplicate instance name " + t.name);
            types.push_back(std::move(t));
        }
    }
    out.instances[sheet.cloud] = std::move(types);
    out.sheets[sheet.cloud] = std::move(sheet);
}

void LoadStorage(Catalog& out) {
    Loader in{out, {}};
    const auto doc = in.Parse("storage_prices.json");
    if (!doc) return;
    out.storage_prices_as_of = in.String(*doc, "prices_as_of", "");
    const auto clouds = doc->find("clouds");
    if (clouds == doc->end() || !clouds->is_object()) {
        in.Problem("/clouds", "clouds must be an object");
        return;
    }
    for (const auto& [cloud, kinds] : clouds->items()) {
        const std::string cloud_path = "/clouds/" + PointerToken(cloud);
        for (const char* kind : {"ssd", "hdd", "object"}) {
            const auto it = kinds.find(kind);
            if (it == kinds.end() || !it->is_object()) {
                in.Problem(cloud_path + "/" + kind, std::string("missing storage kind ") + kind);
                continue;
            }
            const std::string path = cloud_path + "/" + kind;
            StoragePrice price;
            price.product = in.String(*it, "product", path);
            const auto min = it->find("min_size_gib");
            if (min == it->end() || !min->is_number_integer() || min->get<int>() < 0) {
                in.Problem(path + "/min_size_gib", "min_size_gib must be a non-negative integer");
            } else {
                price.min_size_gib = min->get<int>();
            }
            const auto sheet = out.sheets.find(cloud);
            price.prices = in.Prices(*it, sheet == out.sheets.end() ? std::vector<std::string>{} : sheet->second.regions,
                                     path);
            out.storage[cloud][kind] = std::move(price);
        }
    }
}

void LoadImages(Catalog& out) {
    Loader in{out, {}};
    const auto doc = in.Parse("os_images.json");
    if (!doc) return;
    for (const char* cloud : {"aws", "azure", "gcp"}) {
        const auto list = doc->find(cloud);
        if (list == doc->end() || !list->is_array()) {
            in.Problem(std::string("/") + cloud, "must be an array of images");
            continue;
        }
        std::vector<OsImage> images;
        for (std::size_t i = 0; i < list->size(); ++i) {
            const json& item = (*list)[i];
            const std::string path = std::string("/") + cloud + "/" + std::to_string(i);
            if (!item.is_object()) {
                in.Problem(path, "each image must be an object");
                continue;
            }
            OsImage image;
            image.distribution = in.String(item, "distribution", path);
            image.version = in.String(item, "version", path);
            const auto arch = ParseArch(in.String(item, "arch", path));
            if (!arch) in.Problem(path + "/arch", "arch must be x86_64 or arm64");
            image.arch = arch.value_or(Arch::X86_64);
            if (std::string_view(cloud) == "aws") {
                image.kind = ImageKind::SsmParameter;
                image.ssm_parameter = in.String(item, "ssm_parameter", path);
                if (image.ssm_parameter.rfind("/aws/service/", 0) != 0) {
                    in.Problem(path + "/ssm_parameter", "AWS images must be public parameters under /aws/service/");
                }
            } else if (std::string_view(cloud) == "azure") {
                image.kind = ImageKind::AzureReference;
                image.publisher = in.String(item, "publisher", path);
                image.offer = in.String(item, "offer", path);
                image.sku = in.String(item, "sku", path);
                image.image_version = in.String(item, "image_version", path);
            } else {
                image.kind = ImageKind::GcpFamily;
                image.image_family = in.String(item, "image_family", path);
                if (image.image_family.find("/global/images/family/") == std::string::npos) {
                    in.Problem(path + "/image_family", "GCP images must be projects/<p>/global/images/family/<f>");
                }
            }
            images.push_back(std::move(image));
        }
        out.images[cloud] = std::move(images);
    }
}

Catalog Load() {
    Catalog catalog;
    for (std::string_view file : kInstanceFiles) LoadInstances(catalog, file);
    LoadStorage(catalog);
    LoadImages(catalog);
    return catalog;
}

}  // namespace

const Catalog& TheCatalog() {
    static const Catalog catalog = Load();
    return catalog;
}

const StoragePrice* FindStorage(std::string_view cloud, std::string_view kind) {
    const auto& storage = TheCatalog().storage;
    const auto c = storage.find(cloud);
    if (c == storage.end()) return nullptr;
    const auto k = c->second.find(kind);
    return k == c->second.end() ? nullptr : &k->second;
}

}  // namespace catalog_internal

using catalog_internal::TheCatalog;

std::string_view ToString(Arch value) { return value == Arch::Arm64 ? "arm64" : "x86_64"; }

std::string_view ToString(Category value) {
    switch (value) {
        case Category::Burstable: return "burstable";
        case Category::General: return "general";
        case Category::Memory: return "memory";
        case Category::Compute: return "compute";
    }
    return "general";
}

std::optional<Arch> ParseArch(std::string_view text) {
    if (text == "x86_64" || text == "amd64") return Arch::X86_64;
    if (text == "arm64" || text == "aarch64") return Arch::Arm64;
    return std::nullopt;
}

const std::vector<std::string>& CatalogClouds() {
    static const std::vector<std::string> clouds{"aws", "azure", "gcp"};
    return clouds;
}

const std::vector<InstanceType>& Instances(std::string_view cloud) {
    static const std::vector<InstanceType> kNone;
    const auto& all = TheCatalog().instances;
    const auto it = all.find(cloud);
    return it == all.end() ? kNone : it->second;
}

const InstanceType* FindInstance(std::string_view cloud, std::string_view name) {
    for (const InstanceType& t : Instances(cloud)) {
        if (t.name == name) return &t;
    }
    return nullptr;
}

bool OfferedIn(const InstanceType& type, std::string_view region) { return type.prices.count(region) > 0; }

std::optional<double> HourlyPrice(const InstanceType& type, std::string_view region) {
    const auto it = type.prices.find(region);
    return it == type.prices.end() ? std::nullopt : it->second;
}

const PriceSheet& InstancePriceSheet(std::string_view cloud) {
    static const PriceSheet kNone;
    const auto& sheets = TheCatalog().sheets;
    const auto it = sheets.find(cloud);
    return it == sheets.end() ? kNone : it->second;
}

const Diagnostics& CatalogLoadProblems() { return TheCatalog().problems; }

const std::vector<OsImage>& Images(std::string_view cloud) {
    static const std::vector<OsImage> kNone;
    const auto& all = TheCatalog().images;
    const auto it = all.find(cloud);
    return it == all.end() ? kNone : it->second;
}

}  // namespace plan
