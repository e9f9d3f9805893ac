// Choosing an instance type from vCPU + memory, and "did you mean" names for unknown types.
#include <algorithm>
#include <tuple>

#include "edit_distance.hpp"
#include "plan/catalog.hpp"

namespace plan {
namespace {

bool ArchMatches(Arch arch, ArchPreference preference) {
    return preference == ArchPreference::Any || (preference == ArchPreference::X86_64 && arch == Arch::X86_64) ||
           (preference == ArchPreference::Arm64 && arch == Arch::Arm64);
}

std::string Number(double value) {
    // Memory sizes in the catalogue are whole or halves of GiB; print without trailing zeros.
    const long long tenths = static_cast<long long>(value * 10 + 0.5);
    return std::to_string(tenths / 10) + (tenths % 10 ? "." + std::to_string(tenths % 10) : "");
}

}  // namespace

PickResult PickInstance(const PickRequest& request) {
    PickResult result;
    std::tuple<double, double, int, std::string_view> best{};
    for (const InstanceType& t : Instances(request.cloud)) {
        if (t.vcpus < request.vcpus || t.memory_gib < request.memory_gib) continue;
        if (!ArchMatches(t.arch, request.arch)) continue;
        if (!request.allow_burstable && t.category == Category::Burstable) continue;
        const auto price = HourlyPrice(t, request.region);
        if (!price) continue;
        const std::tuple<double, double, int, std::string_view> key{*price, t.memory_gib, t.vcpus, t.name};
        if (result.type == nullptr || key < best) {
            best = key;
            result.type = &t;
            result.usd_per_hour = *price;
        }
    }
    if (result.type == nullptr) {
        std::string what = std::to_string(request.vcpus) + " vCPU and " + Number(request.memory_gib) + " GiB";
        if (request.arch != ArchPreference::Any) {
            what += request.arch == ArchPreference::Arm64 ? " on arm64" : " on x86_64";
        }
        std::string message = Instances(request.cloud).empty()
                                  ? "There is no instance catalogue for cloud \"" + request.cloud + "\"."
                                  : "No " + request.cloud + " instance type with a known price in " + request.region +
                                        " has at least " + what +
                                        (request.allow_burstable ? "" : " (burstable types are not used in production)") +
                                        "; lower the size, pick another region or name an instance type.";
        result.problem = Diagnostic{Severity::Error, "", "hardware.no_instance_fits", std::move(message)};
    }
    return result;
}

PickRequest PickRequestFor(const Plan& plan, const VmSpec& vm, ArchPreference arch) {
    PickRequest request;
    request.cloud = plan.cloud.provider;
    request.region = plan.cloud.region;
    request.vcpus = vm.hardware.vcpus;
    request.memory_gib = vm.hardware.memory_gib;
    request.arch = arch;
    // A burstable type runs out of CPU credits under a database's sustained load; fine for trying things out,
    // not for production.
    request.allow_burstable = plan.environment != Environment::Production;
    return request;
}

const InstanceType* ResolveInstance(const Plan& plan, const VmSpec& vm) {
    if (!vm.hardware.instance_type.empty()) return FindInstance(plan.cloud.provider, vm.hardware.instance_type);
    // A user's own image has an unknown architecture; x86_64 is what almost every custom image is built for.
    const ArchPreference arch = vm.image_id.empty() ? ArchPreference::Any : ArchPreference::X86_64;
    return PickInstance(PickRequestFor(plan, vm, arch)).type;
}

std::optional<LocalSize> LocalVmSize(const VmSpec& vm) {
    const Hardware& hw = vm.hardware;
    if (hw.instance_type.empty()) {
        if (hw.vcpus <= 0 || hw.memory_gib <= 0) return std::nullopt;
        return LocalSize{hw.vcpus, hw.memory_gib, nullptr};
    }
    for (const std::string& cloud : CatalogClouds()) {
        if (const InstanceType* type = FindInstance(cloud, hw.instance_type)) return LocalSize{type->vcpus, type->memory_gib, type};
    }
    return std::nullopt;
}

std::vector<std::string> SimilarInstanceNames(std::string_view cloud, std::string_view name, std::size_t count) {
    std::vector<std::pair<std::size_t, std::string_view>> scored;
    for (const InstanceType& t : Instances(cloud)) scored.emplace_back(detail::EditDistance(name, t.name), t.name);
    std::sort(scored.begin(), scored.end());
    std::vector<std::string> names;
    for (std::size_t i = 0; i < scored.size() && i < count; ++i) names.emplace_back(scored[i].second);
    return names;
}

}  // namespace plan
