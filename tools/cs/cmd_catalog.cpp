// cs catalog: the instance types of one cloud and region with their prices, cheapest first; optional
// minimum vCPUs / memory / architecture filters. All data and rules live in plan_core (plan/catalog.hpp).
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string>
#include <vector>

#include "commands.hpp"
#include "plan/catalog.hpp"
#include "plan/cost.hpp"

namespace cs {
namespace {

constexpr const char* kCatalogUsage =
    "usage: cs catalog --cloud aws|azure|gcp --region REGION [--min-vcpus N] [--min-memory GiB]\n"
    "                  [--arch x86_64|arm64]\n"
    "  Lists the catalogue's types offered in REGION, cheapest first (Linux on-demand, USD), then the\n"
    "  types offered there without a known price. Exit 1 when nothing matches.\n";

int UsageError(const std::string& message) {
    std::fprintf(stderr, "cs catalog: %s\n%s", message.c_str(), kCatalogUsage);
    return 2;
}

// "8", "0.5", "1.75": digits with an optional fraction. Hand-written because Emscripten's libc++ has no
// floating-point std::from_chars, and strtod would depend on the locale.
bool ParseNumber(const std::string& text, double& out) {
    const auto dot = text.find('.');
    const std::string whole = text.substr(0, dot);
    const std::string fraction = dot == std::string::npos ? "" : text.substr(dot + 1);
    if (whole.empty() || whole.size() > 9 || fraction.size() > 6) return false;
    long long w = 0, f = 0;
    if (std::from_chars(whole.data(), whole.data() + whole.size(), w).ptr != whole.data() + whole.size()) return false;
    if (!fraction.empty() &&
        std::from_chars(fraction.data(), fraction.data() + fraction.size(), f).ptr != fraction.data() + fraction.size()) {
        return false;
    }
    if (w < 0 || f < 0 || (dot != std::string::npos && fraction.empty())) return false;
    double scale = 1;
    for (std::size_t i = 0; i < fraction.size(); ++i) scale *= 10;
    out = static_cast<double>(w) + static_cast<double>(f) / scale;
    return true;
}

std::string Pad(std::string text, std::size_t width, bool right) {
    if (text.size() >= width) return text;
    return right ? std::string(width - text.size(), ' ') + text : text + std::string(width - text.size(), ' ');
}

std::string Memory(double gib) {
    std::string text = plan::FormatUsd(gib, 1);
    if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
    return text;
}

}  // namespace

int RunCatalog(const Args& args) {
    std::string cloud, region;
    double min_vcpus = 0, min_memory = 0;
    std::optional<plan::Arch> arch;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& flag = args[i];
        if (flag == "--help" || flag == "-h") {
            std::fputs(kCatalogUsage, stdout);
            return 0;
        }
        if (i + 1 >= args.size()) return UsageError("missing value after " + flag);
        const std::string& value = args[++i];
        if (flag == "--cloud") {
            cloud = value;
        } else if (flag == "--region") {
            region = value;
        } else if (flag == "--min-vcpus") {
            if (!ParseNumber(value, min_vcpus)) return UsageError("--min-vcpus needs a number, got " + value);
        } else if (flag == "--min-memory") {
            if (!ParseNumber(value, min_memory)) return UsageError("--min-memory needs a number of GiB, got " + value);
        } else if (flag == "--arch") {
            arch = plan::ParseArch(value);
            if (!arch) return UsageError("--arch must be x86_64 or arm64, got " + value);
        } else {
            return UsageError("unknown option " + flag);
        }
    }
    if (cloud.empty() || region.empty()) return UsageError("--cloud and --region are required");
    if (plan::Instances(cloud).empty()) return UsageError("no catalogue for cloud " + cloud + " (aws, azure or gcp)");

    std::vector<const plan::InstanceType*> priced, unpriced;
    for (const plan::InstanceType& t : plan::Instances(cloud)) {
        if (t.vcpus < min_vcpus || t.memory_gib < min_memory || (arch && t.arch != *arch)) continue;
        if (!plan::OfferedIn(t, region)) continue;
        (plan::HourlyPrice(t, region) ? priced : unpriced).push_back(&t);
    }
    std::stable_sort(priced.begin(), priced.end(), [&](const auto* a, const auto* b) {
        const double pa = *plan::HourlyPrice(*a, region), pb = *plan::HourlyPrice(*b, region);
        return pa != pb ? pa < pb : a->name < b->name;
    });
    std::stable_sort(unpriced.begin(), unpriced.end(), [](const auto* a, const auto* b) { return a->name < b->name; });

    const plan::PriceSheet& sheet = plan::InstancePriceSheet(cloud);
    std::printf("%s %s: Linux on-demand, %s, prices as of %s\nsource: %s\n\n", cloud.c_str(), region.c_str(),
                sheet.currency.c_str(), sheet.prices_as_of.c_str(), sheet.source.c_str());
    std::string out = Pad("type", 18, false) + "  " + Pad("category", 9, false) + "  " + Pad("vCPU", 4, true) + "  " +
                      Pad("GiB", 5, true) + "  " + Pad("arch", 6, false) + "  " + Pad("USD/hour", 9, true) + "  " +
                      Pad("USD/month", 9, true) + "\n";
    auto row = [&](const plan::InstanceType& t, const std::string& hour, const std::string& month) {
        out += Pad(t.name, 18, false) + "  " + Pad(std::string(plan::ToString(t.category)), 9, false) + "  " +
               Pad(std::to_string(t.vcpus), 4, true) + "  " + Pad(Memory(t.memory_gib), 5, true) + "  " +
               Pad(std::string(plan::ToString(t.arch)), 6, false) + "  " + Pad(hour, 9, true) + "  " +
               Pad(month, 9, true) + "\n";
    };
    for (const auto* t : priced) {
        const double price = *plan::HourlyPrice(*t, region);
        row(*t, plan::FormatPrice(price), plan::FormatUsd(price * plan::kHoursPerMonth));
    }
    for (const auto* t : unpriced) row(*t, "no price", "-");
    std::fputs(out.c_str(), stdout);
    const std::size_t shown = priced.size() + unpriced.size();
    std::printf("\n%zu types (%zu without a known price in %s; 1 month = 730 hours)\n", shown, unpriced.size(),
                region.c_str());
    if (shown == 0) {
        std::fprintf(stderr, "cs catalog: no %s type offered in %s matches\n", cloud.c_str(), region.c_str());
        return 1;
    }
    return 0;
}

}  // namespace cs
