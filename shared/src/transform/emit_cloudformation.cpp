// AWS CloudFormation from a plan. Per PostgreSQL component: a security group open only to the plan's
// ranges, an encrypted private backup bucket with the plan's retention, a least-privilege instance
// role, an IMDSv2-only launch template, the primary (and replicas) with encrypted gp3 volumes, each
// waiting for its VM to signal that PostgreSQL answers. Keys are emitted in a fixed order so the same
// plan always gives the same bytes. Written as a stream (json_out.hpp), not built as a tree: the
// template is large (the first-boot script is ~10 KB per server) and is written exactly once.
// Resource reference: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-template-resource-type-ref.html
#include "emit_cloudformation.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "aws_tag.hpp"
#include "bootstrap.hpp"
#include "json_out.hpp"
#include "plan/catalog.hpp"
#include "plan/server_config.hpp"
#include "plan/transform.hpp"

namespace plan::detail {
namespace {

// CloudFormation intrinsics, written as values.
auto Ref(std::string name) {
    return [name = std::move(name)](JsonOut& out) { out.Object([&] { out.Field("Ref", name); }); };
}
auto GetAtt(std::string resource, std::string attribute) {
    return [resource = std::move(resource), attribute = std::move(attribute)](JsonOut& out) {
        out.Object([&] {
            out.Array("Fn::GetAtt", [&] {
                out.Value(resource);
                out.Value(attribute);
            });
        });
    };
}
auto Sub(std::string text) {
    return [text = std::move(text)](JsonOut& out) { out.Object([&] { out.Field("Fn::Sub", text); }); };
}

// The root device name each image family boots from: a mapping for another name would add a volume.
std::string RootDevice(const OsSpec& os) { return os.distribution == "ubuntu" ? "/dev/sda1" : "/dev/xvda"; }

void Tags(JsonOut& out, const Plan& plan, const Component& component, const std::string& name) {
    const auto tag = [&](std::string_view key, std::string_view value) {
        out.Object([&] {
            out.Field("Key", key);
            out.Field("Value", value);
        });
    };
    out.Array("Tags", [&] {
        tag("Name", name);
        tag("cloudsketch:plan", plan.id.empty() ? "unsaved" : plan.id);
        tag("cloudsketch:environment", ToString(plan.environment));
        tag("cloudsketch:component", component.id);
    });
}

// The first-boot script as a Fn::Sub string, in one pass over the text: the script's own shell
// variables "${x}" become "${!x}" (Fn::Sub would read them as references), and each "{{MARKER}}" from
// bootstrap.hpp becomes the cloud's reference for it.
std::string SubstituteForSub(const std::string& text, const std::vector<std::pair<std::string, std::string>>& markers) {
    std::string out;
    out.reserve(text.size() + 256);
    std::size_t i = 0;
    while (i < text.size()) {
        // (A plain loop: find_first_of calls memchr once per character of the text.)
        std::size_t special = i;
        while (special < text.size() && text[special] != '$' && text[special] != '{') ++special;
        if (special == text.size()) break;
        out.append(text, i, special - i);  // plain text up to the next candidate, in one copy
        i = special;
        if (text[i] == '$' && text.compare(i, 2, "${") == 0) {
            out += "${!";
            i += 2;
            continue;
        }
        const auto marker = text[i] == '{' ? std::find_if(markers.begin(), markers.end(), [&](const auto& m) {
            return text.compare(i, m.first.size(), m.first) == 0;
        }) : markers.end();
        if (marker != markers.end()) {
            out += marker->second;
            i += marker->first.size();
        } else {
            out += text[i++];
        }
    }
    out.append(text, i, std::string::npos);
    return out;
}

// Names and facts shared by every resource of one database.
struct DatabaseResources {
    const Plan& plan;
    const CfnDatabase& source;
    const Component& db;
    const PostgresSpec& pg;
    const VmSpec& vm_spec;
    const Component& vm;
    std::string id;      // logical id prefix
    std::string bucket;  // logical id of the backup bucket
    std::string prefix;  // backup object prefix

