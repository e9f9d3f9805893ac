// OS images by distribution, version and architecture, resolved through what each cloud publishes
// (AWS public SSM parameters, Azure marketplace references, GCP image families), never by image id.
#include "plan/catalog.hpp"

namespace plan {

ImageResult ImageFor(const std::vector<OsImage>& images, std::string_view cloud, std::string_view distribution,
                     std::string_view version, Arch arch) {
    ImageResult result;
    bool other_arch = false;
    for (const OsImage& image : images) {
        if (image.distribution != distribution || image.version != version) continue;
        if (image.arch == arch) {
            result.image = image;
            return result;
        }
        other_arch = true;
    }
    const std::string what = std::string(distribution) + " " + std::string(version);
    if (other_arch) {
        result.problem = Diagnostic{Severity::Error, "", "os.image_arch_unavailable",
                                    what + " has no " + std::string(ToString(arch)) + " image on " + std::string(cloud) +
                                        "; pick an instance type of the other architecture or another distribution."};
    } else {
        result.problem = Diagnostic{Severity::Error, "", "os.image_unavailable",
                                    what + " has no public image on " + std::string(cloud) +
                                        " that CloudSketch knows; pick another distribution or give an image id."};
    }
    return result;
}

ImageResult ImageFor(std::string_view cloud, std::string_view distribution, std::string_view version, Arch arch) {
    return ImageFor(Images(cloud), cloud, distribution, version, arch);
}

ImageResult ImageForVm(std::string_view cloud, const VmSpec& vm, Arch arch) {
    if (vm.image_id.empty()) return ImageFor(cloud, vm.os.distribution, vm.os.version, arch);
    ImageResult result;
    OsImage image;
    image.kind = ImageKind::UserImageId;
    image.distribution = vm.os.distribution;
    image.version = vm.os.version;
    image.arch = arch;
    image.image_id = vm.image_id;
    result.image = std::move(image);
    return result;
}

}  // namespace plan
