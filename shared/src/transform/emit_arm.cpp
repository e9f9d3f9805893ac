// Azure Resource Manager template from a plan. Per PostgreSQL component: an application security group
// for its servers and a network security group that opens the PostgreSQL port to the plan's ranges only
// (and to the group itself for replication) and denies the rest; a storage account for backups (HTTPS
// and TLS 1.2 only, no public blobs, no shared keys, a lifecycle policy with the plan's retention); per
// server a NIC (a public IP only when the plan is public), a VM with a system-assigned identity, managed
// OS and data disks, and the first-boot script as custom data; role assignments letting each identity
// use the backups container and read exactly its Key Vault secrets. Keys in a fixed order: same plan,
// same bytes.
// Reference: https://learn.microsoft.com/azure/templates/ (resource types and API versions).
//
// Index:
// [SECTION] Names, tags and expressions
// [SECTION] Network security, backup storage, role assignments, servers
// [SECTION] EmitArm
// [SECTION] Shared with emit_terraform.cpp: resolving databases, the bootstrap, base64
#include "emit_arm.hpp"

#include <nlohmann/json.hpp>

namespace plan::detail {
namespace {

using nlohmann::ordered_json;

constexpr const char* kSchema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
constexpr const char* kNetworkApi = "2023-09-01";
constexpr const char* kComputeApi = "2023-09-01";
constexpr const char* kStorageApi = "2023-01-01";
constexpr const char* kAuthorizationApi = "2022-04-01";
// Built-in roles: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
constexpr const char* kBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
constexpr const char* kKeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";

// A string literal inside an ARM expression: single quotes doubled.
std::string Lit(std::string_view text) { return "'" + ReplaceText(std::string(text), "'", "''") + "'"; }
std::string Expr(const std::string& body) { return "[" + body + "]"; }
std::string ResourceId(std::string_view type, const std::string& name_expr) {
    return "resourceId('" + std::string(type) + "', " + name_expr + ")";
}

// [SECTION] Names, tags and expressions
ordered_json Tags(const Plan& plan, const Component& db) {
    return {{"cloudsketch-plan", plan.id.empty() ? "unsaved" : plan.id},
            {"cloudsketch-environment", ToString(plan.environment)},
            {"cloudsketch-component", db.id}};
}

struct Names {
    std::string base;      // "cs-<component>"
    std::string id;        // "pgMain": prefix of variables and outputs
    std::string storage;   // expression of the storage account name
    std::string asg, nsg;
};

Names NamesFor(const Component& db) {
    Names n;
    n.base = "cs-" + db.id;
    n.id = LogicalId(db.id);
    n.id[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(n.id[0])));
    n.storage = "variables('" + n.id + "StorageAccount')";
    n.asg = n.base + "-servers";
    n.nsg = n.base + "-nsg";
    return n;
}

// [SECTION] Network security, backup storage, role assignments, servers
ordered_json Rule(const std::string& name, const std::string& description, int priority, const std::string& access,
                  const std::string& port) {
    return {{"name", name},
            {"properties",
             {{"description", description},
              {"protocol", access == "Deny" ? "*" : "Tcp"},
              {"sourcePortRange", "*"},
              {"destinationPortRange", port},
              {"destinationAddressPrefix", "*"},
              {"access", access},
              {"priority", priority},
              {"direction", "Inbound"}}}};
}

ordered_json SecurityGroup(const Plan& plan, const ResolvedDatabase& r, const Names& n) {
    const std::string port = std::to_string(r.pg->port);
    ordered_json rules = ordered_json::array();
    std::vector<std::string> ranges = r.pg->allowed_cidrs;
    if (r.pg->publicly_accessible && ranges.empty()) ranges = {"*"};
    int priority = 100;
    for (const std::string& cidr : ranges) {
        ordered_json rule = Rule("postgres-" + std::to_string(priority), "PostgreSQL from " + cidr, priority, "Allow", port);
        rule["properties"]["sourceAddressPrefix"] = cidr;
        rules.push_back(rule);
        ++priority;
    }
    if (r.pg->replicas > 0) {
        ordered_json rule = Rule("replication", "Streaming replication between this database's servers", 3000, "Allow", port);
        rule["properties"]["sourceApplicationSecurityGroups"] =
            ordered_json::array({{{"id", Expr(ResourceId("Microsoft.Network/applicationSecurityGroups", Lit(n.asg)))}}});
        rules.push_back(rule);
    }
    // Azure's defaults allow the whole virtual network in; the plan's ranges are the only way in.
    ordered_json deny = Rule("deny-all-inbound", "Everything else", 4096, "Deny", "*");
    deny["properties"]["sourceAddressPrefix"] = "*";
    rules.push_back(deny);
    return {{"type", "Microsoft.Network/networkSecurityGroups"},
            {"apiVersion", kNetworkApi},
            {"name", n.nsg},
            {"location", "[parameters('location')]"},
            {"tags", Tags(plan, *r.db)},
            {"dependsOn", ordered_json::array({Expr(ResourceId("Microsoft.Network/applicationSecurityGroups", Lit(n.asg)))})},
            {"properties", {{"securityRules", rules}}}};
}

void Storage(const Plan& plan, const ResolvedDatabase& r, const Names& n, ordered_json& resources) {
    const std::string account = Expr(n.storage);
    resources.push_back(
        {{"type", "Microsoft.Storage/storageAccounts"},
         {"apiVersion", kStorageApi},
         {"name", account},
         {"location", "[parameters('location')]"},
         {"tags", Tags(plan, *r.db)},
         {"kind", "StorageV2"},
         {"sku", {{"name", "Standard_LRS"}}},
         {"properties",
          {{"accessTier", "Hot"},
           {"supportsHttpsTrafficOnly", true},
           {"minimumTlsVersion", "TLS1_2"},
           {"allowBlobPublicAccess", false},
           // The VMs use their managed identities; no account key can read the backups.
           {"allowSharedKeyAccess", false},
           {"encryption",
            {{"keySource", "Microsoft.Storage"},
             {"services", {{"blob", {{"enabled", true}, {"keyType", "Account"}}}}}}}}}});
    const std::string storage_id = Expr(ResourceId("Microsoft.Storage/storageAccounts", n.storage));
    resources.push_back({{"type", "Microsoft.Storage/storageAccounts/blobServices/containers"},
                         {"apiVersion", kStorageApi},
                         {"name", Expr("format('{0}/default/backups', " + n.storage + ")")},
                         {"dependsOn", ordered_json::array({storage_id})},
                         {"properties", {{"publicAccess", "None"}}}});
    if (!r.pg->backups.enabled) return;
    const std::string prefix = "backups/" + BackupPrefixFor(plan, *r.db);
    const int days = r.pg->backups.retention_days;
    auto expire = [](const std::string& name, const std::string& match, int after) {
        return ordered_json{
            {"enabled", true},
            {"name", name},
            {"type", "Lifecycle"},
            {"definition",
             {{"actions", {{"baseBlob", {{"delete", {{"daysAfterModificationGreaterThan", after}}}}}}},
              {"filters", {{"blobTypes", ordered_json::array({"blockBlob"})}, {"prefixMatch", ordered_json::array({match})}}}}}};
    };
    resources.push_back(
        {{"type", "Microsoft.Storage/storageAccounts/managementPolicies"},
         {"apiVersion", kStorageApi},
         {"name", Expr("format('{0}/default', " + n.storage + ")")},
         {"dependsOn", ordered_json::array({storage_id})},
         {"properties",
          {{"policy",
            {{"rules", ordered_json::array({expire("expire-base-backups", prefix + "/base/", days),
                                            // WAL lives one day longer than the oldest base backup that needs it.
                                            expire("expire-wal", prefix + "/wal/", days + 1)})}}}}}});
}

ordered_json RoleAssignment(const std::string& vm, const std::string& what, const std::string& scope,
                            const std::string& role, ordered_json depends_on) {
    const std::string vm_id = ResourceId("Microsoft.Compute/virtualMachines", Lit(vm));
    depends_on.insert(depends_on.begin(), Expr(vm_id));
    return {{"type", "Microsoft.Authorization/roleAssignments"},
            {"apiVersion", kAuthorizationApi},
            {"name", Expr("guid(resourceGroup().id, " + Lit(vm) + ", " + Lit(what) + ")")},
            {"scope", scope},
            {"dependsOn", depends_on},
            {"properties",
             {{"roleDefinitionId", Expr("subscriptionResourceId('Microsoft.Authorization/roleDefinitions', " + Lit(role) + ")")},
              {"principalId", Expr("reference(" + vm_id + ", '" + kComputeApi + "', 'Full').identity.principalId")},
              {"principalType", "ServicePrincipal"}}}};
}

std::string PrivateIp(const std::string& nic) {
    return "reference(" + ResourceId("Microsoft.Network/networkInterfaces", Lit(nic)) + ", '" + kNetworkApi +
           "').ipConfigurations[0].properties.privateIPAddress";
}

// One server: public IP (when public), NIC, VM and its role assignments.
void Server(const Plan& plan, const ResolvedDatabase& r, const Names& n, bool replica, int replica_index,
            ordered_json& resources) {
    const std::string name = n.base + (replica ? "-replica-" + std::to_string(replica_index) : "-primary");
    const std::string nic = name + "-nic";
    const bool is_public = r.pg->publicly_accessible;

    ordered_json nic_depends = ordered_json::array({Expr(ResourceId("Microsoft.Network/networkSecurityGroups", Lit(n.nsg))),
                                                    Expr(ResourceId("Microsoft.Network/applicationSecurityGroups", Lit(n.asg)))});
    ordered_json ip_configuration{
        {"subnet", {{"id", "[parameters('subnetId')]"}}},
        {"privateIPAllocationMethod", "Dynamic"},
        {"applicationSecurityGroups",
         ordered_json::array({{{"id", Expr(ResourceId("Microsoft.Network/applicationSecurityGroups", Lit(n.asg)))}}})}};
    if (is_public) {
        const std::string pip = name + "-ip";
        resources.push_back({{"type", "Microsoft.Network/publicIPAddresses"},
                             {"apiVersion", kNetworkApi},
                             {"name", pip},
                             {"location", "[parameters('location')]"},
                             {"tags", Tags(plan, *r.db)},
                             {"sku", {{"name", "Standard"}}},
                             {"properties", {{"publicIPAllocationMethod", "Static"}, {"publicIPAddressVersion", "IPv4"}}}});
        nic_depends.push_back(Expr(ResourceId("Microsoft.Network/publicIPAddresses", Lit(pip))));
        ip_configuration["publicIPAddress"] = {{"id", Expr(ResourceId("Microsoft.Network/publicIPAddresses", Lit(pip)))}};
    }
    resources.push_back({{"type", "Microsoft.Network/networkInterfaces"},
                         {"apiVersion", kNetworkApi},
                         {"name", nic},
                         {"location", "[parameters('location')]"},
                         {"tags", Tags(plan, *r.db)},
                         {"dependsOn", nic_depends},
                         {"properties",
                          {{"networkSecurityGroup", {{"id", Expr(ResourceId("Microsoft.Network/networkSecurityGroups", Lit(n.nsg)))}}},
                           {"ipConfigurations", ordered_json::array({{{"name", "ipconfig1"}, {"properties", ip_configuration}}})}}}});

    std::string script = RenderDatabaseBootstrap(plan, r, BootstrapCloud::Azure, replica, replica_index, name);
    const bool hdd = r.vm_spec->disk.type == DiskType::Hdd;
    ordered_json tags = Tags(plan, *r.db);
    // The script reads these through the instance metadata service, so the custom data stays a constant.
    tags["cloudsketch-storage"] = Expr(n.storage);
    tags["cloudsketch-keyvault"] = "[parameters('keyVaultName')]";
    ordered_json vm_depends = ordered_json::array({Expr(ResourceId("Microsoft.Network/networkInterfaces", Lit(nic)))});
    if (replica) {
        tags["cloudsketch-primary"] = Expr(PrivateIp(n.base + "-primary-nic"));
        vm_depends.push_back(Expr(ResourceId("Microsoft.Compute/virtualMachines", Lit(n.base + "-primary"))));
    }
    const OsImage& image = r.image;
    ordered_json vm{
        {"type", "Microsoft.Compute/virtualMachines"},
        {"apiVersion", kComputeApi},
        {"name", name},
        {"location", "[parameters('location')]"},
        {"tags", tags},
        {"identity", {{"type", "SystemAssigned"}}},
        {"dependsOn", vm_depends},
        {"properties",
         {{"hardwareProfile", {{"vmSize", r.type->name}}},
          {"storageProfile",
           {{"imageReference",
             {{"publisher", image.publisher}, {"offer", image.offer}, {"sku", image.sku}, {"version", image.image_version}}},
            {"osDisk",
             {{"name", name + "-os"},
              {"createOption", "FromImage"},
              {"diskSizeGB", 30},
              {"managedDisk", {{"storageAccountType", "Premium_LRS"}}},
              {"deleteOption", "Delete"}}},
            {"dataDisks",
             ordered_json::array({{{"lun", 0},
                                   {"name", name + "-data"},
                                   {"createOption", "Empty"},
                                   {"diskSizeGB", r.vm_spec->disk.size_gib},
                                   {"managedDisk", {{"storageAccountType", hdd ? "Standard_LRS" : "Premium_LRS"}}},
                                   {"deleteOption", "Delete"}}})}}},
          {"osProfile",
           {{"computerName", name},
            {"adminUsername", "[parameters('adminUsername')]"},
            {"customData", Base64(script)},
            {"linuxConfiguration",
             {{"disablePasswordAuthentication", true},
              {"ssh",
               {{"publicKeys", ordered_json::array({{{"path", "[format('/home/{0}/.ssh/authorized_keys', parameters('adminUsername'))]"},
                                                     {"keyData", "[parameters('adminSshPublicKey')]"}}})}}}}}}},
          // Managed disks are always encrypted at rest with platform-managed keys; encryption at host
          // also covers temporary disks and caches, where the subscription has the feature registered.
          {"securityProfile", {{"encryptionAtHost", "[parameters('encryptionAtHost')]"}}},
          {"networkProfile",
           {{"networkInterfaces",
             ordered_json::array({{{"id", Expr(ResourceId("Microsoft.Network/networkInterfaces", Lit(nic)))},
                                   {"properties", {{"deleteOption", "Delete"}}}}})}}}}}};
    resources.push_back(vm);

    const std::string container = "format('Microsoft.Storage/storageAccounts/{0}/blobServices/default/containers/backups', " +
                                  n.storage + ")";
    resources.push_back(RoleAssignment(
        name, "backups", Expr(container), kBlobDataContributor,
        ordered_json::array({Expr(ResourceId("Microsoft.Storage/storageAccounts/blobServices/containers",
                                             n.storage + ", 'default', 'backups'"))})));
    std::vector<std::string> secrets;
    if (!replica) secrets.push_back(PasswordSecretName(plan, *r.db));
    if (r.pg->replicas > 0) secrets.push_back(ReplicationPasswordSecretName(plan, *r.db));
    for (const std::string& secret : secrets) {
        resources.push_back(RoleAssignment(
            name, secret, Expr("format('Microsoft.KeyVault/vaults/{0}/secrets/{1}', parameters('keyVaultName'), " + Lit(secret) + ")"),
            kKeyVaultSecretsUser, ordered_json::array()));
    }
}

}  // namespace

