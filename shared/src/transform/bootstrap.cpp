// The first-boot script, assembled from sections: what differs per OS (packages, paths, service
// names) is chosen here in C++, so the script the VM runs has no branches on its own distribution.
// Everything runs as root from cloud-init; a failure anywhere signals the stack with the failing
// line, so the user sees "bootstrap failed at ..." instead of a one-hour timeout.
//
// Index:
// [SECTION] OS layout: packages, paths and services per distribution, and each cloud's CLI
// [SECTION] Script sections shared by every cloud
// [SECTION] Cloud adapter: secrets, object storage and reporting per cloud
// [SECTION] RenderBootstrap
#include "bootstrap.hpp"

namespace plan::detail {
namespace {

// [SECTION] OS layout: packages, paths and services per distribution, and each cloud's CLI
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

// The cloud's command-line tools on Debian/Ubuntu (Amazon Linux only runs on AWS, where dnf installs them).
std::string CloudToolsInstall(BootstrapCloud cloud) {
    switch (cloud) {
        case BootstrapCloud::Aws:
            return "python3 -m venv /opt/cloudsketch/venv\n"
                   "/opt/cloudsketch/venv/bin/pip install -q awscli "
                   "https://s3.amazonaws.com/cloudformation-examples/aws-cfn-bootstrap-py3-latest.tar.gz\n";
        case BootstrapCloud::Azure:
            // Microsoft's installer for Debian and Ubuntu: https://learn.microsoft.com/cli/azure/install-azure-cli-linux
            return "curl -fsSL https://aka.ms/InstallAzureCLIDeb | bash\n";
        case BootstrapCloud::Gcp:
            // Google's Debian and Ubuntu images ship the gcloud CLI (Ubuntu as a snap); install it otherwise.
            return "export PATH=\"$PATH:/snap/bin\"\n"
                   "if ! command -v gcloud >/dev/null; then\n"
                   "  curl -fsSL https://packages.cloud.google.com/apt/doc/apt-key.gpg | gpg --dearmor -o /usr/share/keyrings/cloud.google.gpg\n"
                   "  echo 'deb [signed-by=/usr/share/keyrings/cloud.google.gpg] https://packages.cloud.google.com/apt cloud-sdk main' "
                   "> /etc/apt/sources.list.d/google-cloud-sdk.list\n"
                   "  apt-get update -q\n"
                   "  apt-get install -y -q google-cloud-cli\n"
                   "fi\n";
    }
    return {};
}

OsLayout LayoutFor(const OsSpec& os, const std::string& v, BootstrapCloud cloud) {
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
            "apt-get install -y -q postgresql-" + v + " postgresql-contrib-" + v + " || apt-get install -y -q postgresql-" + v + "\n" +
            CloudToolsInstall(cloud);
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

// [SECTION] Script sections shared by every cloud
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

// [SECTION] Cloud adapter: secrets, object storage and reporting per cloud
// AWS keeps its original text byte for byte (golden files). Azure and GCP copy objects through one
// helper, /usr/local/bin/cloudsketch-store, because archive_command and cron run it as other users in
// fresh processes, where shell functions of this script do not exist.
struct CloudAdapter {
    std::string tools;            // variable lines after PORT=
    std::string report_failure;   // body of report_failure() (arguments: line, command)
    std::string data_disk;        // replaces the generic data-disk finder line; empty keeps it
    std::string secret;           // the secret() line
    std::string setup;            // after the secrets: identity login, helper script
    std::string bucket;           // right-hand side of BUCKET=
    std::string primary_host;     // pg_basebackup -h argument
    std::string signal_ok;        // the last line: report success
    bool once = false;            // the script runs at every boot (GCE startup-script): run it once
};

constexpr const char* kAwsDataDisk =
    "  DATA_DISK=$(lsblk -dpno NAME,TYPE | awk '$2 == \"disk\" {print $1}' | grep -vx \"$ROOT_DISK\" | head -n 1 || true)\n";

constexpr const char* kAzureStore = R"SH(install -d -m 755 /etc/cloudsketch
printf '%s\n' "$STORAGE_ACCOUNT" > /etc/cloudsketch/storage-account
chmod 644 /etc/cloudsketch/storage-account
cat > /usr/local/bin/cloudsketch-store <<'CLOUDSKETCH_STORE'
#!/bin/bash
# cloudsketch-store put SRC|- KEY | get KEY DST | putdir DIR PREFIX | getdir PREFIX DIR
# The backups container through this VM's managed identity (the account accepts no shared keys).
set -euo pipefail
export HOME="${HOME:-$(getent passwd "$(id -un)" | cut -d: -f6)}"
ACCOUNT="$(cat /etc/cloudsketch/storage-account)"
az account show >/dev/null 2>&1 || az login --identity --allow-no-subscriptions --output none
blob() { az storage blob "$@" --auth-mode login --account-name "$ACCOUNT" --only-show-errors --output none; }
case "$1" in
  put) src="$2"
       if [ "$src" = - ]; then src="$(mktemp)"; trap 'rm -f "$src"' EXIT; cat > "$src"; fi
       blob upload --container-name backups --name "$3" --file "$src" --overwrite ;;
  get) blob download --container-name backups --name "$2" --file "$3" ;;
  putdir) blob upload-batch --destination backups --destination-path "${3%/}" --source "$2" --overwrite ;;
  getdir) mkdir -p "$3"
          for name in $(az storage blob list --auth-mode login --account-name "$ACCOUNT" --only-show-errors \
                          --container-name backups --prefix "$2" --query '[].name' --output tsv); do
            blob download --container-name backups --name "$name" --file "$3/${name#"$2"}"
          done ;;
  *) echo "usage: cloudsketch-store put|get|putdir|getdir" >&2; exit 2 ;;
