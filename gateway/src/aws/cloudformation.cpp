#include "aws/cloudformation.hpp"

namespace gw::aws::cfn {
namespace {

std::string Get(const XmlDocument::Record& r, const std::string& key) {
    auto it = r.find(key);
    return it == r.end() ? std::string() : it->second;
}

void AddList(QueryParams& q, const std::string& name, const std::vector<std::string>& values) {
    for (std::size_t i = 0; i < values.size(); ++i) q.emplace_back(name + ".member." + std::to_string(i + 1), values[i]);
}

// TemplateBody or TemplateURL, refusing a body CloudFormation would refuse.
std::optional<AwsError> AddTemplate(QueryParams& q, const TemplateSource& t) {
    if (t.body.empty() == t.url.empty()) return MakeError(kErrInvalidArgument, "give a template body or a template URL");
    if (t.body.size() > kMaxTemplateBodyBytes) {
        return MakeError(kErrInvalidArgument, "the template is " + std::to_string(t.body.size()) +
                                                  " bytes; CloudFormation takes at most 51,200 bytes inline (use a TemplateURL)");
    }
    if (t.url.empty()) {
        q.emplace_back("TemplateBody", t.body);
    } else {
        q.emplace_back("TemplateURL", t.url);
    }
    return std::nullopt;
}

bool SaysDoesNotExist(const AwsError& e) {
    return e.code == "ValidationError" && e.message.find("does not exist") != std::string::npos;
}

}  // namespace

const std::string* Stack::Output(std::string_view key) const {
    for (const auto& [k, v] : outputs) {
        if (k == key) return &v;
    }
    return nullptr;
}

bool IsInProgress(std::string_view status) { return status.ends_with("_IN_PROGRESS"); }
bool IsFailedResourceStatus(std::string_view status) { return status.ends_with("_FAILED"); }

Result<std::vector<TemplateParameter>> ValidateTemplate(const CallContext& ctx, const TemplateSource& source) {
    QueryParams q;
    if (auto bad = AddTemplate(q, source)) return *bad;
    auto doc = CallQuery(ctx, ops::kValidateTemplate, kApiVersion, q);
    if (!doc) return doc.error();
    std::vector<TemplateParameter> out;
    for (const auto& r : doc->FindAll({"ValidateTemplateResult", "Parameters", "member"})) {
        out.push_back({Get(r, "ParameterKey"), r.contains("DefaultValue")});
    }
    return out;
}

Result<CreatedChangeSet> CreateChangeSet(const CallContext& ctx, const CreateChangeSetParams& p) {
    QueryParams q = {{"StackName", p.stack_name},
                     {"ChangeSetName", p.change_set_name},
                     {"ChangeSetType", p.change_set_type}};
    if (auto bad = AddTemplate(q, p.template_source)) return *bad;
    for (std::size_t i = 0; i < p.parameters.size(); ++i) {
        const std::string prefix = "Parameters.member." + std::to_string(i + 1);
        q.emplace_back(prefix + ".ParameterKey", p.parameters[i].first);
        q.emplace_back(prefix + ".ParameterValue", p.parameters[i].second);
    }
    AddList(q, "Capabilities", p.capabilities);
    if (!p.role_arn.empty()) q.emplace_back("RoleARN", p.role_arn);
    if (!p.description.empty()) q.emplace_back("Description", p.description);
    auto doc = CallQuery(ctx, ops::kCreateChangeSet, kApiVersion, q);
    if (!doc) return doc.error();
    CreatedChangeSet out{doc->FindText({"CreateChangeSetResult", "Id"}).value_or(""),
                         doc->FindText({"CreateChangeSetResult", "StackId"}).value_or("")};
    if (out.id.empty()) return MakeError(kErrMalformedResponse, "CreateChangeSet: the response has no <Id>");
    return out;
}

Result<std::optional<ChangeSet>> DescribeChangeSet(const CallContext& ctx, const std::string& change_set,
                                                   const std::string& stack_name) {
    ChangeSet out;
    std::string token;
    for (int page = 0; page < 100; ++page) {
        QueryParams q = {{"ChangeSetName", change_set}};
        if (!stack_name.empty()) q.emplace_back("StackName", stack_name);
        if (!token.empty()) q.emplace_back("NextToken", token);
        auto doc = CallQuery(ctx, ops::kDescribeChangeSet, kApiVersion, q);
        if (!doc) {
            if (doc.error().code == "ChangeSetNotFound" || SaysDoesNotExist(doc.error())) return std::optional<ChangeSet>();
            return doc.error();
        }
        auto text = [&](std::string_view name) { return doc->FindText({"DescribeChangeSetResult", name}).value_or(""); };
        out.id = text("ChangeSetId");
        out.stack_id = text("StackId");
        out.status = text("Status");
        out.execution_status = text("ExecutionStatus");
        out.status_reason = text("StatusReason");
        for (const auto& r : doc->FindAll({"DescribeChangeSetResult", "Changes", "member"})) {
            out.changes.push_back({Get(r, "ResourceChange.Action"), Get(r, "ResourceChange.LogicalResourceId"),
                                   Get(r, "ResourceChange.ResourceType"), Get(r, "ResourceChange.Replacement")});
        }
        token = text("NextToken");
        if (token.empty()) break;
    }
    return std::optional<ChangeSet>(std::move(out));
}

Result<Done> ExecuteChangeSet(const CallContext& ctx, const std::string& change_set, const std::string& stack_name) {
    QueryParams q = {{"ChangeSetName", change_set}};
    if (!stack_name.empty()) q.emplace_back("StackName", stack_name);
    auto doc = CallQuery(ctx, ops::kExecuteChangeSet, kApiVersion, q);
    if (!doc) return doc.error();
    return Done{};
}

Result<std::optional<Stack>> DescribeStack(const CallContext& ctx, const std::string& stack) {
    auto doc = CallQuery(ctx, ops::kDescribeStacks, kApiVersion, {{"StackName", stack}});
    if (!doc) {
        if (SaysDoesNotExist(doc.error())) return std::optional<Stack>();
        return doc.error();
    }
    auto members = doc->FindAll({"DescribeStacksResult", "Stacks", "member"});
    if (members.empty()) return std::optional<Stack>();
    const auto& r = members.front();
    Stack s{Get(r, "StackId"), Get(r, "StackName"), Get(r, "StackStatus"), Get(r, "StackStatusReason"), {}};
    for (const auto& o : doc->FindAll({"Stacks", "member", "Outputs", "member"})) {
        s.outputs.emplace_back(Get(o, "OutputKey"), Get(o, "OutputValue"));
    }
    return std::optional<Stack>(std::move(s));
}

Result<std::vector<StackEvent>> DescribeStackEvents(const CallContext& ctx, const std::string& stack,
                                                    const std::string& stop_at_event_id, int max_pages) {
    std::vector<StackEvent> out;
    std::string token;
    for (int page = 0; page < max_pages; ++page) {
        QueryParams q = {{"StackName", stack}};
        if (!token.empty()) q.emplace_back("NextToken", token);
        auto doc = CallQuery(ctx, ops::kDescribeStackEvents, kApiVersion, q);
        if (!doc) return doc.error();
        for (const auto& r : doc->FindAll({"DescribeStackEventsResult", "StackEvents", "member"})) {
            if (!stop_at_event_id.empty() && Get(r, "EventId") == stop_at_event_id) return out;
            out.push_back({Get(r, "EventId"), Get(r, "LogicalResourceId"), Get(r, "PhysicalResourceId"),
                           Get(r, "ResourceType"), Get(r, "Timestamp"), Get(r, "ResourceStatus"),
                           Get(r, "ResourceStatusReason")});
        }
        token = doc->FindText({"DescribeStackEventsResult", "NextToken"}).value_or("");
        if (token.empty()) break;
    }
    return out;
}

Result<Done> DeleteStack(const CallContext& ctx, const std::string& stack) {
    auto doc = CallQuery(ctx, ops::kDeleteStack, kApiVersion, {{"StackName", stack}});
    if (!doc) return doc.error();
    return Done{};
}

Result<std::string> DetectStackDrift(const CallContext& ctx, const std::string& stack) {
    auto doc = CallQuery(ctx, ops::kDetectStackDrift, kApiVersion, {{"StackName", stack}});
    if (!doc) return doc.error();
    auto id = doc->FindText({"DetectStackDriftResult", "StackDriftDetectionId"});
    if (!id || id->empty()) return MakeError(kErrMalformedResponse, "DetectStackDrift: no StackDriftDetectionId");
    return *id;
}

Result<DriftStatus> DescribeStackDriftDetectionStatus(const CallContext& ctx, const std::string& detection_id) {
    auto doc = CallQuery(ctx, ops::kDescribeStackDriftDetectionStatus, kApiVersion,
                         {{"StackDriftDetectionId", detection_id}});
    if (!doc) return doc.error();
    auto text = [&](std::string_view name) {
        return doc->FindText({"DescribeStackDriftDetectionStatusResult", name}).value_or("");
    };
    DriftStatus s{text("DetectionStatus"), text("StackDriftStatus"), text("DetectionStatusReason"), 0};
    const std::string n = text("DriftedStackResourceCount");
    if (!n.empty()) s.drifted_resources = std::atoi(n.c_str());
    return s;
}

}  // namespace gw::aws::cfn
