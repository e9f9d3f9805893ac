#pragma once
// The knowledge base: instance types per cloud with vCPUs, memory, architecture and on-demand prices
// per region; disk and object-storage prices; OS images resolved without hard-coded image ids.
// The data are the JSON files in shared/data/catalog/, compiled in by shared/catalog.cmake (so the
// browser has them offline); docs/catalog.md describes them and the rules below.
//
// Pure: no I/O. Every function is deterministic (same answers natively and in wasm). Prices are USD,
// Linux on-demand; "no price" (nullopt) means the type is offered in the region but the catalogue has
// no confirmed price there, and callers must say so rather than guess.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plan/diagnostic.hpp"
#include "plan/plan.hpp"

namespace plan {

enum class Arch { X86_64, Arm64 };
enum class Category { Burstable, General, Memory, Compute };
enum class ArchPreference { Any, X86_64, Arm64 };

struct InstanceType {
    std::string cloud;      // "aws" | "azure" | "gcp"
    std::string name;       // the cloud's own name: "t3.medium", "Standard_D2s_v5", "e2-standard-2"
    std::string family;     // "t3", "Dsv5", "n2"
    Category category = Category::General;
    int vcpus = 0;
    double memory_gib = 0;
    Arch arch = Arch::X86_64;
    // Region -> USD per hour. A region that is absent does not offer the type; nullopt = offered, no price.
    std::map<std::string, std::optional<double>, std::less<>> prices;
};

// Where a cloud's price sheet comes from. Empty strings/lists for an unknown cloud.
struct PriceSheet {
    std::string cloud;
    std::string currency;        // "USD"
    std::string prices_as_of;    // ISO date the prices were taken
    std::string source;          // where they were taken from
    std::vector<std::string> regions;  // regions the sheet covers, in the file's order
};

// "x86_64" / "arm64"; "burstable" / "general" / "memory" / "compute".
std::string_view ToString(Arch value);
std::string_view ToString(Category value);
// Parse those names (and "amd64"/"aarch64" as aliases for the architectures); nullopt when unknown.
std::optional<Arch> ParseArch(std::string_view text);

// The clouds with a catalogue: {"aws", "azure", "gcp"}.
const std::vector<std::string>& CatalogClouds();

// Every instance type of `cloud` in the data file's order; empty for an unknown cloud (or "local").
const std::vector<InstanceType>& Instances(std::string_view cloud);

// The type called `name` (exact, case-sensitive) in `cloud`, or nullptr. The pointer stays valid forever.
const InstanceType* FindInstance(std::string_view cloud, std::string_view name);

// Up to `count` names of `cloud` closest to `name` (edit distance, ties by name), for "did you mean".
std::vector<std::string> SimilarInstanceNames(std::string_view cloud, std::string_view name, std::size_t count = 3);

// True when the type is offered in `region` (with or without a known price).
bool OfferedIn(const InstanceType& type, std::string_view region);

// USD per hour in `region`; nullopt when not offered there or when the catalogue has no price for it.
std::optional<double> HourlyPrice(const InstanceType& type, std::string_view region);

// The price sheet of `cloud` (date, source, regions).
const PriceSheet& InstancePriceSheet(std::string_view cloud);

// Problems found while loading the embedded data (missing fields, wrong types, impossible values).
// Empty when the data is sound; tests assert that, so a bad data file fails the test run.
const Diagnostics& CatalogLoadProblems();

// ---- Picking a type from vCPU + memory -------------------------------------------------------------

// What PickInstance was asked for.
struct PickRequest {
    std::string cloud;
    std::string region;
    int vcpus = 0;                  // at least this many vCPUs
    double memory_gib = 0;          // at least this much memory
    ArchPreference arch = ArchPreference::Any;
    bool allow_burstable = true;    // false for production: burstable types throttle under sustained load
};

struct PickResult {
    const InstanceType* type = nullptr;  // nullptr when nothing fits; `problem` then says why
    double usd_per_hour = 0;
    std::optional<Diagnostic> problem;   // code "hardware.no_instance_fits" (path ""; the caller sets it)
};

// The rule: among types offered in the region WITH a known price, having >= vcpus and >= memory_gib,
// of the requested architecture (Any = both), and not burstable unless allowed, the cheapest per hour;
// ties go to the smaller memory, then fewer vCPUs, then the name. Deterministic.
PickResult PickInstance(const PickRequest& request);

// The request CloudSketch makes for a VM sized by vcpus + memory_gib: burstable only outside production.
PickRequest PickRequestFor(const Plan& plan, const VmSpec& vm, ArchPreference arch = ArchPreference::Any);

// The type a VM runs on: its instance_type looked up, or the picked one when sized by vcpus + memory.
// nullptr when the named type is unknown or nothing fits.
const InstanceType* ResolveInstance(const Plan& plan, const VmSpec& vm);

// ---- Local plans ---------------------------------------------------------------------------------------

// A "local" plan runs on the gateway's own machine: its VM is that machine, nothing is created or billed.
// What such a VM asks of the machine for PostgreSQL (the local target tunes for it, capped at what the
// machine really has; the editor's postgresql.conf preview tunes for it uncapped).
struct LocalSize {
    int vcpus = 0;
    double memory_gib = 0;
    const InstanceType* like = nullptr;  // the catalogue type it is sized like, when given by instance_type
};

// The size a VM of a local plan asks for: vcpus + memory_gib as drawn, or, when it names an instance type,
// that type's (looked up in every catalogue, in CatalogClouds() order: "size it like a t3.medium").
// nullopt when the type is in no catalogue or no size is given.
std::optional<LocalSize> LocalVmSize(const VmSpec& vm);

// ---- OS images ----------------------------------------------------------------------------------------

enum class ImageKind { SsmParameter, AzureReference, GcpFamily, UserImageId };

// How a VM's image is chosen, without hard-coded image ids.
struct OsImage {
    ImageKind kind = ImageKind::SsmParameter;
    std::string distribution;     // "amazon-linux" | "ubuntu" | "debian"
    std::string version;          // "2023", "22.04", "24.04", "12"
    Arch arch = Arch::X86_64;
    std::string ssm_parameter;    // AWS: public SSM parameter holding the current AMI id, for a CloudFormation
                                  // parameter of type AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    std::string publisher, offer, sku, image_version;  // Azure image reference
    std::string image_family;     // GCP: projects/<project>/global/images/family/<family>
    std::string image_id;         // UserImageId: the user's own id, used as given
};

struct ImageResult {
    std::optional<OsImage> image;
    std::optional<Diagnostic> problem;  // "os.image_unavailable" (no build at all on this cloud) or
                                        // "os.image_arch_unavailable" (builds exist, not for this arch)
};

// The image for `distribution` `version` on `arch` in `cloud`, from os_images.json.
ImageResult ImageFor(std::string_view cloud, std::string_view distribution, std::string_view version, Arch arch);

// Same rule over an explicit table (`images` of one cloud), so the rule can be tested on any data.
ImageResult ImageFor(const std::vector<OsImage>& images, std::string_view cloud, std::string_view distribution,
                     std::string_view version, Arch arch);

// Every image entry of `cloud` in the file's order.
const std::vector<OsImage>& Images(std::string_view cloud);

// The image for a VM: its image_id when given (kind UserImageId, it overrides), else ImageFor(os, arch).
ImageResult ImageForVm(std::string_view cloud, const VmSpec& vm, Arch arch);

// ---- Hardware rules (called from Validate by the lead; not part of Validate's own rule table) ------------

// Catalogue rules for every VM of the plan (skipped for clouds without a catalogue; for "local" plans only
// hardware.instance_type_unknown applies, when the type is in no catalogue: see LocalVmSize):
//   hardware.instance_type_unknown    (error)   not in the catalogue; the message lists the closest names
//   hardware.instance_type_not_in_region (error) the type is not offered in the plan's region
//   hardware.no_instance_fits         (error)   sized by vcpus + memory and no priced type in the region fits
//   os.image_unavailable              (error)   the distribution has no image on this cloud
//   os.image_arch_unavailable         (error)   the distribution has no image for the type's architecture
//   hardware.image_arch_unverified    (warning) a user image id with an arm64 type: its architecture is unknown
// Paths point at /components/<i>/hardware/instance_type, /components/<i>/hardware or /components/<i>/os.
Diagnostics CheckHardware(const Plan& plan);

}  // namespace plan
