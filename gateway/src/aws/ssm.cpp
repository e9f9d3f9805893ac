#include "aws/ssm.hpp"

namespace gw::aws::ssm {

Result<PutOutcome> PutSecureString(const CallContext& ctx, const std::string& name, const SecretString& value,
                                   bool overwrite, const std::string& description) {
    nlohmann::json body = {{"Name", name}, {"Value", std::string(value.View())}, {"Type", "SecureString"},
                           {"Overwrite", overwrite}};
    if (!description.empty()) body["Description"] = description;
    auto result = CallJson(ctx, ops::kPutParameter, "AmazonSSM", body);
    // nlohmann keeps its own copy of the value: wipe it too.
    auto& v = body["Value"].get_ref<std::string&>();
    Wipe(v.data(), v.size());
    if (!result) {
        if (!overwrite && result.error().code == "ParameterAlreadyExists") return PutOutcome::AlreadyExisted;
        return result.error();
    }
    return PutOutcome::Written;
}

Result<bool> DeleteParameter(const CallContext& ctx, const std::string& name) {
    auto result = CallJson(ctx, ops::kDeleteParameter, "AmazonSSM", {{"Name", name}});
    if (!result) {
        if (result.error().code == "ParameterNotFound") return false;
        return result.error();
    }
    return true;
}

Result<std::string> SendShellCommand(const CallContext& ctx, const std::vector<std::string>& instance_ids,
                                     const std::vector<std::string>& commands, const std::string& comment,
                                     int execution_timeout_seconds) {
    nlohmann::json body = {{"InstanceIds", instance_ids},
                           {"DocumentName", "AWS-RunShellScript"},
                           {"Parameters", {{"commands", commands},
                                           {"executionTimeout", {std::to_string(execution_timeout_seconds)}}}},
                           {"Comment", comment.substr(0, 100)}};
    auto result = CallJson(ctx, ops::kSendCommand, "AmazonSSM", body);
    if (!result) return result.error();
    const auto& command = result->value("Command", nlohmann::json::object());
    const std::string id = command.value("CommandId", "");
    if (id.empty()) return MakeError(kErrMalformedResponse, "SendCommand: no Command.CommandId in the answer");
    return id;
}

Result<std::optional<CommandInvocation>> GetCommandInvocation(const CallContext& ctx, const std::string& command_id,
                                                              const std::string& instance_id) {
    auto result = CallJson(ctx, ops::kGetCommandInvocation, "AmazonSSM",
                           {{"CommandId", command_id}, {"InstanceId", instance_id}});
    if (!result) {
        if (result.error().code == "InvocationDoesNotExist") return std::optional<CommandInvocation>();
        return result.error();
    }
    CommandInvocation out;
    out.status = result->value("Status", "");
    out.status_details = result->value("StatusDetails", "");
    out.response_code = result->value("ResponseCode", -1);
    out.standard_output = result->value("StandardOutputContent", "");
    out.standard_error = result->value("StandardErrorContent", "");
    return std::optional<CommandInvocation>(std::move(out));
}

}  // namespace gw::aws::ssm
