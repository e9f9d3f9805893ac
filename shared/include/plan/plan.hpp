#pragma once
// The plan model (cs-json): a versioned, cloud-agnostic description of what to deploy.
// Plain value types with in-class defaults; a default-constructed Plan is empty but well-formed,
// and DefaultPlan() is the smallest deployable one. JSON mapping: json.hpp; rules: validate.hpp;
// the format is documented in docs/plan-format.md.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace plan {

inline constexpr int kSchemaVersion = 1;

enum class Environment { Development, Staging, Production, Feature };
enum class Workload { Web, Oltp, Dw, Desktop, Mixed };
enum class DiskType { Ssd, Hdd };
enum class Topology { Single, PrimaryReplicas };

// Newest first.
inline constexpr std::string_view kPostgresVersions[] = {"18", "17", "16", "15", "14"};
// The default for new plans: the newest version every supported OS packages (Amazon Linux 2023, the
// suggested OS, ships 15-17), so a new plan deploys as it is.
inline constexpr std::string_view kDefaultPostgresVersion = "17";

struct Position {
    double x = 0;  // canvas units (1 = one CSS pixel at 100% zoom)
    double y = 0;
};

struct OsSpec {
    std::string family = "linux";
    std::string distribution = "amazon-linux";  // amazon-linux | ubuntu | debian
    std::string version = "2023";
};

// Either an instance type, or vCPU + memory from which the transformer picks one.
struct Hardware {
    std::string instance_type;     // e.g. "t3.medium"; empty when sized by vcpus + memory_gib
    int vcpus = 0;                 // 0 = not given
    double memory_gib = 0;         // 0 = not given
};

struct Disk {
    DiskType type = DiskType::Ssd;
    int size_gib = 20;
};

struct VmSpec {
    OsSpec os;
    Hardware hardware{"t3.medium", 0, 0};
    Disk disk;
    std::string image_id;  // optional machine image override (e.g. "ami-0abc..."), empty = resolved from os
};

struct Backups {
    bool enabled = true;
    std::string schedule = "0 3 * * *";  // cron, five fields, UTC
    int retention_days = 7;
    bool validate = true;                // restore the newest backup into a scratch server and check it
};

struct PostgresSpec {
    std::string host;  // id of the vm component that runs this database
    std::string version{kDefaultPostgresVersion};
    int max_connections = 100;
    Workload workload = Workload::Web;
    Backups backups;
    Topology topology = Topology::Single;
    int replicas = 0;                    // streaming replicas; > 0 only with PrimaryReplicas
    int port = 5432;
    std::vector<std::string> allowed_cidrs{"10.0.0.0/16"};
    bool publicly_accessible = false;
};

struct Component {
    std::string id;    // unique in the plan; [a-z0-9-], starts with a letter
    std::string name;  // shown on the canvas
    Position position;
    std::variant<VmSpec, PostgresSpec> spec;

    bool IsVm() const { return std::holds_alternative<VmSpec>(spec); }
    bool IsPostgres() const { return std::holds_alternative<PostgresSpec>(spec); }
    std::string_view Kind() const { return IsVm() ? "vm" : "postgres"; }
};

struct Cloud {
    std::string provider = "aws";  // aws | azure | gcp | local
    std::string region = "us-east-1";
};

struct Plan {
    int schema_version = kSchemaVersion;
    std::string id;         // assigned by the gateway; empty for a plan never saved
    std::string name = "Untitled plan";
    std::int64_t revision = 0;  // assigned by the gateway; bumps on every saved change
    Environment environment = Environment::Development;
    Cloud cloud;
    std::vector<Component> components;

    const Component* Find(std::string_view component_id) const;
    Component* Find(std::string_view component_id);
};

// A plan with one VM (Amazon Linux 2023, t3.medium, 20 GiB SSD) hosting one PostgreSQL (newest version),
// named `name`. It passes Validate() without errors.
Plan DefaultPlan(std::string name = "Untitled plan");

// Enum <-> the exact strings used in cs-json. Parse* return nullopt for an unknown string.
std::string_view ToString(Environment value);
std::string_view ToString(Workload value);
std::string_view ToString(DiskType value);
std::string_view ToString(Topology value);
std::optional<Environment> ParseEnvironment(std::string_view text);
std::optional<Workload> ParseWorkload(std::string_view text);
std::optional<DiskType> ParseDiskType(std::string_view text);
std::optional<Topology> ParseTopology(std::string_view text);

}  // namespace plan
