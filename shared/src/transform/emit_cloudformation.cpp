// AWS CloudFormation from a plan. Per PostgreSQL component: a security group open only to the plan's
// ranges, an encrypted private backup bucket with the plan's retention, a least-privilege instance
// role, an IMDSv2-only launch template, the primary (and replicas) with encrypted gp3 volumes, each
// waiting for its VM to signal that PostgreSQL answers. Keys are emitted in a fixed order so the same
// plan always gives the same bytes.
// Resource reference: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-template-resource-type-ref.html
#include "emit_cloudformation.hpp"

#include "bootstrap.hpp"
#include "plan/catalog.hpp"
#include "plan/server_config.hpp"
#include "plan/transform.hpp"

namespace plan::detail {
namespace {

using nlohmann::ordered_json;

ordered_json Ref(const std::string& name) { return {{"Ref", name}}; }
ordered_json GetAtt(const std::string& resource, const std::string& attribute) {
    return {{"Fn::GetAtt", ordered_json::array({resource, attribute})}};
}
ordered_json Sub(const std::string& text) { return {{"Fn::Sub", text}}; }

// The root device name each image family boots from: a mapping for another name would add a volume.
std::string RootDevice(const OsSpec& os) { return os.distribution == "ubuntu" ? "/dev/sda1" : "/dev/xvda"; }

ordered_json Tags(const Plan& plan, const Component& component, const std::string& name) {
    return ordered_json::array({
        {{"Key", "Name"}, {"Value", name}},
        {{"Key", "cloudsketch:plan"}, {"Value", plan.id.empty() ? "unsaved" : plan.id}},
        {{"Key", "cloudsketch:environment"}, {"Value", ToString(plan.environment)}},
        {{"Key", "cloudsketch:component"}, {"Value", component.id}},
    });
}

// Fn::Sub treats "${x}" as a reference; the script's own shell variables must be written "${!x}".
std::string EscapeForSub(const std::string& text) {
    std::string out;
    out.reserve(text.size() + 64);
    for (std::size_t i = 0; i < text.size(); ++i) {
        out += text[i];
        if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
            out += "{!";
            ++i;
        }
    }
    return out;
}

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

struct DatabaseResources {
    const Component& db;
    const PostgresSpec& pg;
    const Component& vm;
    const VmSpec& vm_spec;
    const InstanceType& type;
    std::string id;  // logical id prefix
};

ordered_json SecurityGroup(const Plan& plan, const DatabaseResources& r) {
    ordered_json ingress = ordered_json::array();
    std::vector<std::string> ranges = r.pg.allowed_cidrs;
    if (r.pg.publicly_accessible && ranges.empty()) ranges = {"0.0.0.0/0", "::/0"};
    for (const std::string& cidr : ranges) {
        ordered_json rule{{"IpProtocol", "tcp"}, {"FromPort", r.pg.port}, {"ToPort", r.pg.port}};
        rule[cidr.find(':') == std::string::npos ? "CidrIp" : "CidrIpv6"] = cidr;
        rule["Description"] = "PostgreSQL from " + cidr;
        ingress.push_back(rule);
    }
    return {{"Type", "AWS::EC2::SecurityGroup"},
            {"Properties",
             {{"GroupDescription", "CloudSketch " + r.db.id + ": PostgreSQL port for the plan's allowed ranges only"},
              {"VpcId", Ref("VpcId")},
              {"SecurityGroupIngress", ingress},
              {"Tags", Tags(plan, r.db, plan.name + " " + r.db.id)}}}};
}

std::string BackupPrefix(const Plan& plan, const Component& db) { return StackName(plan) + "/" + db.id; }

ordered_json BackupBucket(const Plan& plan, const DatabaseResources& r) {
    const std::string prefix = BackupPrefix(plan, r.db);
    const int days = r.pg.backups.retention_days;
    return {{"Type", "AWS::S3::Bucket"},
            // Backups outlive the stack unless the user asks to delete them (destroy keeps the bucket).
            {"DeletionPolicy", "Retain"},
            {"UpdateReplacePolicy", "Retain"},
            {"Properties",
             {{"BucketEncryption",
               {{"ServerSideEncryptionConfiguration",
                 ordered_json::array({{{"ServerSideEncryptionByDefault", {{"SSEAlgorithm", "AES256"}}}}})}}},
              {"PublicAccessBlockConfiguration",
               {{"BlockPublicAcls", true},
                {"BlockPublicPolicy", true},
                {"IgnorePublicAcls", true},
                {"RestrictPublicBuckets", true}}},
              {"OwnershipControls", {{"Rules", ordered_json::array({{{"ObjectOwnership", "BucketOwnerEnforced"}}})}}},
              {"LifecycleConfiguration",
               {{"Rules",
                 ordered_json::array({
                     {{"Id", "expire-base-backups"}, {"Status", "Enabled"}, {"Prefix", prefix + "/base/"},
                      {"ExpirationInDays", days}},
                     // WAL lives one day longer than the oldest base backup that needs it.
                     {{"Id", "expire-wal"}, {"Status", "Enabled"}, {"Prefix", prefix + "/wal/"},
                      {"ExpirationInDays", days + 1}},
                     {{"Id", "abort-incomplete-uploads"}, {"Status", "Enabled"},
                      {"AbortIncompleteMultipartUpload", {{"DaysAfterInitiation", 1}}}},
                 })}}},
              {"Tags", Tags(plan, r.db, plan.name + " backups")}}}};
}

ordered_json BucketPolicy(const DatabaseResources& r) {
    const std::string bucket = r.id + "BackupBucket";
    return {{"Type", "AWS::S3::BucketPolicy"},
            {"Properties",
             {{"Bucket", Ref(bucket)},
              {"PolicyDocument",
               {{"Version", "2012-10-17"},
                {"Statement",
                 ordered_json::array({{{"Sid", "DenyInsecureTransport"},
                                       {"Effect", "Deny"},
                                       {"Principal", "*"},
                                       {"Action", "s3:*"},
                                       {"Resource", ordered_json::array({GetAtt(bucket, "Arn"),
                                                                         Sub("${" + bucket + ".Arn}/*")})},
                                       {"Condition", {{"Bool", {{"aws:SecureTransport", "false"}}}}}}})}}}}}};
}

ordered_json InstanceRole(const Plan& plan, const DatabaseResources& r) {
    const std::string parameter_arn = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter";
    ordered_json parameters = ordered_json::array({Sub(parameter_arn + PasswordParameterName(plan, r.db))});
    if (r.pg.replicas > 0) parameters.push_back(Sub(parameter_arn + ReplicationPasswordParameterName(plan, r.db)));
    ordered_json statements = ordered_json::array({
        {{"Sid", "ReadOwnPasswords"}, {"Effect", "Allow"}, {"Action", "ssm:GetParameter"}, {"Resource", parameters}},
        {{"Sid", "SignalOwnStack"},
         {"Effect", "Allow"},
         {"Action", "cloudformation:SignalResource"},
         {"Resource", Ref("AWS::StackId")}},
    });
    if (r.pg.backups.enabled) {
        const std::string bucket = r.id + "BackupBucket";
        const std::string prefix = BackupPrefix(plan, r.db);
        statements.push_back({{"Sid", "WriteOwnBackups"},
                              {"Effect", "Allow"},
                              {"Action", ordered_json::array({"s3:PutObject", "s3:GetObject"})},
                              {"Resource", Sub("${" + bucket + ".Arn}/" + prefix + "/*")}});
        statements.push_back({{"Sid", "ListOwnBackups"},
                              {"Effect", "Allow"},
                              {"Action", "s3:ListBucket"},
                              {"Resource", GetAtt(bucket, "Arn")},
                              {"Condition", {{"StringLike", {{"s3:prefix", ordered_json::array({prefix + "/*"})}}}}}});
    }
    return {{"Type", "AWS::IAM::Role"},
            {"Properties",
             {{"AssumeRolePolicyDocument",
               {{"Version", "2012-10-17"},
                {"Statement", ordered_json::array({{{"Effect", "Allow"},
                                                    {"Principal", {{"Service", "ec2.amazonaws.com"}}},
                                                    {"Action", "sts:AssumeRole"}}})}}},
              {"Policies", ordered_json::array({{{"PolicyName", "cloudsketch-database"},
                                                  {"PolicyDocument", {{"Version", "2012-10-17"}, {"Statement", statements}}}}})},
              {"Tags", Tags(plan, r.db, plan.name + " " + r.db.id)}}}};
}

ordered_json Instance(const Plan& plan, const DatabaseResources& r, std::string user_data, const std::string& name) {
    const bool hdd = r.vm_spec.disk.type == DiskType::Hdd;
    // st1 (throughput HDD) starts at 125 GiB.
    const int data_size = hdd ? std::max(125, r.vm_spec.disk.size_gib) : r.vm_spec.disk.size_gib;
    ordered_json properties;
    properties["ImageId"] = Ref(r.id + "ImageId");
    properties["InstanceType"] = r.type.name;
    properties["IamInstanceProfile"] = Ref(r.id + "InstanceProfile");
    properties["LaunchTemplate"] = {{"LaunchTemplateId", Ref(r.id + "LaunchTemplate")},
                                    {"Version", GetAtt(r.id + "LaunchTemplate", "LatestVersionNumber")}};
    if (r.pg.publicly_accessible) {
        properties["NetworkInterfaces"] = ordered_json::array({{{"DeviceIndex", "0"},
                                                                {"AssociatePublicIpAddress", true},
                                                                {"SubnetId", Ref("SubnetId")},
                                                                {"GroupSet", ordered_json::array({GetAtt(r.id + "SecurityGroup", "GroupId")})}}});
    } else {
        properties["SubnetId"] = Ref("SubnetId");
        properties["SecurityGroupIds"] = ordered_json::array({GetAtt(r.id + "SecurityGroup", "GroupId")});
    }
    properties["BlockDeviceMappings"] = ordered_json::array({
        {{"DeviceName", RootDevice(r.vm_spec.os)},
         {"Ebs", {{"VolumeType", "gp3"}, {"VolumeSize", 16}, {"Encrypted", true}, {"DeleteOnTermination", true}}}},
        {{"DeviceName", "/dev/sdf"},
         {"Ebs", {{"VolumeType", hdd ? "st1" : "gp3"}, {"VolumeSize", data_size}, {"Encrypted", true},
                  {"DeleteOnTermination", true}}}},
    });
    // Assigned in place and moved, not built from initializer lists: those copy their elements, and
    // this string is the ~10 KB first-boot script (copies of it were a third of Transform's time).
    properties["UserData"]["Fn::Base64"]["Fn::Sub"] = std::move(user_data);
    properties["Tags"] = Tags(plan, r.db, name);
    ordered_json instance;
    instance["Type"] = "AWS::EC2::Instance";
    // The stack completes only when the VM reports PostgreSQL answering (cfn-signal).
    instance["CreationPolicy"] = {{"ResourceSignal", {{"Count", 1}, {"Timeout", "PT30M"}}}};
    instance["Properties"] = std::move(properties);
    return instance;
}

std::string UserData(const Plan& plan, const DatabaseResources& r, const ServerConfig& config, bool replica,
                     int replica_index, const std::string& signal_resource) {
    BootstrapSpec spec;
    spec.replica = replica;
    spec.replica_index = replica_index;
    spec.os = r.vm_spec.os;
    spec.pg_version = r.pg.version;
    spec.port = r.pg.port;
    spec.server_conf = RenderServerConf(config);
    spec.hba = RenderHba(config);
    spec.backups = r.pg.backups;
    spec.backup_prefix = BackupPrefix(plan, r.db);
    spec.signal_resource = signal_resource;
    std::string text = EscapeForSub(RenderBootstrap(spec));
    text = ReplaceAll(text, "{{STACK}}", "${AWS::StackName}");
    text = ReplaceAll(text, "{{REGION}}", "${AWS::Region}");
    text = ReplaceAll(text, "{{BUCKET}}", r.pg.backups.enabled ? "${" + r.id + "BackupBucket}" : "");
    text = ReplaceAll(text, "{{PRIMARY_HOST}}", "${" + r.id + "Primary.PrivateIp}");
    text = ReplaceAll(text, "{{PASSWORD_PARAMETER}}", PasswordParameterName(plan, r.db));
    text = ReplaceAll(text, "{{REPLICATION_PARAMETER}}",
                      r.pg.replicas > 0 ? ReplicationPasswordParameterName(plan, r.db) : "");
    return text;
}

}  // namespace

