#include "short_body.hpp"

#include <array>
#include <utility>

#include "json_reader.hpp"

namespace plan::detail {
namespace {

using nlohmann::json;

constexpr std::size_t kVm = 0;
constexpr std::size_t kDb = 1;

// "linux" means our suggested default distribution; the others pick that distribution's newest release.
bool ApplyOs(const std::string& os, OsSpec& spec) {
    if (os == "linux" || os == "amazon-linux") {
        spec = OsSpec{};
    } else if (os == "ubuntu") {
        spec = OsSpec{"linux", "ubuntu", "24.04"};
    } else if (os == "debian") {
        spec = OsSpec{"linux", "debian", "12"};
    } else {
        return false;
    }
    return true;
}

void ReadHardware(ObjectReader& hw, VmSpec& vm) {
    Hardware sized;
    const bool has_type = hw.String("instance_type", sized.instance_type);
    const bool has_vcpus = hw.Int("vcpus", sized.vcpus);
    const bool has_memory = hw.Number("memory_gib", sized.memory_gib);
    if (has_type || has_vcpus || has_memory) vm.hardware = sized;
    std::string storage;
    if (hw.String("storage", storage)) {
        if (auto type = ParseDiskType(storage)) {
            vm.disk.type = *type;
        } else {
            hw.Error(hw.PathOf("storage"), "value.unknown", "Unknown storage \"" + storage + "\"; use ssd or hdd.");
        }
    }
    hw.Int("disk_gib", vm.disk.size_gib);
    hw.String("ami", vm.image_id);
}

void ReadDb(ObjectReader& db, PostgresSpec& pg) {
    std::string flavor;
    if (db.String("flavor", flavor) && flavor != "pg" && flavor != "postgres" && flavor != "postgresql") {
        db.Error(db.PathOf("flavor"), "db.flavor_unsupported",
                 "Unsupported database flavor \"" + flavor + "\"; CloudSketch deploys PostgreSQL: use \"pg\".");
    }
    db.String("version", pg.version);
    db.Int("max_connections", pg.max_connections);
    db.Enum("workload", pg.workload, ParseWorkload, "web, oltp, dw, desktop, mixed");
    if (const json* backup = db.Child("backup")) {
        if (backup->is_boolean()) {
            pg.backups.enabled = backup->get<bool>();
        } else if (backup->is_string() && (*backup == "needed" || *backup == "none")) {
            pg.backups.enabled = *backup == "needed";
        } else {
            db.Error(db.PathOf("backup"), "value.unknown", "backup must be \"needed\", \"none\", true or false.");
        }
    }
    if (db.Int("replicas", pg.replicas) && pg.replicas > 0) pg.topology = Topology::PrimaryReplicas;
}

}  // namespace

ParseOutcome ReadShortBody(const json& document) {
    ParseOutcome outcome;
    outcome.short_body = true;
    Plan plan = DefaultPlan("Untitled plan");
    VmSpec& vm = std::get<VmSpec>(plan.components[kVm].spec);
    PostgresSpec& pg = std::get<PostgresSpec>(plan.components[kDb].spec);

    ObjectReader r(document, "", outcome.diagnostics);
    r.String("name", plan.name);
    r.Enum("environment", plan.environment, ParseEnvironment, "development, staging, production, feature");
    std::string region;
    if (r.String("region", region)) plan.cloud.region = region;
    std::string os;
    if (r.String("os", os) && !ApplyOs(os, vm.os)) {
        r.Error(r.PathOf("os"), "os.unsupported",
                "Unsupported os \"" + os + "\"; use linux (Amazon Linux 2023), amazon-linux, ubuntu or debian.");
    }
    if (const json* hw = r.Child("hardware")) {
        ObjectReader h(*hw, "/hardware", outcome.diagnostics);
        if (h.IsObject()) {
            ReadHardware(h, vm);
            h.Finish();
        }
    }
    if (const json* db = r.Child("db")) {
        ObjectReader d(*db, "/db", outcome.diagnostics);
        if (d.IsObject()) {
            ReadDb(d, pg);
            d.Finish();
        }
    }
    r.Finish();
    outcome.plan = std::move(plan);
    return outcome;
}

std::string ShortBodyPath(const std::string& full_path) {
    static const std::array<std::pair<std::string_view, std::string_view>, 13> kMap{{
        {"/components/0/hardware/instance_type", "/hardware/instance_type"},
        {"/components/0/hardware/vcpus", "/hardware/vcpus"},
        {"/components/0/hardware/memory_gib", "/hardware/memory_gib"},
        {"/components/0/hardware", "/hardware"},
        {"/components/0/disk/type", "/hardware/storage"},
        {"/components/0/disk/size_gib", "/hardware/disk_gib"},
        {"/components/0/image_id", "/hardware/ami"},
        {"/components/0/os", "/os"},
        {"/components/1/version", "/db/version"},
        {"/components/1/max_connections", "/db/max_connections"},
        {"/components/1/workload", "/db/workload"},
        {"/components/1/backups", "/db/backup"},
        {"/components/1/topology", "/db/replicas"},
    }};
    for (const auto& [from, to] : kMap) {
        if (full_path.compare(0, from.size(), from) == 0 &&
            (full_path.size() == from.size() || full_path[from.size()] == '/')) {
            return std::string(to);
        }
    }
    if (full_path.compare(0, 13, "/components/1") == 0) return "/db";
    if (full_path.compare(0, 13, "/components/0") == 0) return "/hardware";
    return full_path;
}

}  // namespace plan::detail
