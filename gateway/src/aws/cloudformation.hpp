#pragma once
// CloudFormation, the typed calls a deployment makes (query protocol, API version 2010-05-15).
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aws/service_call.hpp"

namespace gw::aws::cfn {

inline constexpr std::string_view kApiVersion = "2010-05-15";
// Inline template bodies are limited to this many bytes; larger ones must be uploaded to S3 (TemplateURL).
inline constexpr std::size_t kMaxTemplateBodyBytes = 51200;

struct Stack {
    std::string id;       // arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>
    std::string name;
    std::string status;   // CREATE_IN_PROGRESS, CREATE_COMPLETE, ROLLBACK_COMPLETE, UPDATE_ROLLBACK_COMPLETE, ...
    std::string status_reason;
    std::vector<std::pair<std::string, std::string>> outputs;  // OutputKey, OutputValue

    const std::string* Output(std::string_view key) const;
};

struct StackEvent {
    std::string id;
    std::string logical_id;
    std::string physical_id;
    std::string resource_type;
    std::string timestamp;
    std::string status;   // CREATE_IN_PROGRESS, CREATE_FAILED, ...
    std::string reason;   // ResourceStatusReason, often empty
};

struct ResourceChange {
    std::string action;        // Add, Modify, Remove, Import, Dynamic
    std::string logical_id;
    std::string resource_type;
    std::string replacement;   // True, False, Conditional (Modify only)
};

struct ChangeSet {
    std::string id;
    std::string stack_id;
    std::string status;            // CREATE_PENDING, CREATE_IN_PROGRESS, CREATE_COMPLETE, FAILED, ...
    std::string execution_status;  // UNAVAILABLE, AVAILABLE, EXECUTE_IN_PROGRESS, EXECUTE_COMPLETE, ...
    std::string status_reason;
    std::vector<ResourceChange> changes;  // every page
};

// Where CloudFormation reads a template from: inline (at most kMaxTemplateBodyBytes) or an S3 URL
// (s3::ObjectUrl; CloudFormation fetches it with the caller's credentials). Exactly one is set.
struct TemplateSource {
    std::string body;
    std::string url;
};

struct CreateChangeSetParams {
    std::string stack_name;
    std::string change_set_name;   // [a-zA-Z][-a-zA-Z0-9]*, at most 128
    std::string change_set_type;   // CREATE or UPDATE
    TemplateSource template_source;
    std::vector<std::pair<std::string, std::string>> parameters;  // ParameterKey, ParameterValue
    std::vector<std::string> capabilities;                       // CAPABILITY_IAM, ...
    std::string role_arn;          // CloudFormation service role; empty: the caller's own permissions
    std::string description;
};

struct CreatedChangeSet {
    std::string id;
    std::string stack_id;
};

struct TemplateParameter {
    std::string key;
    bool has_default = false;
};

struct Done {};

// Parameters the template declares (ValidateTemplate), or the validation error CloudFormation gives.
Result<std::vector<TemplateParameter>> ValidateTemplate(const CallContext& ctx, const TemplateSource& source);
Result<CreatedChangeSet> CreateChangeSet(const CallContext& ctx, const CreateChangeSetParams& params);
// nullopt when CloudFormation has no such change set (ChangeSetNotFound) or no such stack.
Result<std::optional<ChangeSet>> DescribeChangeSet(const CallContext& ctx, const std::string& change_set,
                                                   const std::string& stack_name);
Result<Done> ExecuteChangeSet(const CallContext& ctx, const std::string& change_set, const std::string& stack_name);
// nullopt when the stack does not exist ("Stack with id X does not exist"). A stack id also finds deleted stacks.
Result<std::optional<Stack>> DescribeStack(const CallContext& ctx, const std::string& stack_name_or_id);
// Events newest first, following NextToken (at most max_pages pages), stopping at (and without)
// `stop_at_event_id` when it is met.
Result<std::vector<StackEvent>> DescribeStackEvents(const CallContext& ctx, const std::string& stack,
                                                    const std::string& stop_at_event_id = {}, int max_pages = 100);
Result<Done> DeleteStack(const CallContext& ctx, const std::string& stack);
// Starts drift detection; returns the StackDriftDetectionId.
Result<std::string> DetectStackDrift(const CallContext& ctx, const std::string& stack);
struct DriftStatus {
    std::string detection_status;  // DETECTION_IN_PROGRESS, DETECTION_COMPLETE, DETECTION_FAILED
    std::string drift_status;      // DRIFTED, IN_SYNC, UNKNOWN, NOT_CHECKED
    std::string reason;
    int drifted_resources = 0;
};
Result<DriftStatus> DescribeStackDriftDetectionStatus(const CallContext& ctx, const std::string& detection_id);

// Status families.
bool IsInProgress(std::string_view status);          // ..._IN_PROGRESS
bool IsFailedResourceStatus(std::string_view status);  // CREATE_FAILED, UPDATE_FAILED, DELETE_FAILED, ...

}  // namespace gw::aws::cfn
