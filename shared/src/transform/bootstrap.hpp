#pragma once
// Internal: the first-boot script (EC2 user data) that turns a fresh VM into a tuned, verified
// PostgreSQL primary or streaming replica. The text carries markers the emitter replaces with the
// cloud's own references: {{STACK}}, {{REGION}}, {{BUCKET}}, {{PRIMARY_HOST}}, {{PASSWORD_PARAMETER}},
// {{REPLICATION_PARAMETER}}. On Azure the script itself reads {{BUCKET}}'s and {{PRIMARY_HOST}}'s
// values from the VM's tags (cloudsketch-storage, cloudsketch-primary) and the vault from
// cloudsketch-keyvault, so the custom data is a constant the template can carry as plain base64.
#include <string>

#include "plan/plan.hpp"

namespace plan::detail {

// Which cloud's tools the script uses to read secrets, copy to and from object storage, and report
// success or failure. Aws: aws CLI, SSM, S3, cfn-signal. Azure: az CLI logged in with the VM's
// managed identity, Key Vault, Blob Storage, a status blob. Gcp: gcloud with the instance's service
// account, Secret Manager, Cloud Storage, a guest attribute (cloudsketch/bootstrap).
enum class BootstrapCloud { Aws, Azure, Gcp };

struct BootstrapSpec {
    BootstrapCloud cloud = BootstrapCloud::Aws;
    bool replica = false;
    int replica_index = 0;            // 1-based for replicas
    OsSpec os;
    std::string pg_version;
    int port = 5432;
    std::string server_conf;          // RenderServerConf output
    std::string hba;                  // RenderHba output
    Backups backups;
    std::string backup_prefix;        // object-store prefix for this database, no leading or trailing '/'
    std::string signal_resource;      // AWS: the logical id waiting for this VM's signal; elsewhere the
                                      // server's name in the status it reports
};

// The bash script. Deterministic; every value from the plan is shell-quoted.
std::string RenderBootstrap(const BootstrapSpec& spec);

// 'text' for bash, with single quotes escaped.
std::string ShellQuote(std::string_view text);

}  // namespace plan::detail
