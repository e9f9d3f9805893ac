// Google Cloud as a Terraform JSON configuration (.tf.json). Per PostgreSQL component: a service account
// the servers run as; firewall rules opening the PostgreSQL port to the plan's ranges only (and between
// the servers for replication; VPC networks deny all other ingress by default); per server a data disk
// (pd-ssd or pd-standard, the planned size) and a shielded instance with the first-boot script as its
// startup script; a private backup bucket (uniform access, public access prevention enforced, lifecycle
// deletion after the plan's retention) the account may use; read access to exactly its Secret Manager
// secrets. Keys in a fixed order: same plan, same bytes.
// Reference: https://registry.terraform.io/providers/hashicorp/google/latest/docs and
// https://developer.hashicorp.com/terraform/language/syntax/json
#include "emit_terraform.hpp"

#include <cstdint>

#include <nlohmann/json.hpp>

#include "emit_arm.hpp"

namespace plan::detail {
namespace {

using nlohmann::ordered_json;

// Terraform JSON strings are templates: the script's own "${" and "%{" must be written "$${" and "%%{".
std::string EscapeTemplate(const std::string& text) {
    return ReplaceText(ReplaceText(text, "${", "$${"), "%{", "%%{");
}

// Resource names: "pg-main" -> "pg_main".
std::string TfName(std::string_view id) {
    std::string out(id);
    for (char& c : out) {
        if (c == '-') c = '_';
    }
    return out;
}

// GCP labels: lowercase letters, digits, '_' and '-'.
std::string Label(std::string_view text) {
    std::string out;
    for (char c : text) {
        const unsigned char u = static_cast<unsigned char>(c);
        out += std::isalnum(u) ? static_cast<char>(std::tolower(u)) : (c == '_' ? '_' : '-');
    }
    return out.substr(0, 63);
}

ordered_json Labels(const Plan& plan, const Component& db) {
    return {{"cloudsketch-plan", Label(plan.id.empty() ? "unsaved" : plan.id)},
            {"cloudsketch-environment", Label(ToString(plan.environment))},
            {"cloudsketch-component", Label(db.id)}};
}

// `name` when it has at most `limit` characters; else its start, '-' and 4 hex digits of a hash of the whole
// (FNV-1a: the same on every platform, unlike std::hash), `limit` characters in all. Names are [a-z0-9-].
std::string Shortened(std::string_view name, std::size_t limit) {
    if (name.size() <= limit) return std::string(name);
    std::uint32_t hash = 2166136261u;
    for (const char c : name) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
    std::string out(name.substr(0, limit - 5));
    while (!out.empty() && out.back() == '-') out.pop_back();
    out += '-';
    constexpr char kHex[] = "0123456789abcdef";
    for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(hash >> shift) & 0xf];
    return out;
}

// The backup bucket's name, "<project>-cs-<component>-backups": at most 63 characters for any project id
// (6-30 characters), https://cloud.google.com/storage/docs/buckets#naming; so 21 for the component id.
std::string BucketName(std::string_view component_id) {
    constexpr std::size_t kIdBudget = 63 - 30 - std::string_view("-cs--backups").size();
    return "${var.project}-cs-" + Shortened(component_id, kIdBudget) + "-backups";
}

// A service account id: 6-30 characters, [a-z][-a-z0-9]*[a-z0-9]
// (https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/create). A longer one keeps
// its start and a hash of the whole, so two long component ids still get two accounts.
std::string AccountId(const Component& db) {
    return Shortened("cs-" + db.id + "-db", 30);
}

bool IsX86(const ResolvedDatabase& r) { return r.type->arch == Arch::X86_64; }

void Firewalls(const ResolvedDatabase& r, const std::string& name, const std::string& sa, ordered_json& firewalls) {
    std::vector<std::string> v4, v6;
    std::vector<std::string> ranges = r.pg->allowed_cidrs;
    if (r.pg->publicly_accessible && ranges.empty()) ranges = {"0.0.0.0/0", "::/0"};
    for (const std::string& cidr : ranges) (cidr.find(':') == std::string::npos ? v4 : v6).push_back(cidr);
    const ordered_json allow = ordered_json::array({{{"protocol", "tcp"}, {"ports", ordered_json::array({std::to_string(r.pg->port)})}}});
    // A rule holds IPv4 or IPv6 ranges, not both.
    for (const auto& [suffix, list] : {std::pair{std::string("v4"), v4}, std::pair{std::string("v6"), v6}}) {
        if (list.empty()) continue;
        firewalls[name + "_postgres_" + suffix] = {
            {"name", "cs-" + r.db->id + "-postgres-" + suffix},
            {"network", "${var.network}"},
            {"description", "CloudSketch " + r.db->id + ": PostgreSQL port for the plan's allowed ranges only"},
            {"direction", "INGRESS"},
            {"priority", 1000},
            {"allow", allow},
            {"source_ranges", list},
            {"target_service_accounts", ordered_json::array({sa})}};
    }
    if (r.pg->replicas > 0) {
        firewalls[name + "_replication"] = {{"name", "cs-" + r.db->id + "-replication"},
                                            {"network", "${var.network}"},
                                            {"description", "Streaming replication between this database's servers"},
                                            {"direction", "INGRESS"},
                                            {"priority", 1000},
                                            {"allow", allow},
                                            {"source_service_accounts", ordered_json::array({sa})},
                                            {"target_service_accounts", ordered_json::array({sa})}};
    }
}

}  // namespace