esac
CLOUDSKETCH_STORE
chmod 755 /usr/local/bin/cloudsketch-store
)SH";

constexpr const char* kGcpStore = R"SH(install -d -m 755 /etc/cloudsketch
printf '%s\n' "$BUCKET_NAME" > /etc/cloudsketch/bucket
chmod 644 /etc/cloudsketch/bucket
cat > /usr/local/bin/cloudsketch-store <<'CLOUDSKETCH_STORE'
#!/bin/bash
# cloudsketch-store put SRC|- KEY | get KEY DST | putdir DIR PREFIX | getdir PREFIX DIR
# The backup bucket through the instance's service account.
set -euo pipefail
export PATH="$PATH:/snap/bin" HOME="${HOME:-$(getent passwd "$(id -un)" | cut -d: -f6)}"
BUCKET="$(cat /etc/cloudsketch/bucket)"
case "$1" in
  put) gcloud storage cp --quiet "$2" "gs://$BUCKET/$3" ;;
  get) gcloud storage cp --quiet "gs://$BUCKET/$2" "$3" ;;
  putdir) gcloud storage cp --quiet --recursive "$2"/* "gs://$BUCKET/${3%/}/" ;;
  getdir) mkdir -p "$3"; gcloud storage cp --quiet --recursive "gs://$BUCKET/$2*" "$3/" ;;
  *) echo "usage: cloudsketch-store put|get|putdir|getdir" >&2; exit 2 ;;
esac
CLOUDSKETCH_STORE
chmod 755 /usr/local/bin/cloudsketch-store
)SH";

CloudAdapter AdapterFor(const BootstrapSpec& spec, const OsLayout& l) {
    CloudAdapter a;
    const std::string sql_literal = "sql_literal() { printf \"'%s'\" \"$(printf '%s' \"$1\" | sed \"s/'/''/g\")\"; }\n";
    switch (spec.cloud) {
        case BootstrapCloud::Aws:
            a.tools = "AWS=" + ShellQuote(l.aws) + "\nCFN_SIGNAL=" + ShellQuote(l.cfn_signal) + "\n";
            a.report_failure =
                "  \"$CFN_SIGNAL\" -e 1 --stack \"$STACK\" --resource \"$SIGNAL_RESOURCE\" --region \"$REGION\" \\\n"
                "    --reason \"CloudSketch bootstrap failed at line $1: $2 (see /var/log/cloudsketch-bootstrap.log)\" || true\n";
            a.secret = kSecrets;
            a.bucket = "'{{BUCKET}}'";
            a.primary_host = "'{{PRIMARY_HOST}}'";
            a.signal_ok = "\"$CFN_SIGNAL\" -e 0 --stack \"$STACK\" --resource \"$SIGNAL_RESOURCE\" --region \"$REGION\" "
                          "--reason 'PostgreSQL is accepting connections'\n";
            break;
        case BootstrapCloud::Azure:
            // No CreationPolicy on Azure: the result is a status blob, bootstrap/<server>.json.
            a.report_failure =
                "  echo \"{\\\"server\\\": \\\"$SIGNAL_RESOURCE\\\", \\\"ok\\\": false, \\\"reason\\\": \\\"failed at line $1\\\"}\" | "
                "/usr/local/bin/cloudsketch-store put - \"bootstrap/$SIGNAL_RESOURCE.json\" || true\n";
            a.data_disk = "  DATA_DISK=$(readlink -e /dev/disk/azure/scsi1/lun0 || readlink -e /dev/disk/azure/data/by-lun/0 || true)\n";
            // The role assignments need the VM's identity, so they are created after the VM: retry until they apply.
            a.secret = "\nsecret() { for _ in $(seq 1 60); do az keyvault secret show --vault-name \"$KEYVAULT\" --name \"$1\" "
                       "--query value --output tsv 2>/dev/null && return 0; sleep 10; done; return 1; }\n" + sql_literal;
            a.setup =
                "\n# The VM's tags name the storage account, the vault and the primary (IMDS), so this script is a constant\n"
                "cs_tag() { curl -sf -H Metadata:true --noproxy '*' "
                "'http://169.254.169.254/metadata/instance/compute/tagsList?api-version=2021-02-01' | "
                "python3 -c 'import json,sys; print(next((t[\"value\"] for t in json.load(sys.stdin) if t[\"name\"] == sys.argv[1]), \"\"))' \"$1\"; }\n"
                "KEYVAULT=\"$(cs_tag cloudsketch-keyvault)\"\n"
                "STORAGE_ACCOUNT=\"$(cs_tag cloudsketch-storage)\"\n"
                "for _ in $(seq 1 30); do az login --identity --allow-no-subscriptions --output none && break; sleep 10; done\n" +
                std::string(kAzureStore);
            a.bucket = "\"$STORAGE_ACCOUNT\"";
            a.primary_host = "\"$(cs_tag cloudsketch-primary)\"";
            a.signal_ok = "echo \"{\\\"server\\\": \\\"$SIGNAL_RESOURCE\\\", \\\"ok\\\": true}\" | "
                          "/usr/local/bin/cloudsketch-store put - \"bootstrap/$SIGNAL_RESOURCE.json\"\n";
            break;
        case BootstrapCloud::Gcp: {
            // No CreationPolicy on GCP: the result is the guest attribute cloudsketch/bootstrap.
            const std::string attribute =
                "curl -sf -X PUT -H 'Metadata-Flavor: Google' "
                "http://metadata.google.internal/computeMetadata/v1/instance/guest-attributes/cloudsketch/bootstrap";
            a.report_failure = "  " + attribute + " --data \"failed at line $1: $2\" || true\n";
            a.data_disk = "  DATA_DISK=$(readlink -e /dev/disk/by-id/google-data || true)\n";
            a.secret = "\nsecret() { for _ in $(seq 1 60); do gcloud secrets versions access latest --secret=\"$1\" "
                       "2>/dev/null && return 0; sleep 10; done; return 1; }\n" + sql_literal;
            a.setup = "\nBUCKET_NAME='{{BUCKET}}'\n" + std::string(kGcpStore);
            a.bucket = "'{{BUCKET}}'";
            a.primary_host = "'{{PRIMARY_HOST}}'";
            a.signal_ok = attribute + " --data 'ok'\ntouch /var/lib/cloudsketch-bootstrap.done\n";
            a.once = true;
            break;
        }
    }
    return a;
}

// Object-store commands, as text for the scripts: `rel` is relative to "$PREFIX/".
std::string Put(const BootstrapSpec& spec, const std::string& src, const std::string& rel) {
    if (spec.cloud == BootstrapCloud::Aws) return "$AWS s3 cp --only-show-errors --sse AES256 " + src + " \"s3://$BUCKET/$PREFIX/" + rel + "\"";
    return "/usr/local/bin/cloudsketch-store put " + src + " \"$PREFIX/" + rel + "\"";
}
std::string PutDir(const BootstrapSpec& spec, const std::string& src, const std::string& rel) {
    if (spec.cloud == BootstrapCloud::Aws) {
        return "$AWS s3 cp --only-show-errors --sse AES256 --recursive " + src + " \"s3://$BUCKET/$PREFIX/" + rel + "\"";
    }
    return "/usr/local/bin/cloudsketch-store putdir " + src + " \"$PREFIX/" + rel + "\"";
}
std::string GetDir(const BootstrapSpec& spec, const std::string& rel, const std::string& dst) {
    if (spec.cloud == BootstrapCloud::Aws) return "$AWS s3 cp --only-show-errors --recursive \"s3://$BUCKET/$PREFIX/" + rel + "\" " + dst;
    return "/usr/local/bin/cloudsketch-store getdir \"$PREFIX/" + rel + "\" " + dst;
}
// Unquoted: it sits inside restore_command's single quotes (PREFIX is [A-Za-z0-9/-] only).
std::string Get(const BootstrapSpec& spec, const std::string& rel, const std::string& dst) {
    if (spec.cloud == BootstrapCloud::Aws) return "$AWS s3 cp --only-show-errors s3://$BUCKET/$PREFIX/" + rel + " " + dst;
    return "/usr/local/bin/cloudsketch-store get $PREFIX/" + rel + " " + dst;
}


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

// [SECTION] RenderBootstrap
std::string RenderBootstrap(const BootstrapSpec& spec) {
    const OsLayout l = LayoutFor(spec.os, spec.pg_version, spec.cloud);
    const CloudAdapter a = AdapterFor(spec, l);
    std::string s = kPrologue;
    if (a.once) {
        s += "# The startup script runs at every boot; the first one set this server up.\n"
             "[ -f /var/lib/cloudsketch-bootstrap.done ] && exit 0\n";
    }
    s += "SIGNAL_RESOURCE=" + ShellQuote(spec.signal_resource) + "\n";
    s += "PORT=" + std::to_string(spec.port) + "\n";
    s += a.tools;
    s += "PG_BIN=" + ShellQuote(l.pg_bin) + "\n";
    s += "PGDATA=/var/lib/cloudsketch/data\n";
    s += "report_failure() {\n" + a.report_failure + "}\n";
    s += "trap 'report_failure \"$LINENO\" \"$BASH_COMMAND\"' ERR\n";
    s += "\n# Packages\n" + l.install;
    std::string mount = kMountData;
    if (!a.data_disk.empty()) mount.replace(mount.find(kAwsDataDisk), std::string_view(kAwsDataDisk).size(), a.data_disk);
    s += mount;
    s += "install -d -o postgres -g postgres -m 700 \"$PGDATA\"\n";
    s += a.secret;
    s += a.setup;
    s += "CONF_DIR=\"" + l.conf_dir + "\"\n";

    if (!spec.replica) {
        s += "\n# A new cluster with checksums, then CloudSketch's configuration\n" + l.create;
    } else {
        // A replica starts as a copy of the primary: pg_basebackup writes the data directory and
        // standby.signal (-R), and creates this replica's slot so the primary keeps its WAL (-C -S).
        s += "\n# A copy of the primary, streaming from it\n";
        if (spec.os.distribution != "amazon-linux") {
            s += "pg_createcluster " + spec.pg_version + " main -d \"$PGDATA\"\nrm -rf \"${PGDATA:?}\"/*\n";
        } else {
            s += "mkdir -p /etc/systemd/system/postgresql.service.d\n"
                 "printf '[Service]\\nEnvironment=PGDATA=%s\\n' \"$PGDATA\" > /etc/systemd/system/postgresql.service.d/cloudsketch.conf\n"
                 "systemctl daemon-reload\n";
        }
        // Assign, then export: `export X="$(...)"` would hide a failed lookup from set -e and the ERR trap.
        s += "PGPASSWORD=\"$(secret '{{REPLICATION_PARAMETER}}')\"\nexport PGPASSWORD\n";
        s += "for _ in $(seq 1 90); do\n"
             "  runuser -u postgres --preserve-environment -- \"$PG_BIN/pg_basebackup\" -h " + a.primary_host + " -p \"$PORT\" "
             "-U replicator -D \"$PGDATA\" -R -X stream -C -S replica_" + std::to_string(spec.replica_index) +
             " && break\n"
             "  rm -rf \"${PGDATA:?}\"/*; sleep 10\n"
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
        s += "BUCKET=" + a.bucket + "\nPREFIX=" + ShellQuote(spec.backup_prefix) + "\n";
        s += "cat > /usr/local/bin/cloudsketch-archive-wal <<CLOUDSKETCH_SH\n"
             "#!/bin/bash\n"
             "# archive_command: %p %f. A non-zero exit makes PostgreSQL keep the segment and retry.\n"
             "exec " + Put(spec, "\"\\$1\"", "wal/\\$2") + "\n"
             "CLOUDSKETCH_SH\n";
        s += "cat > /usr/local/bin/cloudsketch-backup <<CLOUDSKETCH_SH\n"
             "#!/bin/bash\n"
             "set -euo pipefail\n"
             "ts=\\$(date -u +%Y%m%dT%H%M%SZ)\n"
             "work=\\$(mktemp -d /var/lib/cloudsketch/backup.XXXXXX); chown postgres \"\\$work\"\n"
             "trap 'rm -rf \"\\$work\"' EXIT\n"
             "runuser -u postgres -- \"$PG_BIN/pg_basebackup\" -p $PORT -D \"\\$work/base\" -Ft -z -X none -c fast\n"
             + PutDir(spec, "\"\\$work/base\"", "base/\\$ts/") + "\n"
             "echo \"{\\\"backup\\\": \\\"\\$ts\\\", \\\"ok\\\": true}\" | " + Put(spec, "-", "status/last-backup.json") + "\n";
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
                 "rm -rf \"\\$scratch\"; echo \"{\\\"backup\\\": \\\"\\$ts\\\", \\\"ok\\\": \\$result}\" | " +
                 Put(spec, "-", "status/last-validation.json") + "; }\n"
                 "trap finish EXIT\n" +
                 GetDir(spec, "base/\\$ts/", "\"\\$scratch/dl\"") + "\n"
                 "install -d -o postgres -m 700 \"\\$scratch/data\"\n"
                 "tar -xzf \"\\$scratch/dl/base.tar.gz\" -C \"\\$scratch/data\"\n"
                 "touch \"\\$scratch/data/recovery.signal\"\n"
                 "# Its own configuration: the backup's (or /etc's) would archive, listen and use TLS like production.\n"
                 "{ echo \"port = 5499\"; echo \"listen_addresses = ''\"; echo \"unix_socket_directories = '\\$scratch'\"; "
                 "echo \"archive_mode = off\"; echo \"ssl = off\"; echo \"hba_file = '\\$scratch/hba.conf'\"; "
                 "echo \"restore_command = '" + Get(spec, "wal/%f", "%p") + "'\"; "
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
    s += a.signal_ok;
    return s;
}

}  // namespace plan::detail
