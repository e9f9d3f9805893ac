#include "aws/policy.hpp"

#include <vector>

#include "aws/operations.hpp"

namespace gw::aws {
namespace {

using nlohmann::ordered_json;

// Where each action may act: a statement per scope, in this order. An action of the table that no scope
// names is left out of the policy and reported by UnscopedActions() (a test fails on it).
struct Scope {
    std::string_view sid;
    std::vector<std::string_view> actions;
    std::vector<std::string_view> resources;
    const char* condition_json;  // nullptr: none
};

const std::vector<Scope>& Scopes() {
    static const std::vector<Scope> scopes = {
        {"StacksNamedCloudsketch",
         {"cloudformation:CreateChangeSet", "cloudformation:DescribeChangeSet", "cloudformation:ExecuteChangeSet",
          "cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents", "cloudformation:DeleteStack",
          "cloudformation:DetectStackDrift"},
         {"arn:aws:cloudformation:*:*:stack/cloudsketch-*/*", "arn:aws:cloudformation:*:*:changeSet/cloudsketch-*/*"},
         nullptr},
        // AWS offers no resource-level permission for these.
        {"NoResourceLevelPermissions",
         {"cloudformation:ValidateTemplate", "cloudformation:DescribeStackDriftDetectionStatus",
          "ec2:DescribeInstanceStatus", "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ssm:GetCommandInvocation"},
         {"*"},
         nullptr},
        {"PasswordParameters", {"ssm:PutParameter", "ssm:DeleteParameter"}, {"arn:aws:ssm:*:*:parameter/cloudsketch/*"}, nullptr},
        // CreateChangeSet resolves the templates' AWS::SSM::Parameter::Value<AWS::EC2::Image::Id> defaults
        // (public parameters under /aws/service/, no account in their ARN) with the caller's credentials.
        {"PublicImageParameters", {"ssm:GetParameters"}, {"arn:aws:ssm:*::parameter/aws/service/*"}, nullptr},
        // On-demand backups: run the backup script the first-boot script installed, only on CloudSketch's
        // own servers (CloudFormation tags instances with their stack's name) and only through
        // AWS-RunShellScript. Two statements: the tag condition would never match the document.
        {"RunBackupOnOwnServers", {"ssm:SendCommand"}, {"arn:aws:ec2:*:*:instance/*"},
         R"({"StringLike": {"ssm:resourceTag/aws:cloudformation:stack-name": "cloudsketch-*"}})"},
        {"WithTheShellScriptDocument", {"ssm:SendCommand"}, {"arn:aws:ssm:*::document/AWS-RunShellScript"}, nullptr},
        {"StagedTemplates", {"s3:PutObject", "s3:GetObject", "s3:DeleteObject"}, {"arn:aws:s3:::cloudsketch-templates-*/*"}, nullptr},
        {"TemplateBucket", {"s3:CreateBucket", "s3:PutLifecycleConfiguration"}, {"arn:aws:s3:::cloudsketch-templates-*"},
         nullptr},
        {"PassTheStackServiceRole", {"iam:PassRole"}, {"arn:aws:iam::*:role/cloudsketch-cfn-*"},
         R"({"StringEquals": {"iam:PassedToService": "cloudformation.amazonaws.com"}})"},
    };
    return scopes;
}

// Every IAM action the deploy role needs: the table's and the implied ones, minus what the gateway itself
// does with its own principal (assuming the role).
std::vector<std::string_view> DeployRoleActions() {
    std::vector<std::string_view> out;
    for (const auto& op : AllOperations()) {
        if (op.iam_action != ops::kAssumeRole.iam_action) out.push_back(op.iam_action);
    }
    for (auto a : ImpliedIamActions()) out.push_back(a);
    return out;
}

bool Contains(const std::vector<std::string_view>& list, std::string_view item) {
    for (auto x : list) {
        if (x == item) return true;
    }
    return false;
}

ordered_json OneOrList(const std::vector<std::string_view>& items) {
    if (items.size() == 1) return std::string(items.front());
    ordered_json out = ordered_json::array();
    for (auto i : items) out.push_back(std::string(i));
    return out;
}

}  // namespace

ordered_json GatewayPolicy() {
    return {{"Version", "2012-10-17"},
            {"Statement",
             {{{"Sid", "AssumeUserDeployRoles"},
               {"Effect", "Allow"},
               {"Action", std::string(ops::kAssumeRole.iam_action)},
               {"Resource", "arn:aws:iam::*:role/" + std::string(kDeployRoleName) + "*"}}}}};
}

ordered_json DeployRolePolicy() {
    const auto needed = DeployRoleActions();
    ordered_json statements = ordered_json::array();
    for (const Scope& scope : Scopes()) {
        std::vector<std::string_view> actions;
        for (auto a : scope.actions) {
            if (Contains(needed, a)) actions.push_back(a);  // only what the table calls
        }
        if (actions.empty()) continue;
        ordered_json st = {{"Sid", std::string(scope.sid)}, {"Effect", "Allow"}, {"Action", OneOrList(actions)},
                           {"Resource", OneOrList(scope.resources)}};
        if (scope.condition_json != nullptr) st["Condition"] = ordered_json::parse(scope.condition_json);
        statements.push_back(std::move(st));
    }
    return {{"Version", "2012-10-17"}, {"Statement", statements}};
}

std::string UnscopedActions() {
    std::string out;
    for (auto a : DeployRoleActions()) {
        bool found = false;
        for (const Scope& scope : Scopes()) found = found || Contains(scope.actions, a);
        if (!found) out += (out.empty() ? "" : ", ") + std::string(a);
    }
    return out;
}

ordered_json DeployRoleTemplate() {
    ordered_json trust = {
        {"Version", "2012-10-17"},
        {"Statement",
         {{{"Effect", "Allow"},
           {"Principal", {{"AWS", {{"Ref", "GatewayPrincipal"}}}}},
           {"Action", "sts:AssumeRole"},
           {"Condition", {{"StringEquals", {{"sts:ExternalId", {{"Ref", "ExternalId"}}}}}}}}}}};
    ordered_json t;
    t["AWSTemplateFormatVersion"] = "2010-09-09";
    t["Description"] =
        "CloudSketch deploy role: lets the CloudSketch gateway deploy PostgreSQL stacks named cloudsketch-* in this "
        "account, with the least privilege it needs (docs/aws.md), and only with your CloudSketch ExternalId.";
    t["Parameters"] = {
        {"GatewayPrincipal",
         {{"Type", "String"},
          {"Description", "The CloudSketch gateway's AWS principal (shown in CloudSketch under AWS account)."},
          {"AllowedPattern", "arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:[A-Za-z0-9+=,.@_/:-]+"}}},
        {"ExternalId",
         {{"Type", "String"},
          {"Description", "Your CloudSketch ExternalId (shown in CloudSketch under AWS account)."},
          {"MinLength", 2},
          {"MaxLength", 1224},
          {"AllowedPattern", "[A-Za-z0-9+=,.@:/_-]+"}}},
        {"RoleName",
         {{"Type", "String"},
          {"Default", std::string(kDeployRoleName)},
          {"Description", "The role's name; the gateway may only assume roles named cloudsketch-deployer*."},
          {"AllowedPattern", std::string(kDeployRoleName) + "[A-Za-z0-9+=,.@_-]*"},
          {"MaxLength", 64}}}};
    t["Resources"] = {
        {"DeployRole",
         {{"Type", "AWS::IAM::Role"},
          {"Properties",
           {{"RoleName", {{"Ref", "RoleName"}}},
            {"Description", "Assumed by CloudSketch to deploy your PostgreSQL plans"},
            {"MaxSessionDuration", 3600},
            {"AssumeRolePolicyDocument", trust},
            {"Policies", {{{"PolicyName", "cloudsketch-deploy"}, {"PolicyDocument", DeployRolePolicy()}}}}}}}}};
    t["Outputs"] = {{"RoleArn",
                     {{"Description", "Paste this into CloudSketch (AWS account, role ARN)"},
                      {"Value", {{"Fn::GetAtt", {"DeployRole", "Arn"}}}}}}};
    return t;
}

}  // namespace gw::aws
