// Semantic rules for a readable plan. One function per rule family; each appends diagnostics with a
// JSON pointer, a stable code and a message that says how to fix the problem.
#include "plan/validate.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "plan/catalog.hpp"
#include "shape.hpp"
#include "short_body.hpp"

namespace plan {
namespace {

// Limits. Disk: 8 GiB is the smallest root volume the supported images boot from; 16 TiB is gp3's
// ceiling. Connections: PGTune's rules assume at least 20 (its form's minimum); 9999 is plenty.
constexpr int kMinDiskGib = 8;
constexpr int kMaxDiskGib = 16384;
constexpr int kMaxVcpus = 192;
constexpr double kMinMemoryGib = 0.5;
constexpr double kMaxMemoryGib = 1536;
constexpr int kMinConnections = 20;
constexpr int kMaxConnections = 9999;
constexpr int kMaxReplicas = 5;
constexpr int kMaxRetentionDays = 3650;
constexpr std::size_t kMaxNameLength = 100;

struct Checker {
    const Plan& plan;
    Diagnostics out;

    void Error(std::string path, std::string code, std::string message) {
        out.push_back({Severity::Error, std::move(path), std::move(code), std::move(message)});
    }
    void Warning(std::string path, std::string code, std::string message) {
        out.push_back({Severity::Warning, std::move(path), std::move(code), std::move(message)});
    }
};

std::string Quote(std::string_view text) { return "\"" + std::string(text) + "\""; }

bool HasControlCharacters(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

std::string Trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return "";
    return std::string(text.substr(first, text.find_last_not_of(" \t") - first + 1));
}

void CheckPlanFields(Checker& c) {
    if (Trimmed(c.plan.name).empty()) {
        c.Error("/name", "plan.name_required", "Give the plan a name (for example \"orders-db\").");
    } else if (c.plan.name.size() > kMaxNameLength) {
        c.Error("/name", "plan.name_too_long",
                "The plan name is " + std::to_string(c.plan.name.size()) + " bytes; keep it to " +
                    std::to_string(kMaxNameLength) + ".");
    } else if (HasControlCharacters(c.plan.name)) {
        c.Error("/name", "plan.name_invalid", "The plan name contains control characters (such as a newline); remove them.");
    }
    if (c.plan.revision < 0) c.Error("/revision", "plan.revision_invalid", "revision cannot be negative.");
}

void CheckCloud(Checker& c) {
    static const std::map<std::string, bool (*)(std::string_view), std::less<>> kRegionShape{
        {"aws", detail::IsAwsRegionName},
        {"azure", detail::IsAzureRegionName},
        {"gcp", detail::IsGcpRegionName},
        {"local", [](std::string_view) { return true; }},
    };
    const auto shape = kRegionShape.find(c.plan.cloud.provider);
    if (shape == kRegionShape.end()) {
        c.Error("/cloud/provider", "cloud.provider_unsupported",
                "Unsupported cloud " + Quote(c.plan.cloud.provider) + "; use aws, azure, gcp or local.");
        return;
    }
    if (c.plan.cloud.provider != "local" && !shape->second(c.plan.cloud.region)) {
        c.Error("/cloud/region", "cloud.region_invalid",
                Quote(c.plan.cloud.region) + " is not a " + c.plan.cloud.provider +
                    " region name (for example us-east-1, westeurope or europe-west1).");
    }
}

void CheckComponentIdentity(Checker& c) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < c.plan.components.size(); ++i) {
        const Component& comp = c.plan.components[i];
        const std::string path = "/components/" + std::to_string(i);
        if (comp.id.empty()) {
            c.Error(path + "/id", "component.id_required", "Every component needs an id, such as \"vm-1\".");
        } else if (!IsValidComponentId(comp.id)) {
            c.Error(path + "/id", "component.id_invalid",
                    "Component id " + Quote(comp.id) +
                        " must start with a letter and use only lowercase letters, digits and '-' (at most 40).");
        } else if (!seen.insert(comp.id).second) {
            c.Error(path + "/id", "component.id_duplicate",
                    "Another component already has id " + Quote(comp.id) + "; ids must be unique.");
        }
        if (comp.name.size() > 64 || HasControlCharacters(comp.name)) {
            c.Error(path + "/name", "component.name_invalid",
                    "Component names are at most 64 bytes without control characters.");
        }
    }
}

