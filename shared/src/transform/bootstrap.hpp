#pragma once
// Internal: the first-boot script (EC2 user data) that turns a fresh VM into a tuned, verified
// PostgreSQL primary or streaming replica. The text carries markers the emitter replaces with the
// cloud's own references: {{STACK}}, {{REGION}}, {{BUCKET}}, {{PRIMARY_HOST}}, {{PASSWORD_PARAMETER}},
// {{REPLICATION_PARAMETER}}.
#include <string>

#include "plan/plan.hpp"

namespace plan::detail {

struct BootstrapSpec {
    bool replica = false;
    int replica_index = 0;            // 1-based for replicas
    OsSpec os;
    std::string pg_version;
    int port = 5432;
    std::string server_conf;          // RenderServerConf output
    std::string hba;                  // RenderHba output
    Backups backups;
    std::string backup_prefix;        // object-store prefix for this database, no leading or trailing '/'
    std::string signal_resource;      // the CloudFormation logical id that waits for this VM's signal
};

// The bash script. Deterministic; every value from the plan is shell-quoted.
std::string RenderBootstrap(const BootstrapSpec& spec);

// 'text' for bash, with single quotes escaped.
std::string ShellQuote(std::string_view text);

}  // namespace plan::detail
