// Catalogue rules for a plan's VMs: the type exists, is offered in the region, something fits when sized
// by vCPU + memory, and the OS has an image for the type's architecture. Called from Validate().
#include "plan/catalog.hpp"

namespace plan {
namespace {

std::string Quote(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string JoinNames(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

// Validate already rejects a distribution or version no cloud has; only report what this cloud lacks.
bool KnownAnywhere(const OsSpec& os) {
    for (const std::string& cloud : CatalogClouds()) {
        for (const OsImage& image : Images(cloud)) {
            if (image.distribution == os.distribution && image.version == os.version) return true;
        }
    }
    return false;
}

void Add(Diagnostics& out, Diagnostic d, std::string path) {
    d.path = std::move(path);
    out.push_back(std::move(d));
}

void CheckVm(const Plan& plan, const VmSpec& vm, const std::string& path, Diagnostics& out) {
    const std::string& cloud = plan.cloud.provider;
    const std::string& region = plan.cloud.region;
    const InstanceType* type = nullptr;
    if (!vm.hardware.instance_type.empty()) {
        type = FindInstance(cloud, vm.hardware.instance_type);
        if (type == nullptr) {
            out.push_back({Severity::Error, path + "/hardware/instance_type", "hardware.instance_type_unknown",
                           Quote(vm.hardware.instance_type) + " is not in CloudSketch's " + cloud +
                               " catalogue; closest: " + JoinNames(SimilarInstanceNames(cloud, vm.hardware.instance_type)) +
                               " (or give vcpus and memory_gib instead)."});
            return;
        }
        if (!OfferedIn(*type, region)) {
            std::vector<std::string> regions;
            for (const auto& [r, price] : type->prices) regions.push_back(r);
            out.push_back({Severity::Error, path + "/hardware/instance_type", "hardware.instance_type_not_in_region",
                           type->name + " is not offered in " + region + "; it is offered in " + JoinNames(regions) +
                               ". Pick another type or region."});
            return;
        }
    } else if (vm.hardware.vcpus > 0 && vm.hardware.memory_gib > 0) {
        const ArchPreference arch = vm.image_id.empty() ? ArchPreference::Any : ArchPreference::X86_64;
        PickResult pick = PickInstance(PickRequestFor(plan, vm, arch));
        if (!pick.type) {
            Add(out, std::move(*pick.problem), path + "/hardware");
            return;
        }
        type = pick.type;
    } else {
        return;  // Validate reports a missing or out-of-range size
    }

    if (!vm.image_id.empty()) {
        if (type->arch == Arch::Arm64) {
            out.push_back({Severity::Warning, path + "/image_id", "hardware.image_arch_unverified",
                           type->name + " is arm64; make sure image " + Quote(vm.image_id) +
                               " is an arm64 image, or the instance will not boot."});
        }
        return;
    }
    ImageResult image = ImageFor(cloud, vm.os.distribution, vm.os.version, type->arch);
    if (image.problem && KnownAnywhere(vm.os)) {
        const bool arch = image.problem->code == "os.image_arch_unavailable";
        Add(out, std::move(*image.problem), path + (arch ? "/hardware/instance_type" : "/os"));
    }
}

// A local VM is the gateway's machine: only its size matters, and a named type must say what size it means.
void CheckLocalVm(const VmSpec& vm, const std::string& path, Diagnostics& out) {
    if (vm.hardware.instance_type.empty() || LocalVmSize(vm)) return;
    out.push_back({Severity::Error, path + "/hardware/instance_type", "hardware.instance_type_unknown",
                   Quote(vm.hardware.instance_type) +
                       " is not in any CloudSketch catalogue. A local plan runs on the gateway's own machine: give "
                       "vcpus and memory_gib (what PostgreSQL may use of it) instead, or a known type such as "
                       "t3.medium to size it like that one."});
}

}  // namespace

Diagnostics CheckHardware(const Plan& plan) {
    Diagnostics out;
    if (plan.cloud.provider == "local") {
        for (std::size_t i = 0; i < plan.components.size(); ++i) {
            if (const auto* vm = std::get_if<VmSpec>(&plan.components[i].spec)) {
                CheckLocalVm(*vm, "/components/" + std::to_string(i), out);
            }
        }
        return out;
    }
    if (Instances(plan.cloud.provider).empty()) return out;  // a cloud Validate already rejects
    for (std::size_t i = 0; i < plan.components.size(); ++i) {
        if (const auto* vm = std::get_if<VmSpec>(&plan.components[i].spec)) {
            CheckVm(plan, *vm, "/components/" + std::to_string(i), out);
        }
    }
    return out;
}

}  // namespace plan