void EmitDatabase(const Plan& plan, std::size_t db_index, const InstanceType& type, const OsImage& image,
                  ordered_json& parameters, ordered_json& resources, ordered_json& outputs, Diagnostics& diagnostics) {
    const Component& db = plan.components[db_index];
    const PostgresSpec& pg = std::get<PostgresSpec>(db.spec);
    const Component& vm = *plan.Find(pg.host);
    const VmSpec& vm_spec = std::get<VmSpec>(vm.spec);
    const DatabaseResources r{db, pg, vm, vm_spec, type, LogicalId(db.id)};

    if (image.kind == ImageKind::UserImageId) {
        parameters[r.id + "ImageId"] = {{"Type", "AWS::EC2::Image::Id"},
                                        {"Default", image.image_id},
                                        {"Description", "Machine image for " + vm.id + " (given in the plan)"}};
    } else {
        parameters[r.id + "ImageId"] = {{"Type", "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"},
                                        {"Default", image.ssm_parameter},
                                        {"Description", "Current " + vm_spec.os.distribution + " " +
                                                            vm_spec.os.version + " image, resolved by AWS at deploy time"}};
    }

    const HostFacts host{static_cast<std::int64_t>(type.memory_gib * 1024 * 1024), type.vcpus, vm_spec.disk.type};
    ServerTarget target;
    target.listen_addresses = "*";
    if (pg.backups.enabled) target.archive_command = "/usr/local/bin/cloudsketch-archive-wal %p %f";
    target.replication_cidrs = {"samenet"};  // replicas sit in the primary's subnet
    const ServerConfig config = BuildServerConfig(plan, db_index, host, target);
    diagnostics.insert(diagnostics.end(), config.warnings.begin(), config.warnings.end());

    resources[r.id + "SecurityGroup"] = SecurityGroup(plan, r);
    if (pg.replicas > 0) {
        resources[r.id + "ReplicationIngress"] = {
            {"Type", "AWS::EC2::SecurityGroupIngress"},
            {"Properties",
             {{"GroupId", GetAtt(r.id + "SecurityGroup", "GroupId")},
              {"IpProtocol", "tcp"},
              {"FromPort", pg.port},
              {"ToPort", pg.port},
              {"SourceSecurityGroupId", GetAtt(r.id + "SecurityGroup", "GroupId")},
              {"Description", "Streaming replication between this database's servers"}}}};
    }
    if (pg.backups.enabled) {
        resources[r.id + "BackupBucket"] = BackupBucket(plan, r);
        resources[r.id + "BackupBucketPolicy"] = BucketPolicy(r);
    }
    resources[r.id + "InstanceRole"] = InstanceRole(plan, r);
    resources[r.id + "InstanceProfile"] = {{"Type", "AWS::IAM::InstanceProfile"},
                                           {"Properties", {{"Roles", ordered_json::array({Ref(r.id + "InstanceRole")})}}}};
    resources[r.id + "LaunchTemplate"] = {
        {"Type", "AWS::EC2::LaunchTemplate"},
        {"Properties",
         {{"LaunchTemplateData",
           {{"MetadataOptions", {{"HttpTokens", "required"}, {"HttpEndpoint", "enabled"}, {"HttpPutResponseHopLimit", 1}}}}}}}};
    const std::string primary = r.id + "Primary";
    resources[primary] = Instance(plan, r, UserData(plan, r, config, false, 0, primary), plan.name + " " + db.id + " primary");
    ordered_json replica_hosts = ordered_json::array();
    for (int i = 1; i <= pg.replicas; ++i) {
        const std::string replica = r.id + "Replica" + std::to_string(i);
        resources[replica] = Instance(plan, r, UserData(plan, r, config, true, i, replica),
                                      plan.name + " " + db.id + " replica " + std::to_string(i));
        replica_hosts.push_back(GetAtt(replica, "PrivateDnsName"));
    }

    const std::string dns = pg.publicly_accessible ? "PublicDnsName" : "PrivateDnsName";
    outputs[r.id + "Endpoint"] = {{"Description", "Host name clients connect to"}, {"Value", GetAtt(primary, dns)}};
    outputs[r.id + "Port"] = {{"Description", "PostgreSQL port"}, {"Value", std::to_string(pg.port)}};
    outputs[r.id + "Database"] = {{"Description", "Database and user name"}, {"Value", "app"}};
    outputs[r.id + "PasswordParameter"] = {{"Description", "SSM SecureString holding the password"},
                                           {"Value", PasswordParameterName(plan, db)}};
    outputs[r.id + "PrimaryInstanceId"] = {{"Description", "EC2 instance of the primary"}, {"Value", Ref(primary)}};
    if (pg.replicas > 0) {
        outputs[r.id + "ReplicaEndpoints"] = {{"Description", "Read-only replicas"},
                                              {"Value", {{"Fn::Join", ordered_json::array({",", replica_hosts})}}}};
    }
    if (pg.backups.enabled) {
        outputs[r.id + "BackupBucket"] = {{"Description", "S3 bucket holding backups (kept when the stack is deleted)"},
                                          {"Value", Ref(r.id + "BackupBucket")}};
    }
}

}  // namespace plan::detail