    DatabaseResources(const Plan& p, const CfnDatabase& d)
        : plan(p),
          source(d),
          db(p.components[d.index]),
          pg(std::get<PostgresSpec>(db.spec)),
          vm_spec(std::get<VmSpec>(p.Find(pg.host)->spec)),
          vm(*p.Find(pg.host)),
          id(LogicalId(db.id)),
          bucket(id + "BackupBucket"),
          prefix(StackName(p) + "/" + db.id) {}
};

void ImageParameter(JsonOut& out, const DatabaseResources& r) {
    const OsImage& image = r.source.image;
    out.Object(r.id + "ImageId", [&] {
        if (image.kind == ImageKind::UserImageId) {
            out.Field("Type", "AWS::EC2::Image::Id");
            out.Field("Default", image.image_id);
            out.Field("Description", "Machine image for " + r.vm.id + " (given in the plan)");
        } else {
            out.Field("Type", "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>");
            out.Field("Default", image.ssm_parameter);
            out.Field("Description", "Current " + r.vm_spec.os.distribution + " " + r.vm_spec.os.version +
                                         " image, resolved by AWS at deploy time");
        }
    });
}

void SecurityGroup(JsonOut& out, const DatabaseResources& r) {
    std::vector<std::string> ranges = r.pg.allowed_cidrs;
    if (r.pg.publicly_accessible && ranges.empty()) ranges = {"0.0.0.0/0", "::/0"};
    out.Object(r.id + "SecurityGroup", [&] {
        out.Field("Type", "AWS::EC2::SecurityGroup");
        out.Object("Properties", [&] {
            // EC2 takes only a-z A-Z 0-9, spaces and ._-:/()#,@[]+=&;{}!$* here (an apostrophe fails the stack):
            // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
            out.Field("GroupDescription", "CloudSketch " + r.db.id + ": PostgreSQL port, open only to the ranges the plan allows");
            out.Field("VpcId", Ref("VpcId"));
            out.Array("SecurityGroupIngress", [&] {
                for (const std::string& cidr : ranges) {
                    out.Object([&] {
                        out.Field("IpProtocol", "tcp");
                        out.Field("FromPort", r.pg.port);
                        out.Field("ToPort", r.pg.port);
                        out.Field(cidr.find(':') == std::string::npos ? "CidrIp" : "CidrIpv6", cidr);
                        out.Field("Description", "PostgreSQL from " + cidr);
                    });
                }
            });
            Tags(out, r.plan, r.db, r.plan.name + " " + r.db.id);
        });
    });
}

void ReplicationIngress(JsonOut& out, const DatabaseResources& r) {
    out.Object(r.id + "ReplicationIngress", [&] {
        out.Field("Type", "AWS::EC2::SecurityGroupIngress");
        out.Object("Properties", [&] {
            out.Field("GroupId", GetAtt(r.id + "SecurityGroup", "GroupId"));
            out.Field("IpProtocol", "tcp");
            out.Field("FromPort", r.pg.port);
            out.Field("ToPort", r.pg.port);
            out.Field("SourceSecurityGroupId", GetAtt(r.id + "SecurityGroup", "GroupId"));
            out.Field("Description", "Streaming replication between the servers of this database");  // EC2's characters too
        });
    });
}

void BackupBucket(JsonOut& out, const DatabaseResources& r) {
    const int days = r.pg.backups.retention_days;
    const auto expire = [&](std::string_view id, const std::string& prefix, int after_days) {
        out.Object([&] {
            out.Field("Id", id);
            out.Field("Status", "Enabled");
            out.Field("Prefix", prefix);
            out.Field("ExpirationInDays", after_days);
        });
    };
    out.Object(r.bucket, [&] {
        out.Field("Type", "AWS::S3::Bucket");
        // Backups outlive the stack unless the user asks to delete them (destroy keeps the bucket).
        out.Field("DeletionPolicy", "Retain");
        out.Field("UpdateReplacePolicy", "Retain");
        out.Object("Properties", [&] {
            out.Object("BucketEncryption", [&] {
                out.Array("ServerSideEncryptionConfiguration", [&] {
                    out.Object([&] { out.Object("ServerSideEncryptionByDefault", [&] { out.Field("SSEAlgorithm", "AES256"); }); });
                });
            });
            out.Object("PublicAccessBlockConfiguration", [&] {
                out.Field("BlockPublicAcls", true);
                out.Field("BlockPublicPolicy", true);
                out.Field("IgnorePublicAcls", true);
                out.Field("RestrictPublicBuckets", true);
            });
            out.Object("OwnershipControls", [&] {
                out.Array("Rules", [&] { out.Object([&] { out.Field("ObjectOwnership", "BucketOwnerEnforced"); }); });
            });
            out.Object("LifecycleConfiguration", [&] {
                out.Array("Rules", [&] {
                    expire("expire-base-backups", r.prefix + "/base/", days);
                    // WAL lives one day longer than the oldest base backup that needs it.
                    expire("expire-wal", r.prefix + "/wal/", days + 1);
                    out.Object([&] {
                        out.Field("Id", "abort-incomplete-uploads");
                        out.Field("Status", "Enabled");
                        out.Object("AbortIncompleteMultipartUpload", [&] { out.Field("DaysAfterInitiation", 1); });
                    });
                });
            });
            Tags(out, r.plan, r.db, RestrictedTagValue(r.plan.name + " backups"));  // S3 tags: few characters
        });
    });
}

void BucketPolicy(JsonOut& out, const DatabaseResources& r) {
    out.Object(r.id + "BackupBucketPolicy", [&] {
        out.Field("Type", "AWS::S3::BucketPolicy");
        out.Object("Properties", [&] {
            out.Field("Bucket", Ref(r.bucket));
            out.Object("PolicyDocument", [&] {
                out.Field("Version", "2012-10-17");
                out.Array("Statement", [&] {
                    out.Object([&] {
                        out.Field("Sid", "DenyInsecureTransport");
                        out.Field("Effect", "Deny");
                        out.Field("Principal", "*");
                        out.Field("Action", "s3:*");
                        out.Array("Resource", [&] {
                            out.Value(GetAtt(r.bucket, "Arn"));
                            out.Value(Sub("${" + r.bucket + ".Arn}/*"));
                        });
                        out.Object("Condition", [&] { out.Object("Bool", [&] { out.Field("aws:SecureTransport", "false"); }); });
                    });
                });
            });
        });
    });
}

void RoleStatements(JsonOut& out, const DatabaseResources& r, const std::string& parameter_arn) {
    out.Object([&] {
        out.Field("Sid", "ReadOwnPasswords");
        out.Field("Effect", "Allow");
        out.Field("Action", "ssm:GetParameter");
        out.Array("Resource", [&] {
            out.Value(Sub(parameter_arn + PasswordParameterName(r.plan, r.db)));
            if (r.pg.replicas > 0) out.Value(Sub(parameter_arn + ReplicationPasswordParameterName(r.plan, r.db)));
        });
    });
    out.Object([&] {
        out.Field("Sid", "SignalOwnStack");
        out.Field("Effect", "Allow");
        out.Field("Action", "cloudformation:SignalResource");
        out.Field("Resource", Ref("AWS::StackId"));
    });
    if (!r.pg.backups.enabled) return;
    out.Object([&] {
        out.Field("Sid", "WriteOwnBackups");
        out.Field("Effect", "Allow");
        out.Array("Action", [&] {
            out.Value("s3:PutObject");
            out.Value("s3:GetObject");
        });
        out.Field("Resource", Sub("${" + r.bucket + ".Arn}/" + r.prefix + "/*"));
    });
    out.Object([&] {
        out.Field("Sid", "ListOwnBackups");
        out.Field("Effect", "Allow");
        out.Field("Action", "s3:ListBucket");
        out.Field("Resource", GetAtt(r.bucket, "Arn"));
        out.Object("Condition", [&] {
            out.Object("StringLike", [&] { out.Array("s3:prefix", [&] { out.Value(r.prefix + "/*"); }); });
        });
    });
}

void InstanceRole(JsonOut& out, const DatabaseResources& r) {
    const std::string parameter_arn = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter";
    out.Object(r.id + "InstanceRole", [&] {
        out.Field("Type", "AWS::IAM::Role");
        out.Object("Properties", [&] {
            out.Object("AssumeRolePolicyDocument", [&] {
                out.Field("Version", "2012-10-17");
                out.Array("Statement", [&] {
                    out.Object([&] {
                        out.Field("Effect", "Allow");
                        out.Object("Principal", [&] { out.Field("Service", "ec2.amazonaws.com"); });
                        out.Field("Action", "sts:AssumeRole");
                    });
                });
            });
            // Systems Manager must manage the instance for the gateway's on-demand backups (SSM Run Command,
            // docs/aws.md): with this AWS managed policy the SSM agent registers and takes commands with the
            // instance's own credentials, without the account-wide Default Host Management Configuration.
            out.Array("ManagedPolicyArns", [&] {
                out.Value(Sub("arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"));
            });
            out.Array("Policies", [&] {
                out.Object([&] {
                    out.Field("PolicyName", "cloudsketch-database");
                    out.Object("PolicyDocument", [&] {
                        out.Field("Version", "2012-10-17");
                        out.Array("Statement", [&] { RoleStatements(out, r, parameter_arn); });
                    });
                });
            });
            Tags(out, r.plan, r.db, RestrictedTagValue(r.plan.name + " " + r.db.id));  // IAM tags: few characters
        });
    });
}

void InstanceProfileAndLaunchTemplate(JsonOut& out, const DatabaseResources& r) {
    out.Object(r.id + "InstanceProfile", [&] {
        out.Field("Type", "AWS::IAM::InstanceProfile");
        out.Object("Properties", [&] { out.Array("Roles", [&] { out.Value(Ref(r.id + "InstanceRole")); }); });
    });
    out.Object(r.id + "LaunchTemplate", [&] {
        out.Field("Type", "AWS::EC2::LaunchTemplate");
        out.Object("Properties", [&] {
            out.Object("LaunchTemplateData", [&] {
                out.Object("MetadataOptions", [&] {
                    out.Field("HttpTokens", "required");
                    out.Field("HttpEndpoint", "enabled");
                    out.Field("HttpPutResponseHopLimit", 1);
                });
            });
        });
    });
}

std::string UserData(const DatabaseResources& r, bool replica, int replica_index, const std::string& signal_resource) {
    BootstrapSpec spec;
    spec.replica = replica;
    spec.replica_index = replica_index;
    spec.os = r.vm_spec.os;
    spec.pg_version = r.pg.version;
    spec.port = r.pg.port;
    spec.server_conf = RenderServerConf(r.source.config);
    spec.hba = RenderHba(r.source.config);
    spec.backups = r.pg.backups;
    spec.backup_prefix = r.prefix;
    spec.signal_resource = signal_resource;
    return SubstituteForSub(
        RenderBootstrap(spec),
        {{"{{STACK}}", "${AWS::StackName}"},
         {"{{REGION}}", "${AWS::Region}"},
         {"{{BUCKET}}", r.pg.backups.enabled ? "${" + r.bucket + "}" : ""},
         {"{{PRIMARY_HOST}}", "${" + r.id + "Primary.PrivateIp}"},
         {"{{PASSWORD_PARAMETER}}", PasswordParameterName(r.plan, r.db)},
         {"{{REPLICATION_PARAMETER}}", r.pg.replicas > 0 ? ReplicationPasswordParameterName(r.plan, r.db) : ""}});
}

// One EC2 instance: the primary (replica_index 0) or a replica.
void Instance(JsonOut& out, const DatabaseResources& r, int replica_index) {
    const bool replica = replica_index > 0;
    const std::string logical = replica ? r.id + "Replica" + std::to_string(replica_index) : r.id + "Primary";
    const std::string name = r.plan.name + " " + r.db.id + (replica ? " replica " + std::to_string(replica_index) : " primary");
    const bool hdd = r.vm_spec.disk.type == DiskType::Hdd;
    // st1 (throughput HDD) starts at 125 GiB.
    const int data_size = hdd ? std::max(125, r.vm_spec.disk.size_gib) : r.vm_spec.disk.size_gib;
    const auto volume = [&](std::string_view device, std::string_view type, int size) {
        out.Object([&] {
            out.Field("DeviceName", device);
            out.Object("Ebs", [&] {
                out.Field("VolumeType", type);
                out.Field("VolumeSize", size);
                out.Field("Encrypted", true);
                out.Field("DeleteOnTermination", true);
            });
        });
    };
    out.Object(logical, [&] {
        out.Field("Type", "AWS::EC2::Instance");
        // The stack completes only when the VM reports PostgreSQL answering (cfn-signal).
        out.Object("CreationPolicy", [&] {
            out.Object("ResourceSignal", [&] {
                out.Field("Count", 1);
                out.Field("Timeout", "PT30M");
            });
        });
        out.Object("Properties", [&] {
            out.Field("ImageId", Ref(r.id + "ImageId"));
            out.Field("InstanceType", r.source.type->name);
            out.Field("IamInstanceProfile", Ref(r.id + "InstanceProfile"));
            out.Object("LaunchTemplate", [&] {
                out.Field("LaunchTemplateId", Ref(r.id + "LaunchTemplate"));
                out.Field("Version", GetAtt(r.id + "LaunchTemplate", "LatestVersionNumber"));
            });
            if (r.pg.publicly_accessible) {
                out.Array("NetworkInterfaces", [&] {
                    out.Object([&] {
                        out.Field("DeviceIndex", "0");
                        out.Field("AssociatePublicIpAddress", true);
                        out.Field("SubnetId", Ref("SubnetId"));
                        out.Array("GroupSet", [&] { out.Value(GetAtt(r.id + "SecurityGroup", "GroupId")); });
                    });
                });
            } else {
                out.Field("SubnetId", Ref("SubnetId"));
                out.Array("SecurityGroupIds", [&] { out.Value(GetAtt(r.id + "SecurityGroup", "GroupId")); });
            }
            out.Array("BlockDeviceMappings", [&] {
                volume(RootDevice(r.vm_spec.os), "gp3", 16);
                volume("/dev/sdf", hdd ? "st1" : "gp3", data_size);
            });
            out.Object("UserData", [&] {
                out.Object("Fn::Base64", [&] { out.Field("Fn::Sub", UserData(r, replica, replica_index, logical)); });
            });
            Tags(out, r.plan, r.db, name);
        });
    });
}

void Resources(JsonOut& out, const DatabaseResources& r) {
    SecurityGroup(out, r);
    if (r.pg.replicas > 0) ReplicationIngress(out, r);
    if (r.pg.backups.enabled) {
        BackupBucket(out, r);
        BucketPolicy(out, r);
    }
    InstanceRole(out, r);
    InstanceProfileAndLaunchTemplate(out, r);
    for (int i = 0; i <= r.pg.replicas; ++i) Instance(out, r, i);
}

void Outputs(JsonOut& out, const DatabaseResources& r) {
    const auto output = [&](const std::string& key, std::string_view description, auto&& value) {
        out.Object(key, [&] {
            out.Field("Description", description);
            out.Field("Value", value);
        });
    };
    const std::string primary = r.id + "Primary";
    output(r.id + "Endpoint", "Host name clients connect to",
           GetAtt(primary, r.pg.publicly_accessible ? "PublicDnsName" : "PrivateDnsName"));
    output(r.id + "Port", "PostgreSQL port", std::to_string(r.pg.port));
    output(r.id + "Database", "Database and user name", "app");
    output(r.id + "PasswordParameter", "SSM SecureString holding the password", PasswordParameterName(r.plan, r.db));
    output(r.id + "PrimaryInstanceId", "EC2 instance of the primary", Ref(primary));
    if (r.pg.replicas > 0) {
        output(r.id + "ReplicaEndpoints", "Read-only replicas", [&](JsonOut& o) {
            o.Object([&] {
                o.Array("Fn::Join", [&] {
                    o.Value(",");
                    o.Array([&] {
                        for (int i = 1; i <= r.pg.replicas; ++i) o.Value(GetAtt(r.id + "Replica" + std::to_string(i), "PrivateDnsName"));
                    });
                });
            });
        });
    }
    if (r.pg.backups.enabled) {
        output(r.id + "BackupBucket", "S3 bucket holding backups (kept when the stack is deleted)", Ref(r.bucket));
    }
}

}  // namespace

CfnDatabase PrepareDatabase(const Plan& plan, std::size_t index, const InstanceType& type, OsImage image) {
    const auto& pg = std::get<PostgresSpec>(plan.components[index].spec);
    const VmSpec& vm_spec = std::get<VmSpec>(plan.Find(pg.host)->spec);
    const HostFacts host{static_cast<std::int64_t>(type.memory_gib * 1024 * 1024), type.vcpus, vm_spec.disk.type};
    ServerTarget target;
    target.listen_addresses = "*";
    if (pg.backups.enabled) target.archive_command = "/usr/local/bin/cloudsketch-archive-wal %p %f";
    target.replication_cidrs = {"samenet"};  // replicas sit in the primary's subnet
    return {index, &type, std::move(image), BuildServerConfig(plan, index, host, target)};
}

int CountResources(const PostgresSpec& pg) {
    // Security group, role, instance profile, launch template, primary; then the optional ones.
    return 5 + (pg.replicas > 0 ? 1 : 0) + (pg.backups.enabled ? 2 : 0) + pg.replicas;
}

std::string WriteCloudFormation(const Plan& plan, const std::vector<CfnDatabase>& databases) {
    std::vector<DatabaseResources> dbs;
    dbs.reserve(databases.size());
    for (const CfnDatabase& d : databases) dbs.emplace_back(plan, d);

    // About 20 KB per server, most of it the first-boot script.
    std::size_t servers = 0;
    for (const DatabaseResources& r : dbs) servers += 1 + static_cast<std::size_t>(r.pg.replicas);
    JsonOut out(4096 + servers * 24 * 1024);
    out.Object([&] {
        out.Field("AWSTemplateFormatVersion", "2010-09-09");
        out.Field("Description", "CloudSketch plan \"" + plan.name + "\" (" + std::string(ToString(plan.environment)) +
                                     "): PostgreSQL on EC2, tuned, secured and backed up.");
        out.Object("Metadata", [&] {
            out.Object("CloudSketch", [&] {
                out.Field("plan", plan.id.empty() ? "unsaved" : plan.id);
                out.Field("revision", plan.revision);
                out.Field("schema_version", plan.schema_version);
            });
        });
        out.Object("Parameters", [&] {
            out.Object("VpcId", [&] {
                out.Field("Type", "AWS::EC2::VPC::Id");
                out.Field("Description", "VPC the database servers run in");
            });
            out.Object("SubnetId", [&] {
                out.Field("Type", "AWS::EC2::Subnet::Id");
                out.Field("Description", "Subnet of that VPC for the servers (public only if the plan says so)");
            });
            for (const DatabaseResources& r : dbs) ImageParameter(out, r);
        });
        out.Object("Resources", [&] {
            for (const DatabaseResources& r : dbs) Resources(out, r);
        });
        out.Object("Outputs", [&] {
            for (const DatabaseResources& r : dbs) Outputs(out, r);
        });
    });
    return out.Take();
}

}  // namespace plan::detail
