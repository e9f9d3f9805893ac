// cs-json <-> Plan. Reading collects every structural problem (wrong type, unknown field, unknown enum
// value) with its JSON pointer instead of stopping at the first, so a person can fix them in one pass.
// This is the only file that lets nlohmann-json throw, and it catches every throw.
#include "plan/json.hpp"

#include "json_reader.hpp"
#include "plan/json_text.hpp"
#include "short_body.hpp"

namespace plan {
namespace {

using detail::ObjectReader;
using nlohmann::json;
using nlohmann::ordered_json;

constexpr std::string_view kEnvironmentChoices = "development, staging, production, feature";
constexpr std::string_view kWorkloadChoices = "web, oltp, dw, desktop, mixed";
constexpr std::string_view kDiskChoices = "ssd, hdd";
constexpr std::string_view kTopologyChoices = "single, primary-replicas";

// Reads the nested object at `key` with `read(reader)`, then reports its unknown fields.
template <typename ReadFn>
void ReadNested(ObjectReader& parent, std::string_view key, Diagnostics& out, ReadFn read) {
    const json* value = parent.Child(key);
    if (value == nullptr) return;
    ObjectReader r(*value, parent.PathOf(key), out);
    if (!r.IsObject()) return;
    read(r);
    r.Finish();
}

void ReadVm(ObjectReader& r, Diagnostics& out, VmSpec& vm) {
    ReadNested(r, "os", out, [&](ObjectReader& os) {
        os.String("family", vm.os.family);
        os.String("distribution", vm.os.distribution);
        os.String("version", vm.os.version);
    });
    ReadNested(r, "hardware", out, [&](ObjectReader& hw) {
        // Giving any of the three replaces the default sizing entirely (type vs. vCPU + RAM).
        vm.hardware = Hardware{};
        hw.String("instance_type", vm.hardware.instance_type);
        hw.Int("vcpus", vm.hardware.vcpus);
        hw.Number("memory_gib", vm.hardware.memory_gib);
    });
    ReadNested(r, "disk", out, [&](ObjectReader& disk) {
        disk.Enum("type", vm.disk.type, ParseDiskType, kDiskChoices);
        disk.Int("size_gib", vm.disk.size_gib);
    });
    r.String("image_id", vm.image_id);
}

void ReadPostgres(ObjectReader& r, Diagnostics& out, PostgresSpec& pg) {
    r.String("host", pg.host);
    r.String("version", pg.version);
    r.Int("max_connections", pg.max_connections);
    r.Enum("workload", pg.workload, ParseWorkload, kWorkloadChoices);
    ReadNested(r, "backups", out, [&](ObjectReader& b) {
        b.Bool("enabled", pg.backups.enabled);
        b.String("schedule", pg.backups.schedule);
        b.Int("retention_days", pg.backups.retention_days);
        b.Bool("validate", pg.backups.validate);
    });
    ReadNested(r, "topology", out, [&](ObjectReader& t) {
        t.Enum("mode", pg.topology, ParseTopology, kTopologyChoices);
        t.Int("replicas", pg.replicas);
    });
    ReadNested(r, "network", out, [&](ObjectReader& n) {
        n.Int("port", pg.port);
        n.StringList("allowed_cidrs", pg.allowed_cidrs);
        n.Bool("public", pg.publicly_accessible);
    });
}

// Returns false when the component is unusable (no readable kind), so it is left out of the plan.
bool ReadComponent(const json& value, const std::string& path, Diagnostics& out, Component& component) {
    ObjectReader r(value, path, out);
    if (!r.IsObject()) return false;
    std::string kind;
    if (!r.Has("kind")) {
        r.Error(path, "component.kind_required", "Every component needs \"kind\": \"vm\" or \"postgres\".");
    } else if (r.String("kind", kind) && kind != "vm" && kind != "postgres") {
        r.Error(r.PathOf("kind"), "value.unknown",
                "Unknown component kind \"" + kind + "\"; use \"vm\" or \"postgres\".");
    }
    r.String("id", component.id);
    r.String("name", component.name);
    ReadNested(r, "position", out, [&](ObjectReader& p) {
        p.Number("x", component.position.x);
        p.Number("y", component.position.y);
    });
    bool usable = true;
    if (kind == "vm") {
        VmSpec vm;
        ReadVm(r, out, vm);
        component.spec = std::move(vm);
    } else if (kind == "postgres") {
        PostgresSpec pg;
        ReadPostgres(r, out, pg);
        component.spec = std::move(pg);
    } else {
        usable = false;
    }
    if (usable) r.Finish();  // Unknown-field noise on a component of unknown kind would only confuse.
    return usable;
}

Plan ReadPlan(ObjectReader& r, Diagnostics& out) {
    Plan plan;
    plan.components.clear();
    if (r.Int("schema_version", plan.schema_version) && plan.schema_version != kSchemaVersion) {
        r.Error(r.PathOf("schema_version"), "plan.schema_unsupported",
                "This gateway reads cs-json schema version " + std::to_string(kSchemaVersion) + "; got " +
                    std::to_string(plan.schema_version) + ". Upgrade CloudSketch or save the plan in version 1.");
    }
    r.String("id", plan.id);
    r.String("name", plan.name);
    r.Int64("revision", plan.revision);
    r.Enum("environment", plan.environment, ParseEnvironment, kEnvironmentChoices);
    ReadNested(r, "cloud", out, [&](ObjectReader& c) {
        c.String("provider", plan.cloud.provider);
        c.String("region", plan.cloud.region);
    });
    if (const json* list = r.Child("components")) {
        if (!list->is_array()) {
            r.Error(r.PathOf("components"), "type.mismatch",
                    "components must be a list; got " + std::string(detail::TypeName(*list)) + ".");
        } else {
            for (std::size_t i = 0; i < list->size(); ++i) {
                Component component;
                if (ReadComponent((*list)[i], r.PathOf("components") + "/" + std::to_string(i), out, component)) {
                    plan.components.push_back(std::move(component));
                }
            }
        }
    }
    r.Finish();
    return plan;
}

ordered_json PositionToJson(const Position& p) { return ordered_json{{"x", p.x}, {"y", p.y}}; }

ordered_json VmToJson(const VmSpec& vm) {
    ordered_json out;
    out["os"] = {{"family", vm.os.family}, {"distribution", vm.os.distribution}, {"version", vm.os.version}};
    ordered_json hardware = ordered_json::object();
    if (!vm.hardware.instance_type.empty()) hardware["instance_type"] = vm.hardware.instance_type;
    if (vm.hardware.vcpus != 0) hardware["vcpus"] = vm.hardware.vcpus;
    if (vm.hardware.memory_gib != 0) hardware["memory_gib"] = vm.hardware.memory_gib;
    out["hardware"] = hardware;
    out["disk"] = {{"type", ToString(vm.disk.type)}, {"size_gib", vm.disk.size_gib}};
    if (!vm.image_id.empty()) out["image_id"] = vm.image_id;
    return out;
}

ordered_json PostgresToJson(const PostgresSpec& pg) {
    ordered_json out;
    out["host"] = pg.host;
    out["version"] = pg.version;
    out["max_connections"] = pg.max_connections;
    out["workload"] = ToString(pg.workload);
    out["backups"] = {{"enabled", pg.backups.enabled},
                      {"schedule", pg.backups.schedule},
                      {"retention_days", pg.backups.retention_days},
                      {"validate", pg.backups.validate}};
    out["topology"] = {{"mode", ToString(pg.topology)}, {"replicas", pg.replicas}};
    out["network"] = {{"port", pg.port}, {"allowed_cidrs", pg.allowed_cidrs}, {"public", pg.publicly_accessible}};
    return out;
}

}  // namespace

ParseOutcome PlanFromJson(const json& document) {
    ParseOutcome outcome;
    try {
        if (IsShortBody(document)) return detail::ReadShortBody(document);
        ObjectReader reader(document, "", outcome.diagnostics);
        if (!reader.IsObject()) return outcome;
        outcome.plan = ReadPlan(reader, outcome.diagnostics);
    } catch (const std::exception& e) {
        // Unreachable with the checks above; kept so a library surprise becomes a diagnostic, not a crash.
        outcome.plan.reset();
        outcome.diagnostics.push_back({Severity::Error, "", "json.internal", std::string("Could not read the plan: ") + e.what()});
    }
    return outcome;
}

ParseOutcome ParsePlan(std::string_view text) {
    JsonText read = ReadJsonText(text);
    if (read.error) {
        ParseOutcome outcome;
        outcome.diagnostics.push_back({Severity::Error, read.error->pointer, read.error->code, read.error->message});
        return outcome;
    }
    return PlanFromJson(read.value);
}

bool IsShortBody(const json& document) {
    return document.is_object() && !document.contains("components") &&
           (document.contains("db") || document.contains("hardware") || document.contains("os"));
}

ordered_json PlanToJson(const Plan& plan) {
    ordered_json out;
    out["schema_version"] = plan.schema_version;
    if (!plan.id.empty()) out["id"] = plan.id;
    out["name"] = plan.name;
    out["revision"] = plan.revision;
    out["environment"] = ToString(plan.environment);
    out["cloud"] = {{"provider", plan.cloud.provider}, {"region", plan.cloud.region}};
    ordered_json components = ordered_json::array();
    for (const Component& c : plan.components) {
        ordered_json item;
        item["id"] = c.id;
        item["kind"] = c.Kind();
        item["name"] = c.name;
        item["position"] = PositionToJson(c.position);
        const ordered_json spec = c.IsVm() ? VmToJson(std::get<VmSpec>(c.spec))
                                           : PostgresToJson(std::get<PostgresSpec>(c.spec));
        for (const auto& [key, value] : spec.items()) item[key] = value;
        components.push_back(std::move(item));
    }
    out["components"] = std::move(components);
    return out;
}

std::string DumpPlan(const Plan& plan) {
    // Invalid UTF-8 cannot come from ParsePlan (the parser rejects it), but a plan built in code
    // could carry it: replace rather than throw.
    return PlanToJson(plan).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace plan
