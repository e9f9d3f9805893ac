// The first-boot script, assembled from sections: what differs per OS (packages, paths, service
// names) is chosen here in C++, so the script the VM runs has no branches on its own distribution.
// Everything runs as root from cloud-init; a failure anywhere signals the stack with the failing
// line, so the user sees "bootstrap failed at ..." instead of a one-hour timeout.
#include "bootstrap.hpp"

namespace plan::detail {
namespace {

// Paths and commands that differ between Amazon Linux (RPM packaging) and Debian/Ubuntu (PGDG).
struct OsLayout {
    std::string install;      // shell commands installing PostgreSQL, the AWS CLI and cfn-signal
    std::string pg_bin;       // directory of initdb, pg_ctl, pg_basebackup
    std::string conf_dir;     // directory holding postgresql.conf, pg_hba.conf and conf.d/
    std::string create;       // shell commands creating the cluster in $PGDATA (primary only)
    std::string service;      // systemd unit
    std::string aws;          // AWS CLI
    std::string cfn_signal;   // cfn-signal
};

OsLayout LayoutFor(const OsSpec& os, const std::string& v) {
    OsLayout l;
    if (os.distribution == "amazon-linux") {
        l.install =
            "dnf install -y -q postgresql" + v + "-server postgresql" + v +
            "-contrib aws-cfn-bootstrap cronie openssl xfsprogs\n"
            "systemctl enable --now crond\n";
        l.pg_bin = "/usr/bin";
        l.conf_dir = "$PGDATA";
        l.service = "postgresql";
        l.create =
            "mkdir -p /etc/systemd/system/postgresql.service.d\n"
            "printf '[Service]\\nEnvironment=PGDATA=%s\\n' \"$PGDATA\" > /etc/systemd/system/postgresql.service.d/cloudsketch.conf\n"
            "systemctl daemon-reload\n"
            "runuser -u postgres -- \"$PG_BIN/initdb\" -D \"$PGDATA\" --data-checksums --auth-local=peer --auth-host=scram-sha-256\n"
            "echo \"include_dir = 'conf.d'\" >> \"$PGDATA/postgresql.conf\"\n";
        l.aws = "aws";
        l.cfn_signal = "/opt/aws/bin/cfn-signal";
    } else {
        // Debian and Ubuntu: PostgreSQL from the PostgreSQL Global Development Group's repository, which
        // carries every supported major version; the AWS CLI and cfn-signal in a virtualenv.
        l.install =
            "export DEBIAN_FRONTEND=noninteractive\n"
            "apt-get update -q\n"
            "apt-get install -y -q curl ca-certificates gnupg lsb-release cron openssl xfsprogs python3-venv\n"
            "install -d /usr/share/postgresql-common/pgdg /etc/postgresql-common\n"
            "curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc "
            "https://www.postgresql.org/media/keys/ACCC4CF8.asc\n"
            "echo \"deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] "
            "https://apt.postgresql.org/pub/repos/apt $(lsb_release -cs)-pgdg main\" > /etc/apt/sources.list.d/pgdg.list\n"
            "echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf\n"
            "apt-get update -q\n"
            "apt-get install -y -q postgresql-" + v + " postgresql-contrib-" + v + " || apt-get install -y -q postgresql-" + v + "\n"
            "python3 -m venv /opt/cloudsketch/venv\n"
            "/opt/cloudsketch/venv/bin/pip install -q awscli "
            "https://s3.amazonaws.com/cloudformation-examples/aws-cfn-bootstrap-py3-latest.tar.gz\n";
        l.pg_bin = "/usr/lib/postgresql/" + v + "/bin";
        l.conf_dir = "/etc/postgresql/" + v + "/main";
        l.service = "postgresql@" + v + "-main";
        l.create =
            "pg_createcluster " + v + " main -d \"$PGDATA\" -- --data-checksums --auth-local=peer --auth-host=scram-sha-256\n";
        l.aws = "/opt/cloudsketch/venv/bin/aws";
        l.cfn_signal = "/opt/cloudsketch/venv/bin/cfn-signal";
    }
    return l;
}

constexpr const char* kPrologue = R"SH(#!/bin/bash
# CloudSketch first boot: install, configure, verify and report PostgreSQL. Log: /var/log/cloudsketch-bootstrap.log
set -euo pipefail
exec > >(tee -a /var/log/cloudsketch-bootstrap.log) 2>&1
umask 077
STACK='{{STACK}}'
REGION='{{REGION}}'
)SH";

// Finds the data volume (the one disk that is neither the root disk nor partitioned) and mounts it,
// so the database survives an instance replacement of the root volume and is sized as planned.
constexpr const char* kMountData = R"SH(
ROOT_DISK="/dev/$(lsblk -no PKNAME "$(findmnt -no SOURCE /)")"
DATA_DISK=""
for _ in $(seq 1 60); do
  DATA_DISK=$(lsblk -dpno NAME,TYPE | awk '$2 == "disk" {print $1}' | grep -vx "$ROOT_DISK" | head -n 1 || true)
  [ -n "$DATA_DISK" ] && break
  sleep 2
done
[ -n "$DATA_DISK" ] || { echo "no data volume attached"; exit 1; }
blkid "$DATA_DISK" >/dev/null || mkfs.xfs -q "$DATA_DISK"
mkdir -p /var/lib/cloudsketch
echo "UUID=$(blkid -s UUID -o value "$DATA_DISK") /var/lib/cloudsketch xfs defaults,noatime,nofail 0 2" >> /etc/fstab
mount /var/lib/cloudsketch
)SH";

