#pragma once
// Internal: the Azure Resource Manager emitter (emit_arm.cpp), and the few helpers it shares with the
// Terraform emitter (emit_terraform.cpp): resolving a database's host, and rendering its first-boot script.
#include <string>
#include <string_view>
#include <vector>

#include "bootstrap.hpp"
#include "plan/catalog.hpp"
#include "plan/server_config.hpp"
#include "plan/transform.hpp"

namespace plan::detail {

// One PostgreSQL component with everything the emitters need, resolved from the plan and the catalogue.
struct ResolvedDatabase {
    std::size_t index = 0;           // position in plan.components
    const Component* db = nullptr;
    const PostgresSpec* pg = nullptr;
    const Component* vm = nullptr;
    const VmSpec* vm_spec = nullptr;
    const InstanceType* type = nullptr;
    OsImage image;
    ServerConfig config;             // tuned for the host; its warnings are already in the diagnostics
};

// Every PostgreSQL component of `plan` on `cloud`, in plan order. Catalogue problems (no type, no image)
// are appended to `diagnostics` and that database is skipped; the caller renders nothing if any is an error.
std::vector<ResolvedDatabase> ResolveDatabases(const Plan& plan, std::string_view cloud, Diagnostics& diagnostics);

// The first-boot script of one server of `r`, with the markers {{STACK}}, {{REGION}}, {{PASSWORD_PARAMETER}}
// and {{REPLICATION_PARAMETER}} already replaced (secret names: PasswordSecretName...). {{BUCKET}} and
// {{PRIMARY_HOST}} stay for the caller. `server` names the server in the status it reports.
std::string RenderDatabaseBootstrap(const Plan& plan, const ResolvedDatabase& r, BootstrapCloud cloud, bool replica,
                                    int replica_index, const std::string& server);

// "<stack name>/<component id>": where this database's backups live in its bucket or container.
std::string BackupPrefixFor(const Plan& plan, const Component& db);

// Every occurrence of `from` in `text` replaced by `to`.
std::string ReplaceText(std::string text, std::string_view from, std::string_view to);

// RFC 4648 base64 with padding.
std::string Base64(std::string_view bytes);

// The ARM template (.azure.json) for `plan` (provider "azure", already validated), named after `slug`.
TransformResult EmitArm(const Plan& plan, const std::string& slug, TransformResult result);

}  // namespace plan::detail