// [SECTION] EmitArm
TransformResult EmitArm(const Plan& plan, const std::string& slug, TransformResult result) {
    const std::vector<ResolvedDatabase> databases = ResolveDatabases(plan, "azure", result.diagnostics);
    if (HasErrors(result.diagnostics)) return result;

    ordered_json parameters;
    parameters["location"] = {{"type", "string"},
                              {"defaultValue", plan.cloud.region},
                              {"metadata", {{"description", "Azure region (the plan's)"}}}};
    parameters["subnetId"] = {{"type", "string"},
                              {"metadata", {{"description", "Resource id of the subnet (of an existing virtual network) the servers run in"}}}};
    parameters["adminUsername"] = {{"type", "string"},
                                   {"defaultValue", "cloudsketch"},
                                   {"metadata", {{"description", "Administrator of the VMs (SSH key only, no password)"}}}};
    parameters["adminSshPublicKey"] = {{"type", "string"},
                                       {"metadata", {{"description", "SSH public key of that administrator"}}}};
    parameters["keyVaultName"] = {
        {"type", "string"},
        {"metadata", {{"description", "Key Vault (RBAC mode, in this resource group) holding the database passwords"}}}};
    parameters["encryptionAtHost"] = {
        {"type", "bool"},
        {"defaultValue", false},
        {"metadata", {{"description", "Encrypt temporary disks and caches too (needs Microsoft.Compute/EncryptionAtHost registered)"}}}};

    ordered_json variables;
    ordered_json resources = ordered_json::array();
    ordered_json outputs;
    for (const ResolvedDatabase& r : databases) {
        const Names n = NamesFor(*r.db);
        // Globally unique, stable for this resource group and database: "cs" + 13 characters.
        variables[n.id + "StorageAccount"] = Expr("concat('cs', uniqueString(resourceGroup().id, " + Lit(r.db->id) + "))");
        resources.push_back({{"type", "Microsoft.Network/applicationSecurityGroups"},
                             {"apiVersion", kNetworkApi},
                             {"name", n.asg},
                             {"location", "[parameters('location')]"},
                             {"tags", Tags(plan, *r.db)},
                             {"properties", ordered_json::object()}});
        resources.push_back(SecurityGroup(plan, r, n));
        Storage(plan, r, n, resources);
        Server(plan, r, n, false, 0, resources);
        for (int i = 1; i <= r.pg->replicas; ++i) Server(plan, r, n, true, i, resources);

        const std::string primary = n.base + "-primary";
        const std::string endpoint =
            r.pg->publicly_accessible
                ? "reference(" + ResourceId("Microsoft.Network/publicIPAddresses", Lit(primary + "-ip")) + ", '" + kNetworkApi +
                      "').ipAddress"
                : PrivateIp(primary + "-nic");
        outputs[n.id + "Endpoint"] = {{"type", "string"}, {"value", Expr(endpoint)}};
        outputs[n.id + "Port"] = {{"type", "int"}, {"value", r.pg->port}};
        outputs[n.id + "Database"] = {{"type", "string"}, {"value", "app"}};
        outputs[n.id + "PasswordSecret"] = {{"type", "string"}, {"value", PasswordSecretName(plan, *r.db)}};
        outputs[n.id + "StorageAccount"] = {{"type", "string"}, {"value", Expr(n.storage)}};
        if (r.pg->replicas > 0) {
            std::string joined = "concat(";
            for (int i = 1; i <= r.pg->replicas; ++i) {
                if (i > 1) joined += ", ',', ";
                joined += PrivateIp(n.base + "-replica-" + std::to_string(i) + "-nic");
            }
            outputs[n.id + "ReplicaEndpoints"] = {{"type", "string"}, {"value", Expr(joined + ")")}};
        }
    }

    ordered_json tpl;
    tpl["$schema"] = kSchema;
    tpl["contentVersion"] = "1.0.0.0";
    tpl["metadata"] = {{"description", "CloudSketch plan \"" + plan.name + "\" (" + std::string(ToString(plan.environment)) +
                                           "): PostgreSQL on Azure VMs, tuned, secured and backed up."},
                       {"cloudsketch", {{"plan", plan.id.empty() ? "unsaved" : plan.id},
                                        {"revision", plan.revision},
                                        {"schema_version", plan.schema_version}}}};
    tpl["parameters"] = parameters;
    tpl["variables"] = variables;
    tpl["resources"] = resources;
    tpl["outputs"] = outputs;
    result.documents.push_back({slug + ".azure.json", "application/json",
                                tpl.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"});
    return result;
}

// [SECTION] Shared with emit_terraform.cpp: resolving databases, the bootstrap, base64

std::string ReplaceText(std::string text, std::string_view from, std::string_view to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

std::string Base64(std::string_view bytes) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                           static_cast<unsigned char>(bytes[i + 2]);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    if (i + 1 == bytes.size()) {
        const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += "==";
    } else if (i + 2 == bytes.size()) {
        const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

std::string BackupPrefixFor(const Plan& plan, const Component& db) { return StackName(plan) + "/" + db.id; }

std::vector<ResolvedDatabase> ResolveDatabases(const Plan& plan, std::string_view cloud, Diagnostics& diagnostics) {
    std::vector<ResolvedDatabase> out;
    for (std::size_t i = 0; i < plan.components.size(); ++i) {
        const auto* pg = std::get_if<PostgresSpec>(&plan.components[i].spec);
        if (pg == nullptr) continue;
        const Component* vm = plan.Find(pg->host);
        if (vm == nullptr || !vm->IsVm()) continue;  // Validate reported it
        const VmSpec& vm_spec = std::get<VmSpec>(vm->spec);
        const InstanceType* type = ResolveInstance(plan, vm_spec);
        const ImageResult image = type ? ImageForVm(cloud, vm_spec, type->arch) : ImageResult{};
        if (type == nullptr || !image.image) {
            if (image.problem) diagnostics.push_back(*image.problem);
            continue;
        }
        if (image.image->kind == ImageKind::UserImageId) {
            const auto vm_index = static_cast<std::size_t>(vm - plan.components.data());
            diagnostics.push_back({Severity::Error, "/components/" + std::to_string(vm_index) + "/image_id",
                                   "transform.image_id_unsupported",
                                   "A machine image id is used on AWS only; on " + std::string(cloud) +
                                       " remove image_id and choose the OS by distribution and version."});
            continue;
        }
        ResolvedDatabase r;
        r.index = i;
        r.db = &plan.components[i];
        r.pg = pg;
        r.vm = vm;
        r.vm_spec = &vm_spec;
        r.type = type;
        r.image = *image.image;
        const HostFacts host{static_cast<std::int64_t>(type->memory_gib * 1024 * 1024), type->vcpus, vm_spec.disk.type};
        ServerTarget target;
        target.listen_addresses = "*";
        if (pg->backups.enabled) target.archive_command = "/usr/local/bin/cloudsketch-archive-wal %p %f";
        target.replication_cidrs = {"samenet"};  // replicas sit in the primary's subnet
        r.config = BuildServerConfig(plan, i, host, target);
        diagnostics.insert(diagnostics.end(), r.config.warnings.begin(), r.config.warnings.end());
        out.push_back(std::move(r));
    }
    return out;
}

std::string RenderDatabaseBootstrap(const Plan& plan, const ResolvedDatabase& r, BootstrapCloud cloud, bool replica,
                                    int replica_index, const std::string& server) {
    BootstrapSpec spec;
    spec.cloud = cloud;
    spec.replica = replica;
    spec.replica_index = replica_index;
    spec.os = r.vm_spec->os;
    spec.pg_version = r.pg->version;
    spec.port = r.pg->port;
    spec.server_conf = RenderServerConf(r.config);
    spec.hba = RenderHba(r.config);
    spec.backups = r.pg->backups;
    spec.backup_prefix = BackupPrefixFor(plan, *r.db);
    spec.signal_resource = server;
    std::string text = RenderBootstrap(spec);
    text = ReplaceText(text, "{{STACK}}", StackName(plan));
    text = ReplaceText(text, "{{REGION}}", plan.cloud.region);
    text = ReplaceText(text, "{{PASSWORD_PARAMETER}}", PasswordSecretName(plan, *r.db));
    text = ReplaceText(text, "{{REPLICATION_PARAMETER}}", r.pg->replicas > 0 ? ReplicationPasswordSecretName(plan, *r.db) : "");
    return text;
}

}  // namespace plan::detail