constexpr const char* kSecrets = R"SH(
secret() { "$AWS" ssm get-parameter --region "$REGION" --with-decryption --name "$1" --query Parameter.Value --output text; }
sql_literal() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }
)SH";

constexpr const char* kTls = R"SH(
# A self-signed certificate: clients get encryption at once; replace it with your CA's to verify identity.
openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/CN=$(hostname -f)" \
  -keyout "$PGDATA/server.key" -out "$PGDATA/server.crt" 2>/dev/null
chown postgres:postgres "$PGDATA/server.key" "$PGDATA/server.crt"
chmod 600 "$PGDATA/server.key"
)SH";

}  // namespace

std::string ShellQuote(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

std::string RenderBootstrap(const BootstrapSpec& spec) {
    const OsLayout l = LayoutFor(spec.os, spec.pg_version);
    std::string s = kPrologue;
    s += "SIGNAL_RESOURCE=" + ShellQuote(spec.signal_resource) + "\n";
    s += "PORT=" + std::to_string(spec.port) + "\n";
    s += "AWS=" + ShellQuote(l.aws) + "\n";
    s += "CFN_SIGNAL=" + ShellQuote(l.cfn_signal) + "\n";
    s += "PG_BIN=" + ShellQuote(l.pg_bin) + "\n";
    s += "PGDATA=/var/lib/cloudsketch/data\n";
    s += R"SH(report_failure() {
  "$CFN_SIGNAL" -e 1 --stack "$STACK" --resource "$SIGNAL_RESOURCE" --region "$REGION" \
    --reason "CloudSketch bootstrap failed at line $1: $2 (see /var/log/cloudsketch-bootstrap.log)" || true
}
trap 'report_failure "$LINENO" "$BASH_COMMAND"' ERR
)SH";
    s += "\n# Packages\n" + l.install;
    s += kMountData;
    s += "install -d -o postgres -g postgres -m 700 \"$PGDATA\"\n";
    s += kSecrets;
    s += "CONF_DIR=\"" + l.conf_dir + "\"\n";

    if (!spec.replica) {
        s += "\n# A new cluster with checksums, then CloudSketch's configuration\n" + l.create;
    } else {
        // A replica starts as a copy of the primary: pg_basebackup writes the data directory and
        // standby.signal (-R), and creates this replica's slot so the primary keeps its WAL (-C -S).
        s += "\n# A copy of the primary, streaming from it\n";
        if (spec.os.distribution != "amazon-linux") {
            s += "pg_createcluster " + spec.pg_version + " main -d \"$PGDATA\"\nrm -rf \"$PGDATA\"/*\n";
        } else {
            s += "mkdir -p /etc/systemd/system/postgresql.service.d\n"
                 "printf '[Service]\\nEnvironment=PGDATA=%s\\n' \"$PGDATA\" > /etc/systemd/system/postgresql.service.d/cloudsketch.conf\n"
                 "systemctl daemon-reload\n";
        }
        s += "export PGPASSWORD=\"$(secret '{{REPLICATION_PARAMETER}}')\"\n";
        s += "for _ in $(seq 1 90); do\n"
             "  runuser -u postgres --preserve-environment -- \"$PG_BIN/pg_basebackup\" -h '{{PRIMARY_HOST}}' -p \"$PORT\" "
             "-U replicator -D \"$PGDATA\" -R -X stream -C -S replica_" + std::to_string(spec.replica_index) +
             " && break\n"
             "  rm -rf \"$PGDATA\"/*; sleep 10\n"
             "done\n"
             "unset PGPASSWORD\n"
             "[ -f \"$PGDATA/standby.signal\" ] || { echo 'could not copy the primary'; exit 1; }\n";
        if (spec.os.distribution == "amazon-linux") {
            s += "grep -q \"^include_dir = 'conf.d'\" \"$PGDATA/postgresql.conf\" || "
                 "echo \"include_dir = 'conf.d'\" >> \"$PGDATA/postgresql.conf\"\n";
        }
    }
    s += "install -d -o postgres -g postgres -m 700 \"$CONF_DIR/conf.d\"\n";
    s += "cat > \"$CONF_DIR/conf.d/cloudsketch.conf\" <<'CLOUDSKETCH_CONF'\n" + spec.server_conf + "CLOUDSKETCH_CONF\n";
    s += "cat > \"$CONF_DIR/pg_hba.conf\" <<'CLOUDSKETCH_HBA'\n" + spec.hba + "CLOUDSKETCH_HBA\n";
    s += "chown postgres:postgres \"$CONF_DIR/conf.d/cloudsketch.conf\" \"$CONF_DIR/pg_hba.conf\"\n";
    s += kTls;

    if (spec.backups.enabled && !spec.replica) {
        s += "\n# Backups: WAL archived continuously, a base backup on the plan's schedule, each validated by a restore\n";
        s += "BUCKET='{{BUCKET}}'\nPREFIX=" + ShellQuote(spec.backup_prefix) + "\n";
        s += "cat > /usr/local/bin/cloudsketch-archive-wal <<CLOUDSKETCH_SH\n"
             "#!/bin/bash\n"
             "# archive_command: %p %f. A non-zero exit makes PostgreSQL keep the segment and retry.\n"
             "exec $AWS s3 cp --only-show-errors --sse AES256 \"\\$1\" \"s3://$BUCKET/$PREFIX/wal/\\$2\"\n"
             "CLOUDSKETCH_SH\n";
        s += "cat > /usr/local/bin/cloudsketch-backup <<CLOUDSKETCH_SH\n"
             "#!/bin/bash\n"
             "set -euo pipefail\n"
             "ts=\\$(date -u +%Y%m%dT%H%M%SZ)\n"
             "work=\\$(mktemp -d /var/lib/cloudsketch/backup.XXXXXX); chown postgres \"\\$work\"\n"
             "trap 'rm -rf \"\\$work\"' EXIT\n"
             "runuser -u postgres -- \"$PG_BIN/pg_basebackup\" -p $PORT -D \"\\$work/base\" -Ft -z -X none -c fast\n"
             "$AWS s3 cp --only-show-errors --sse AES256 --recursive \"\\$work/base\" \"s3://$BUCKET/$PREFIX/base/\\$ts/\"\n"
             "echo \"{\\\"backup\\\": \\\"\\$ts\\\", \\\"ok\\\": true}\" | $AWS s3 cp --only-show-errors --sse AES256 - "
             "\"s3://$BUCKET/$PREFIX/status/last-backup.json\"\n";
        if (spec.backups.validate) s += "/usr/local/bin/cloudsketch-validate-backup \"\\$ts\"\n";
        s += "CLOUDSKETCH_SH\n";
        if (spec.backups.validate) {
            s += "cat > /usr/local/bin/cloudsketch-validate-backup <<CLOUDSKETCH_SH\n"
                 "#!/bin/bash\n"
                 "# Restores backup \\$1 into a scratch server on a spare port, replays archived WAL, and queries it.\n"
                 "set -euo pipefail\n"
                 "ts=\"\\$1\"; scratch=\\$(mktemp -d /var/lib/cloudsketch/validate.XXXXXX); chown postgres \"\\$scratch\"\n"
                 "result=false\n"
                 "finish() { runuser -u postgres -- \"$PG_BIN/pg_ctl\" -D \"\\$scratch/data\" -m immediate stop >/dev/null 2>&1 || true; "
                 "rm -rf \"\\$scratch\"; echo \"{\\\"backup\\\": \\\"\\$ts\\\", \\\"ok\\\": \\$result}\" | "
                 "$AWS s3 cp --only-show-errors --sse AES256 - \"s3://$BUCKET/$PREFIX/status/last-validation.json\"; }\n"
                 "trap finish EXIT\n"
                 "$AWS s3 cp --only-show-errors --recursive \"s3://$BUCKET/$PREFIX/base/\\$ts/\" \"\\$scratch/dl\"\n"
                 "install -d -o postgres -m 700 \"\\$scratch/data\"\n"
                 "tar -xzf \"\\$scratch/dl/base.tar.gz\" -C \"\\$scratch/data\"\n"
                 "touch \"\\$scratch/data/recovery.signal\"\n"
                 "# Its own configuration: the backup's (or /etc's) would archive, listen and use TLS like production.\n"
                 "{ echo \"port = 5499\"; echo \"listen_addresses = ''\"; echo \"unix_socket_directories = '\\$scratch'\"; "
                 "echo \"archive_mode = off\"; echo \"ssl = off\"; echo \"hba_file = '\\$scratch/hba.conf'\"; "
                 "echo \"restore_command = '$AWS s3 cp --only-show-errors s3://$BUCKET/$PREFIX/wal/%f %p'\"; "
                 "echo \"recovery_target = 'immediate'\"; echo \"recovery_target_action = 'promote'\"; } > \"\\$scratch/scratch.conf\"\n"
                 "echo 'local all postgres peer' > \"\\$scratch/hba.conf\"\n"
                 "chown -R postgres \"\\$scratch\"\n"
                 "runuser -u postgres -- \"$PG_BIN/pg_ctl\" -D \"\\$scratch/data\" -w -t 600 "
                 "-o \"-c config_file=\\$scratch/scratch.conf\" start\n"
                 "for _ in \\$(seq 1 120); do\n"
                 "  [ \"\\$(runuser -u postgres -- psql -p 5499 -h \"\\$scratch\" -Atc 'select pg_is_in_recovery()' 2>/dev/null || true)\" = f ] && break\n"
                 "  sleep 5\n"
                 "done\n"
                 "runuser -u postgres -- psql -p 5499 -h \"\\$scratch\" -Atc 'select count(*) from pg_database' >/dev/null\n"
                 "result=true\n"
                 "CLOUDSKETCH_SH\n";
        }
        s += "chmod 755 /usr/local/bin/cloudsketch-*\n";
        s += "echo " + ShellQuote(spec.backups.schedule + " root /usr/local/bin/cloudsketch-backup >> /var/log/cloudsketch-backup.log 2>&1") +
             " > /etc/cron.d/cloudsketch-backup\n";
        s += "chmod 644 /etc/cron.d/cloudsketch-backup\n";
    }

    s += "\n# Start, then prove it: the application role logs in over TCP with its password\n";
    s += "systemctl enable \"" + l.service + "\"\nsystemctl restart \"" + l.service + "\"\n";
    s += "for _ in $(seq 1 60); do runuser -u postgres -- psql -p \"$PORT\" -Atc 'select 1' >/dev/null 2>&1 && break; sleep 2; done\n";
    if (!spec.replica) {
        s += "APP_PASSWORD=\"$(secret '{{PASSWORD_PARAMETER}}')\"\n";
        s += "runuser -u postgres -- psql -v ON_ERROR_STOP=1 -p \"$PORT\" -q <<SQL\n"
             "CREATE ROLE app LOGIN PASSWORD $(sql_literal \"$APP_PASSWORD\");\n"
             "CREATE DATABASE app OWNER app;\n"
             "SQL\n";
        s += "REPLICATION_SECRET_NAME='{{REPLICATION_PARAMETER}}'\n";
        s += "if [ -n \"$REPLICATION_SECRET_NAME\" ]; then\n"
             "  REPLICATION_PASSWORD=\"$(secret \"$REPLICATION_SECRET_NAME\")\"\n"
             "  runuser -u postgres -- psql -v ON_ERROR_STOP=1 -p \"$PORT\" -q <<SQL\n"
             "CREATE ROLE replicator REPLICATION LOGIN PASSWORD $(sql_literal \"$REPLICATION_PASSWORD\");\n"
             "SQL\n"
             "fi\n";
        s += "PGPASSWORD=\"$APP_PASSWORD\" psql \"host=127.0.0.1 port=$PORT dbname=app user=app sslmode=require\" -Atc 'select 1' | grep -qx 1\n";
        if (spec.backups.enabled) s += "/usr/local/bin/cloudsketch-backup\n";
    } else {
        s += "[ \"$(runuser -u postgres -- psql -p \"$PORT\" -Atc 'select pg_is_in_recovery()')\" = t ]\n";
    }
    s += "\"$CFN_SIGNAL\" -e 0 --stack \"$STACK\" --resource \"$SIGNAL_RESOURCE\" --region \"$REGION\" "
         "--reason 'PostgreSQL is accepting connections'\n";
    return s;
}

}  // namespace plan::detail
