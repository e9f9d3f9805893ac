// The AWS CloudFormation transformer: structure and security properties of the rendered template,
// refusals with their reasons, and golden files (rewritten only by scripts/regen_golden).
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "plan/transform.hpp"
#include "plan/validate.hpp"

namespace {

using nlohmann::json;

plan::PostgresSpec& Pg(plan::Plan& p) { return std::get<plan::PostgresSpec>(p.components[1].spec); }
plan::VmSpec& Vm(plan::Plan& p) { return std::get<plan::VmSpec>(p.components[0].spec); }

json Render(const plan::Plan& p) {
    const plan::TransformResult r = plan::Transform(p, plan::Target::AwsCloudFormation);
    EXPECT_FALSE(plan::HasErrors(r.diagnostics)) << plan::FormatDiagnostics(r.diagnostics);
    if (r.documents.size() != 1) return json();
    return json::parse(r.documents[0].text);
}

std::string UserData(const json& instance) {
    return instance["Properties"]["UserData"]["Fn::Base64"]["Fn::Sub"].get<std::string>();
}

std::string ReadFile(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream s;
    s << file.rdbuf();
    return s.str();
}

TEST(Transform, DefaultPlanRendersEveryPiece) {
    plan::Plan p = plan::DefaultPlan("orders");
    const json t = Render(p);
    ASSERT_TRUE(t.is_object());
    const json& res = t["Resources"];
    for (const char* id : {"Pg1SecurityGroup", "Pg1BackupBucket", "Pg1BackupBucketPolicy", "Pg1InstanceRole",
                           "Pg1InstanceProfile", "Pg1LaunchTemplate", "Pg1Primary"}) {
        EXPECT_TRUE(res.contains(id)) << id;
    }
    EXPECT_EQ(res["Pg1Primary"]["Properties"]["InstanceType"], "t3.medium");
    EXPECT_EQ(res["Pg1Primary"]["CreationPolicy"]["ResourceSignal"]["Count"], 1);
    EXPECT_EQ(t["Parameters"]["Pg1ImageId"]["Type"], "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>");
    EXPECT_EQ(t["Parameters"]["Pg1ImageId"]["Default"], "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
    EXPECT_EQ(res["Pg1LaunchTemplate"]["Properties"]["LaunchTemplateData"]["MetadataOptions"]["HttpTokens"], "required");
    EXPECT_EQ(t["Outputs"]["Pg1Port"]["Value"], "5432");
}

TEST(Transform, SecurityGroupOpensOnlyThePlansRanges) {
    plan::Plan p = plan::DefaultPlan();
    Pg(p).allowed_cidrs = {"10.1.0.0/16", "2001:db8::/32"};
    Pg(p).port = 6543;
    const json ingress = Render(p)["Resources"]["Pg1SecurityGroup"]["Properties"]["SecurityGroupIngress"];
    ASSERT_EQ(ingress.size(), 2u);
    EXPECT_EQ(ingress[0]["CidrIp"], "10.1.0.0/16");
    EXPECT_EQ(ingress[1]["CidrIpv6"], "2001:db8::/32");
    for (const json& rule : ingress) {
        EXPECT_EQ(rule["FromPort"], 6543);
        EXPECT_EQ(rule["ToPort"], 6543);
    }
}

TEST(Transform, PublicMeansReachableFromAnywhereAndAPublicAddress) {
    plan::Plan p = plan::DefaultPlan();
    Pg(p).publicly_accessible = true;
    Pg(p).allowed_cidrs = {};
    const json t = Render(p);
    const json ingress = t["Resources"]["Pg1SecurityGroup"]["Properties"]["SecurityGroupIngress"];
    ASSERT_EQ(ingress.size(), 2u);
    EXPECT_EQ(ingress[0]["CidrIp"], "0.0.0.0/0");
    EXPECT_EQ(t["Resources"]["Pg1Primary"]["Properties"]["NetworkInterfaces"][0]["AssociatePublicIpAddress"], true);
    EXPECT_EQ(t["Outputs"]["Pg1Endpoint"]["Value"]["Fn::GetAtt"][1], "PublicDnsName");
}

TEST(Transform, VolumesAreEncryptedAndSizedAsPlanned) {
    plan::Plan p = plan::DefaultPlan();
    Vm(p).disk.size_gib = 200;
    const json devices = Render(p)["Resources"]["Pg1Primary"]["Properties"]["BlockDeviceMappings"];
    ASSERT_EQ(devices.size(), 2u);
    EXPECT_EQ(devices[0]["DeviceName"], "/dev/xvda");  // Amazon Linux's root device
    for (const json& d : devices) {
        EXPECT_EQ(d["Ebs"]["Encrypted"], true);
        EXPECT_EQ(d["Ebs"]["VolumeType"], "gp3");
    }
    EXPECT_EQ(devices[1]["Ebs"]["VolumeSize"], 200);
}

TEST(Transform, BackupBucketIsPrivateEncryptedAndExpiresWithRetention) {
    plan::Plan p = plan::DefaultPlan();
    Pg(p).backups.retention_days = 14;
    const json t = Render(p);
    const json& bucket = t["Resources"]["Pg1BackupBucket"];
    EXPECT_EQ(bucket["DeletionPolicy"], "Retain");
    for (const char* flag : {"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"}) {
        EXPECT_EQ(bucket["Properties"]["PublicAccessBlockConfiguration"][flag], true) << flag;
    }
    EXPECT_EQ(bucket["Properties"]["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"], 14);
    EXPECT_EQ(bucket["Properties"]["LifecycleConfiguration"]["Rules"][1]["ExpirationInDays"], 15);
    const std::string script = UserData(t["Resources"]["Pg1Primary"]);
    EXPECT_NE(script.find("archive_mode = on"), std::string::npos);
    EXPECT_NE(script.find("0 3 * * * root /usr/local/bin/cloudsketch-backup"), std::string::npos);
    EXPECT_NE(script.find("cloudsketch-validate-backup"), std::string::npos);

    Pg(p).backups.enabled = false;
    const json without = Render(p);
    EXPECT_FALSE(without["Resources"].contains("Pg1BackupBucket"));
    EXPECT_EQ(UserData(without["Resources"]["Pg1Primary"]).find("archive_mode"), std::string::npos);
}

TEST(Transform, InstanceRoleIsLeastPrivilege) {
    plan::Plan p = plan::DefaultPlan();
    p.id = "p_abc";
    const json t = Render(p);
    const json statements =
        t["Resources"]["Pg1InstanceRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    std::set<std::string> actions;
    for (const json& s : statements) {
        EXPECT_EQ(s["Effect"], "Allow");
        const json a = s["Action"].is_array() ? s["Action"] : json::array({s["Action"]});
        for (const json& x : a) {
            EXPECT_EQ(x.get<std::string>().find('*'), std::string::npos);
            actions.insert(x.get<std::string>());
        }
        EXPECT_NE(s["Resource"], "*");
    }
    EXPECT_EQ(actions, (std::set<std::string>{"ssm:GetParameter", "cloudformation:SignalResource", "s3:PutObject",
                                              "s3:GetObject", "s3:ListBucket"}));
    EXPECT_EQ(statements[0]["Resource"][0]["Fn::Sub"],
              "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/cloudsketch/"
              "p_abc/development/pg-1/app-password");
    // Beyond its own statements, only the AWS managed policy that lets Systems Manager run the gateway's
    // on-demand backups (SSM Run Command; docs/aws.md).
    EXPECT_EQ(t["Resources"]["Pg1InstanceRole"]["Properties"]["ManagedPolicyArns"],
              json::array({{{"Fn::Sub", "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"}}}));
}

TEST(Transform, ReplicasStreamFromThePrimary) {
    plan::Plan p = plan::DefaultPlan();
    Pg(p).topology = plan::Topology::PrimaryReplicas;
    Pg(p).replicas = 2;
    const json t = Render(p);
    const json& res = t["Resources"];
    EXPECT_TRUE(res.contains("Pg1Replica1"));
    EXPECT_TRUE(res.contains("Pg1Replica2"));
    EXPECT_FALSE(res.contains("Pg1Replica3"));
    EXPECT_TRUE(res.contains("Pg1ReplicationIngress"));
    const std::string replica = UserData(res["Pg1Replica2"]);
    EXPECT_NE(replica.find("${Pg1Primary.PrivateIp}"), std::string::npos);
    EXPECT_NE(replica.find("-S replica_2"), std::string::npos);
    EXPECT_NE(replica.find("replication-password"), std::string::npos);
    EXPECT_EQ(replica.find("cloudsketch-backup\n"), std::string::npos);  // only the primary backs up
    EXPECT_NE(UserData(res["Pg1Primary"]).find("CREATE ROLE replicator REPLICATION"), std::string::npos);
}

TEST(Transform, UserDataReferencesOnlyWhatTheTemplateHas) {
    plan::Plan p = plan::DefaultPlan();
    Pg(p).topology = plan::Topology::PrimaryReplicas;
    Pg(p).replicas = 1;
    const json t = Render(p);
    std::set<std::string> known{"AWS::StackName", "AWS::Region", "AWS::AccountId", "AWS::Partition"};
    for (const auto& [id, _] : t["Resources"].items()) known.insert(id);
    const std::regex reference(R"(\$\{([^}!][^}]*)\})");
    for (const char* id : {"Pg1Primary", "Pg1Replica1"}) {
        const std::string script = UserData(t["Resources"][id]);
        for (auto it = std::sregex_iterator(script.begin(), script.end(), reference); it != std::sregex_iterator(); ++it) {
            std::string name = (*it)[1];
            if (name.rfind("AWS::", 0) != 0) name = name.substr(0, name.find('.'));
            EXPECT_TRUE(known.count(name)) << id << " references ${" << (*it)[1] << "}";
        }
        EXPECT_LE(script.size(), 16u * 1024u) << id << ": EC2 user data is limited to 16 KB";
    }
}

TEST(Transform, SecretsNeverAppearInTheTemplate) {
    plan::Plan p = plan::DefaultPlan();
    const plan::TransformResult r = plan::Transform(p, plan::Target::AwsCloudFormation);
    ASSERT_EQ(r.documents.size(), 1u);
    EXPECT_EQ(r.documents[0].text.find("PASSWORD '"), std::string::npos);
    EXPECT_NE(r.documents[0].text.find("ssm get-parameter"), std::string::npos);
}

TEST(Transform, RefusesWhatItCannotDeploy) {
    plan::Plan p = plan::DefaultPlan();
    Pg(p).version = "18";  // not packaged for Amazon Linux 2023
    auto r = plan::Transform(p, plan::Target::AwsCloudFormation);
    EXPECT_TRUE(r.documents.empty());
    ASSERT_FALSE(r.diagnostics.empty());
    EXPECT_EQ(r.diagnostics.back().code, "os.postgres_version_unpackaged");
    EXPECT_EQ(r.diagnostics.back().path, "/components/1/version");

    Vm(p).os = {"linux", "ubuntu", "24.04"};
    r = plan::Transform(p, plan::Target::AwsCloudFormation);
    EXPECT_EQ(r.documents.size(), 1u) << plan::FormatDiagnostics(r.diagnostics);

    p.cloud = {"gcp", "europe-west1"};
    Vm(p).hardware.instance_type = "e2-standard-2";
    r = plan::Transform(p, plan::Target::AwsCloudFormation);
    EXPECT_TRUE(r.documents.empty());
    EXPECT_EQ(r.diagnostics.back().code, "transform.wrong_cloud");

    plan::Plan broken = plan::DefaultPlan();
    Vm(broken).disk.size_gib = 1;
    r = plan::Transform(broken, plan::Target::AwsCloudFormation);
    EXPECT_TRUE(r.documents.empty());
    EXPECT_EQ(r.diagnostics[0].code, "disk.size_out_of_range");
}

TEST(Transform, UbuntuUsesItsRootDeviceAndPostgresRepository) {
    plan::Plan p = plan::DefaultPlan();
    Vm(p).os = {"linux", "ubuntu", "24.04"};
    Pg(p).version = "18";
    const json t = Render(p);
    EXPECT_EQ(t["Resources"]["Pg1Primary"]["Properties"]["BlockDeviceMappings"][0]["DeviceName"], "/dev/sda1");
    const std::string script = UserData(t["Resources"]["Pg1Primary"]);
    EXPECT_NE(script.find("apt.postgresql.org"), std::string::npos);
    EXPECT_NE(script.find("apt-get install -y -q postgresql-18"), std::string::npos);
}

TEST(Transform, GoldenTemplates) {
    // scripts/regen_golden rewrites these after a deliberate change; review the diff before committing.
    for (const char* name : {"full_example", "short_body"}) {
        const std::string plan_text = ReadFile(std::string(CS_TEST_DATA) + "/plans/" + name + ".json");
        const auto parsed = plan::CheckPlan(plan_text);
        ASSERT_TRUE(parsed.plan.has_value()) << name;
        const auto r = plan::Transform(*parsed.plan, plan::Target::AwsCloudFormation);
        ASSERT_EQ(r.documents.size(), 1u) << name << "\n" << plan::FormatDiagnostics(r.diagnostics);
        const std::string golden = ReadFile(std::string(CS_TEST_DATA) + "/golden/" + name + ".cloudformation.json");
        EXPECT_EQ(r.documents[0].text, golden) << name << ": run scripts/regen_golden and review the diff";
    }
}

}  // namespace

namespace {

// `databases` VMs each hosting one PostgreSQL (backups on, no replicas: 7 resources each).
plan::Plan ManyDatabases(int databases) {
    plan::Plan p = plan::DefaultPlan("many");
    const plan::Component vm = p.components[0], pg = p.components[1];
    p.components.clear();
    for (int i = 0; i < databases; ++i) {
        plan::Component v = vm, d = pg;
        v.id = "vm-" + std::to_string(i);
        d.id = "pg-" + std::to_string(i);
        std::get<plan::PostgresSpec>(d.spec).host = v.id;
        p.components.push_back(v);
        p.components.push_back(d);
    }
    return p;
}

TEST(Transform, RefusesMoreResourcesThanOneStackHolds) {
    // 71 databases x 7 = 497 resources: one stack takes it, and the count the refusal uses is the real one.
    const json fits = Render(ManyDatabases(71));
    EXPECT_EQ(fits["Resources"].size(), 497u);
    // 72 x 7 = 504: refused before any work, with the numbers and what to do.
    const auto r = plan::Transform(ManyDatabases(72), plan::Target::AwsCloudFormation);
    EXPECT_TRUE(r.documents.empty());
    ASSERT_FALSE(r.diagnostics.empty());
    EXPECT_EQ(r.diagnostics.back().code, "transform.too_many_resources");
    EXPECT_NE(r.diagnostics.back().message.find("504"), std::string::npos) << r.diagnostics.back().message;
    EXPECT_NE(r.diagnostics.back().message.find("Split"), std::string::npos);
}

TEST(Transform, TextFromThePlanIsEscapedIntoValidJson) {
    plan::Plan p = plan::DefaultPlan("Orders \"EU\" \\ Zürich team");
    const json t = Render(p);
    EXPECT_EQ(t["Description"].get<std::string>().find("Orders \"EU\" \\ Zürich team"), std::string("CloudSketch plan \"").size());
    EXPECT_EQ(t["Resources"]["Pg1Primary"]["Properties"]["Tags"][0]["Value"], "Orders \"EU\" \\ Zürich team pg-1 primary");
}

TEST(Transform, PlanNamesInIamAndS3TagsKeepOnlyWhatThoseServicesAccept) {
    // IAM and S3 tag values: [\p{L}\p{Z}\p{N}_.:/=+\-@]* (API_Tag, API_control_S3Tag); EC2 takes any Unicode.
    plan::Plan p = plan::DefaultPlan("Bob's \"orders\" & co. (Caf\u00e9, \u65e5\u672c, \U0001F418) #1!");
    const json t = Render(p);
    EXPECT_EQ(t["Resources"]["Pg1InstanceRole"]["Properties"]["Tags"][0]["Value"], "Bobs orders co. Caf\u00e9 \u65e5\u672c 1 pg-1");
    EXPECT_EQ(t["Resources"]["Pg1BackupBucket"]["Properties"]["Tags"][0]["Value"], "Bobs orders co. Caf\u00e9 \u65e5\u672c 1 backups");
    EXPECT_EQ(t["Resources"]["Pg1Primary"]["Properties"]["Tags"][0]["Value"], p.name + " pg-1 primary");
}

TEST(Transform, APlanWithoutADatabaseRendersNothing) {
    plan::Plan p = plan::DefaultPlan();
    p.components.pop_back();
    const auto r = plan::Transform(p, plan::Target::AwsCloudFormation);
    EXPECT_TRUE(r.documents.empty());
    ASSERT_FALSE(r.diagnostics.empty());
    EXPECT_EQ(r.diagnostics.back().code, "transform.nothing_to_deploy");
}

}  // namespace