void CheckOs(Checker& c, const OsSpec& os, const std::string& path) {
    static const std::map<std::string, std::vector<std::string>> kReleases{
        {"amazon-linux", {"2023"}}, {"ubuntu", {"22.04", "24.04"}}, {"debian", {"12"}}};
    if (os.family != "linux") {
        c.Error(path + "/family", "os.family_unsupported", "Only linux is supported; set family to \"linux\".");
        return;
    }
    const auto releases = kReleases.find(os.distribution);
    if (releases == kReleases.end()) {
        c.Error(path + "/distribution", "os.distribution_unsupported",
                "Unsupported distribution " + Quote(os.distribution) +
                    "; use amazon-linux (suggested), ubuntu or debian.");
        return;
    }
    const auto& versions = releases->second;
    if (std::find(versions.begin(), versions.end(), os.version) == versions.end()) {
        std::string list;
        for (const auto& v : versions) list += (list.empty() ? "" : ", ") + v;
        c.Error(path + "/version", "os.version_unsupported",
                os.distribution + " " + Quote(os.version) + " is not supported; use " + list + ".");
    }
}

void CheckHardware(Checker& c, const Hardware& hw, const std::string& path) {
    const bool by_type = !hw.instance_type.empty();
    const bool by_size = hw.vcpus != 0 || hw.memory_gib != 0;
    if (!by_type && !by_size) {
        c.Error(path, "hardware.size_required",
                "Choose an instance type (for example t3.medium) or give vcpus and memory_gib.");
        return;
    }
    if (by_type && by_size) {
        c.Error(path, "hardware.ambiguous",
                "Give either an instance type or vcpus + memory_gib, not both; remove one of them.");
        return;
    }
    if (by_type) {
        static const std::map<std::string, bool (*)(std::string_view), std::less<>> kTypeShape{
            {"aws", detail::IsAwsInstanceTypeName},
            {"azure", detail::IsAzureInstanceTypeName},
            {"gcp", detail::IsGcpInstanceTypeName},
        };
        const auto shape = kTypeShape.find(c.plan.cloud.provider);
        if (shape != kTypeShape.end() && !shape->second(hw.instance_type)) {
            c.Error(path + "/instance_type", "hardware.instance_type_invalid",
                    Quote(hw.instance_type) + " is not a " + c.plan.cloud.provider +
                        " instance type name (for example t3.medium, Standard_D2s_v5 or e2-standard-2).");
        }
        return;
    }
    if (hw.vcpus < 1 || hw.vcpus > kMaxVcpus) {
        c.Error(path + "/vcpus", "hardware.vcpus_out_of_range",
                "vcpus must be between 1 and " + std::to_string(kMaxVcpus) + "; got " + std::to_string(hw.vcpus) + ".");
    }
    if (!(hw.memory_gib >= kMinMemoryGib && hw.memory_gib <= kMaxMemoryGib)) {
        c.Error(path + "/memory_gib", "hardware.memory_out_of_range",
                "memory_gib must be between 0.5 and 1536.");
    }
}

void CheckVm(Checker& c, const VmSpec& vm, const std::string& path) {
    CheckOs(c, vm.os, path + "/os");
    CheckHardware(c, vm.hardware, path + "/hardware");
    if (vm.disk.size_gib < kMinDiskGib || vm.disk.size_gib > kMaxDiskGib) {
        c.Error(path + "/disk/size_gib", "disk.size_out_of_range",
                "Disk size must be between " + std::to_string(kMinDiskGib) + " and " + std::to_string(kMaxDiskGib) +
                    " GiB; got " + std::to_string(vm.disk.size_gib) + ".");
    }
    if (!vm.image_id.empty()) {
        if (c.plan.cloud.provider == "aws" && !detail::IsAmiId(vm.image_id)) {
            c.Error(path + "/image_id", "vm.image_id_invalid",
                    Quote(vm.image_id) + " is not an AMI id (ami- followed by 8 or 17 hex digits); "
                    "leave it empty to use the distribution's current image.");
        } else if (vm.image_id.size() > 256 || HasControlCharacters(vm.image_id)) {
            c.Error(path + "/image_id", "vm.image_id_invalid", "The image id is too long or has control characters.");
        }
    }
}

