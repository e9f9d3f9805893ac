#pragma once
// The transformer: a plan in, the cloud's own deployable document out. Pure and deterministic (no
// I/O, clock or randomness), so the browser's preview and the gateway's deployment are the same bytes.
// Secrets never appear in a document: the database passwords live in the cloud's secret store and
// the VM reads them at boot by the names below.
#include <string>
#include <vector>

#include "plan/diagnostic.hpp"
#include "plan/plan.hpp"

namespace plan {

// What Transform renders: an AWS CloudFormation template, an Azure Resource Manager template, or a
// Terraform JSON configuration (.tf.json) for Google Cloud. The plan's cloud.provider must match.
enum class Target { AwsCloudFormation, AzureArm, GcpTerraform };

struct Document {
    std::string filename;    // e.g. "orders-db.cloudformation.json"
    std::string media_type;  // e.g. "application/json"
    std::string text;        // the document, ending in a newline
};

struct TransformResult {
    std::vector<Document> documents;  // empty when `diagnostics` has an error
    Diagnostics diagnostics;          // validation, catalogue and target-specific problems
};

// Validates `plan` (Validate + catalogue rules) and, when it has no errors, renders it for `target`.
TransformResult Transform(const Plan& plan, Target target);

// The names the deployment and the document agree on. `component` is a postgres component of `plan`.
std::string StackName(const Plan& plan);                                      // "cloudsketch-<id>-<env>"
std::string PasswordParameterName(const Plan& plan, const Component& component);  // SSM SecureString, "/cloudsketch/<plan>/<env>/<component>/app-password"
std::string ReplicationPasswordParameterName(const Plan& plan, const Component& component);
// Azure Key Vault / GCP Secret Manager names allow only letters, digits and '-' (GCP also '_'):
// "cloudsketch-<plan>-<env>-<component>-app-password" and "...-replication-password".
std::string PasswordSecretName(const Plan& plan, const Component& component);
std::string ReplicationPasswordSecretName(const Plan& plan, const Component& component);

// A CloudFormation logical id from a component id: "pg-main" -> "PgMain" (letters and digits only).
std::string LogicalId(std::string_view component_id);

}  // namespace plan