TransformResult EmitTerraform(const Plan& plan, const std::string& slug, TransformResult result) {
    const std::vector<ResolvedDatabase> databases = ResolveDatabases(plan, "gcp", result.diagnostics);
    if (HasErrors(result.diagnostics)) return result;

    ordered_json variables;
    variables["project"] = {{"type", "string"}, {"description", "Google Cloud project to deploy into"}};
    variables["region"] = {{"type", "string"}, {"default", plan.cloud.region}, {"description", "Region (the plan's)"}};
    variables["zone"] = {{"type", "string"}, {"default", plan.cloud.region + "-b"}, {"description", "Zone of the servers and disks"}};
    variables["network"] = {{"type", "string"}, {"default", "default"}, {"description", "VPC network the servers run in"}};
    variables["subnetwork"] = {{"type", "string"},
                               {"description", "Subnetwork of that network, in the region (public only if the plan says so)"}};

    ordered_json accounts, firewalls, disks, instances, buckets, bucket_iam, secret_iam;
    ordered_json outputs;
    for (const ResolvedDatabase& r : databases) {
        const std::string name = TfName(r.db->id);
        const std::string sa = "${google_service_account." + name + ".email}";
        const std::string member = "serviceAccount:" + sa;
        const std::string password_var = name + "_password_secret";
        const std::string replication_var = name + "_replication_secret";
        variables[password_var] = {{"type", "string"},
                                   {"default", PasswordSecretName(plan, *r.db)},
                                   {"description", "Secret Manager secret (id) holding " + r.db->id + "'s application password"}};
        if (r.pg->replicas > 0) {
            variables[replication_var] = {{"type", "string"},
                                          {"default", ReplicationPasswordSecretName(plan, *r.db)},
                                          {"description", "Secret Manager secret (id) holding " + r.db->id + "'s replication password"}};
        }
        accounts[name] = {{"account_id", AccountId(*r.db)},
                          {"display_name", "CloudSketch " + r.db->id + " database servers"}};
        Firewalls(r, name, sa, firewalls);

        ordered_json depends = ordered_json::array();
        const std::string bucket = name + "_backups";
        if (r.pg->backups.enabled) {
            const std::string prefix = BackupPrefixFor(plan, *r.db);
            const int days = r.pg->backups.retention_days;
            auto expire = [](const std::string& match, int age) {
                return ordered_json{{"condition", ordered_json::array({{{"age", age}, {"matches_prefix", ordered_json::array({match})}}})},
                                    {"action", ordered_json::array({{{"type", "Delete"}}})}};
            };
            buckets[bucket] = {
                {"name", BucketName(r.db->id)},
                {"location", "${upper(var.region)}"},
                {"storage_class", "STANDARD"},
                {"uniform_bucket_level_access", true},
                {"public_access_prevention", "enforced"},
                // Backups outlive `terraform destroy` unless the bucket is emptied first.
                {"force_destroy", false},
                {"versioning", ordered_json::array({{{"enabled", false}}})},
                {"lifecycle_rule", ordered_json::array({expire(prefix + "/base/", days),
                                                        // WAL lives one day longer than the oldest base backup that needs it.
                                                        expire(prefix + "/wal/", days + 1)})},
                {"labels", Labels(plan, *r.db)}};
            bucket_iam[bucket] = {{"bucket", "${google_storage_bucket." + bucket + ".name}"},
                                  {"role", "roles/storage.objectUser"},
                                  {"member", member}};
            depends.push_back("google_storage_bucket_iam_member." + bucket);
        }
        secret_iam[name + "_password"] = {{"project", "${var.project}"},
                                          {"secret_id", "${var." + password_var + "}"},
                                          {"role", "roles/secretmanager.secretAccessor"},
                                          {"member", member}};
        depends.push_back("google_secret_manager_secret_iam_member." + name + "_password");
        if (r.pg->replicas > 0) {
            secret_iam[name + "_replication"] = {{"project", "${var.project}"},
                                                 {"secret_id", "${var." + replication_var + "}"},
                                                 {"role", "roles/secretmanager.secretAccessor"},
                                                 {"member", member}};
            depends.push_back("google_secret_manager_secret_iam_member." + name + "_replication");
        }

        const std::string primary = name + "_primary";
        for (int i = 0; i <= r.pg->replicas; ++i) {
            const bool replica = i > 0;
            const std::string server = replica ? name + "_replica_" + std::to_string(i) : primary;
            const std::string server_name = "cs-" + r.db->id + (replica ? "-replica-" + std::to_string(i) : "-primary");
            disks[server + "_data"] = {{"name", server_name + "-data"},
                                       {"type", r.vm_spec->disk.type == DiskType::Hdd ? "pd-standard" : "pd-ssd"},
                                       {"size", r.vm_spec->disk.size_gib},
                                       {"zone", "${var.zone}"},
                                       {"labels", Labels(plan, *r.db)}};
            std::string script = EscapeTemplate(RenderDatabaseBootstrap(plan, r, BootstrapCloud::Gcp, replica, i, server_name));
            script = ReplaceText(script, "{{BUCKET}}", r.pg->backups.enabled ? "${google_storage_bucket." + bucket + ".name}" : "");
            script = ReplaceText(script, "{{PRIMARY_HOST}}", "${google_compute_instance." + primary + ".network_interface[0].network_ip}");
            ordered_json interface{{"subnetwork", "${var.subnetwork}"}};
            if (r.pg->publicly_accessible) interface["access_config"] = ordered_json::array({ordered_json::object()});
            ordered_json instance{
                {"name", server_name},
                {"machine_type", r.type->name},
                {"zone", "${var.zone}"},
                {"allow_stopping_for_update", true},
                {"labels", Labels(plan, *r.db)},
                {"boot_disk",
                 ordered_json::array({{{"initialize_params",
                                        ordered_json::array({{{"image", r.image.image_family}, {"size", 20}, {"type", "pd-balanced"}}})}}})},
                {"attached_disk",
                 ordered_json::array({{{"source", "${google_compute_disk." + server + "_data.id}"}, {"device_name", "data"}}})},
                {"network_interface", ordered_json::array({interface})},
                // Secret Manager accepts only the cloud-platform scope; what the account may do is its IAM
                // bindings above (its own secrets and bucket), not the scope.
                {"service_account",
                 ordered_json::array({{{"email", sa}, {"scopes", ordered_json::array({"cloud-platform"})}}})},
                {"metadata",
                 {{"enable-oslogin", "TRUE"},
                  {"block-project-ssh-keys", "TRUE"},
                  {"enable-guest-attributes", "TRUE"},
                  {"startup-script", script}}}};
            if (IsX86(r)) {
                instance["shielded_instance_config"] = ordered_json::array(
                    {{{"enable_secure_boot", true}, {"enable_vtpm", true}, {"enable_integrity_monitoring", true}}});
            }
            ordered_json server_depends = depends;
            if (replica) server_depends.push_back("google_compute_instance." + primary);
            instance["depends_on"] = server_depends;
            instances[server] = instance;
        }

        const std::string endpoint = r.pg->publicly_accessible
                                         ? "${google_compute_instance." + primary + ".network_interface[0].access_config[0].nat_ip}"
                                         : "${google_compute_instance." + primary + ".network_interface[0].network_ip}";
        outputs[name + "_endpoint"] = {{"description", "Address clients connect to"}, {"value", endpoint}};
        outputs[name + "_port"] = {{"description", "PostgreSQL port"}, {"value", r.pg->port}};
        outputs[name + "_database"] = {{"description", "Database and user name"}, {"value", "app"}};
        outputs[name + "_password_secret"] = {{"description", "Secret Manager secret holding the password"},
                                              {"value", "${var." + password_var + "}"}};
        if (r.pg->backups.enabled) {
            outputs[name + "_backup_bucket"] = {{"description", "Bucket holding backups"},
                                                {"value", "${google_storage_bucket." + bucket + ".name}"}};
        }
    }

    ordered_json resources;
    resources["google_service_account"] = accounts;
    resources["google_compute_firewall"] = firewalls;
    if (!buckets.empty()) {
        resources["google_storage_bucket"] = buckets;
        resources["google_storage_bucket_iam_member"] = bucket_iam;
    }
    resources["google_secret_manager_secret_iam_member"] = secret_iam;
    resources["google_compute_disk"] = disks;
    resources["google_compute_instance"] = instances;

    ordered_json doc;
    doc["//"] = "CloudSketch plan \"" + plan.name + "\" (" + std::string(ToString(plan.environment)) + ", " +
                (plan.id.empty() ? std::string("unsaved") : plan.id) + " revision " + std::to_string(plan.revision) +
                "): PostgreSQL on Compute Engine, tuned, secured and backed up.";
    doc["terraform"] = {{"required_version", ">= 1.3"},
                        {"required_providers", {{"google", {{"source", "hashicorp/google"}, {"version", ">= 5.0"}}}}}};
    doc["provider"] = {{"google", {{"project", "${var.project}"}, {"region", "${var.region}"}}}};
    doc["variable"] = variables;
    doc["resource"] = resources;
    doc["output"] = outputs;
    result.documents.push_back({slug + ".gcp.tf.json", "application/json",
                                doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"});
    return result;
}

}  // namespace plan::detail