void CheckBackups(Checker& c, const Backups& b, const std::string& path) {
    if (!b.enabled) {
        if (c.plan.environment == Environment::Production) {
            c.Error(path + "/enabled", "backups.required_in_production",
                    "Production databases must have backups; turn backups on or change the environment.");
        }
        return;
    }
    if (!IsValidCron(b.schedule)) {
        c.Error(path + "/schedule", "backups.schedule_invalid",
                Quote(b.schedule) + " is not a cron schedule; use five fields: minute hour day month weekday, "
                "numbers only (for example \"0 3 * * *\" for 03:00 UTC daily).");
    }
    if (b.retention_days < 1 || b.retention_days > kMaxRetentionDays) {
        c.Error(path + "/retention_days", "backups.retention_out_of_range",
                "retention_days must be between 1 and " + std::to_string(kMaxRetentionDays) + "; got " +
                    std::to_string(b.retention_days) + ".");
    }
}

void CheckNetwork(Checker& c, const PostgresSpec& pg, const std::string& path) {
    if (pg.port < 1024 || pg.port > 65535) {
        c.Error(path + "/port", "network.port_out_of_range",
                "port must be between 1024 and 65535 (PostgreSQL runs unprivileged); got " + std::to_string(pg.port) + ".");
    }
    for (std::size_t i = 0; i < pg.allowed_cidrs.size(); ++i) {
        const std::string& cidr = pg.allowed_cidrs[i];
        const std::string item = path + "/allowed_cidrs/" + std::to_string(i);
        if (!IsValidCidr(cidr)) {
            c.Error(item, "network.cidr_invalid",
                    Quote(cidr) + " is not a network range; write it as address/prefix with the host bits zero, "
                    "for example 10.0.0.0/16 or 203.0.113.7/32.");
        } else if (!pg.publicly_accessible && (cidr == "0.0.0.0/0" || cidr == "::/0")) {
            c.Error(item, "network.open_to_world",
                    Quote(cidr) + " opens the database to the whole internet; narrow the range, or set public to "
                    "true if that is really intended.");
        }
    }
    if (pg.allowed_cidrs.empty() && !pg.publicly_accessible) {
        c.Warning(path + "/allowed_cidrs", "network.no_clients",
                  "No network range may connect, so only the VM itself can reach PostgreSQL; add your app's range.");
    }
}

void CheckPostgres(Checker& c, const PostgresSpec& pg, const std::string& path,
                   std::map<std::string, std::string>& hosted) {
    if (pg.host.empty()) {
        c.Error(path + "/host", "postgres.host_required",
                "This PostgreSQL has no VM to run on; drop it onto a VM (set host to the VM's id).");
    } else if (const Component* host = c.plan.Find(pg.host); host == nullptr) {
        c.Error(path + "/host", "postgres.host_missing",
                "host " + Quote(pg.host) + " is not a component of this plan; pick one of the plan's VMs.");
    } else if (!host->IsVm()) {
        c.Error(path + "/host", "postgres.host_not_vm", "host " + Quote(pg.host) + " is not a VM; PostgreSQL runs on a VM.");
    } else if (auto [it, fresh] = hosted.emplace(pg.host, path); !fresh) {
        c.Error(path + "/host", "postgres.host_taken",
                "VM " + Quote(pg.host) + " already hosts another PostgreSQL; give each database its own VM.");
    }
    if (!IsSupportedPostgresVersion(pg.version)) {
        std::string list;
        for (std::string_view v : kPostgresVersions) list += (list.empty() ? "" : ", ") + std::string(v);
        c.Error(path + "/version", "postgres.version_unsupported",
                "PostgreSQL " + Quote(pg.version) + " is not supported; use one of " + list + ".");
    }
    if (pg.max_connections < kMinConnections || pg.max_connections > kMaxConnections) {
        c.Error(path + "/max_connections", "postgres.connections_out_of_range",
                "max_connections must be between " + std::to_string(kMinConnections) + " and " + std::to_string(kMaxConnections) + "; got " +
                    std::to_string(pg.max_connections) + ".");
    }
    CheckBackups(c, pg.backups, path + "/backups");
    if (pg.topology == Topology::Single && pg.replicas != 0) {
        c.Error(path + "/topology/replicas", "topology.replicas_need_mode",
                "A single server has no replicas; set mode to primary-replicas or replicas to 0.");
    } else if (pg.topology == Topology::PrimaryReplicas && (pg.replicas < 1 || pg.replicas > kMaxReplicas)) {
        c.Error(path + "/topology/replicas", "topology.replicas_out_of_range",
                "primary-replicas needs between 1 and " + std::to_string(kMaxReplicas) + " replicas; got " +
                    std::to_string(pg.replicas) + ".");
    }
    CheckNetwork(c, pg, path + "/network");
}

void CheckComponents(Checker& c) {
    std::map<std::string, std::string> hosted;  // vm id -> path of the postgres on it
    for (std::size_t i = 0; i < c.plan.components.size(); ++i) {
        const Component& comp = c.plan.components[i];
        const std::string path = "/components/" + std::to_string(i);
        if (const auto* vm = std::get_if<VmSpec>(&comp.spec)) CheckVm(c, *vm, path);
        if (const auto* pg = std::get_if<PostgresSpec>(&comp.spec)) CheckPostgres(c, *pg, path, hosted);
    }
    bool any_database = false;
    for (std::size_t i = 0; i < c.plan.components.size(); ++i) {
        const Component& comp = c.plan.components[i];
        any_database = any_database || comp.IsPostgres();
        if (comp.IsVm() && !hosted.count(comp.id)) {
            c.Warning("/components/" + std::to_string(i), "vm.unused",
                      "VM " + Quote(comp.id) + " hosts nothing; drop a PostgreSQL onto it or remove it.");
        }
    }
    if (!any_database) {
        c.Warning("/components", "plan.no_database", "The plan has no PostgreSQL yet; add one to deploy it.");
    }
}

}  // namespace

bool IsValidComponentId(std::string_view id) {
    return detail::IsComponentIdShape(id);
}

bool IsSupportedPostgresVersion(std::string_view version) {
    return std::find(std::begin(kPostgresVersions), std::end(kPostgresVersions), version) != std::end(kPostgresVersions);
}

Diagnostics Validate(const Plan& plan) {
    Checker c{plan, {}};
    CheckPlanFields(c);
    CheckCloud(c);
    CheckComponentIdentity(c);
    CheckComponents(c);
    // The catalogue's rules (type exists, offered in the region, image for the architecture) only mean
    // something once the plan's own shape is right; before that they would repeat the same problem.
    if (!HasErrors(c.out)) {
        for (Diagnostic& d : CheckHardware(plan)) c.out.push_back(std::move(d));
    }
    return std::move(c.out);
}

namespace {

// Adds the semantic rules to a readable document's structural diagnostics, pointing into what the user sent.
ParseOutcome WithRules(ParseOutcome outcome) {
    if (!outcome.plan) return outcome;
    for (Diagnostic& d : Validate(*outcome.plan)) {
        if (outcome.short_body) d.path = detail::ShortBodyPath(d.path);
        outcome.diagnostics.push_back(std::move(d));
    }
    return outcome;
}

}  // namespace

ParseOutcome CheckPlan(std::string_view text) { return WithRules(ParsePlan(text)); }

ParseOutcome CheckPlanDocument(const nlohmann::json& document) { return WithRules(PlanFromJson(document)); }

}  // namespace plan
