#include "aws/ssm.hpp"

#include <cstdint>

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
    const std::string id = ReadCommandId(*result);
    if (id.empty()) return MakeError(kErrMalformedResponse, "SendCommand: no Command.CommandId in the answer");
    return id;
}

namespace {

// nlohmann's value(key, default) throws type_error when the answer is not an object or the field has another
// type (an answer "22", or {"Status": 5}): an endpoint's mistake must read as a missing field, not an exception
// out of the deploy worker (found by fuzz/fuzz_aws_json.cpp).
std::string StringField(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int IntField(const nlohmann::json& object, const char* key, int fallback) {
    if (!object.is_object()) return fallback;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number_integer()) return fallback;
    const std::int64_t value = it->get<std::int64_t>();
    const bool fits = it->is_number_unsigned() ? it->get<std::uint64_t>() <= std::uint64_t(INT32_MAX)
                                               : value >= INT32_MIN && value <= INT32_MAX;
    return fits ? static_cast<int>(value) : fallback;
}

}  // namespace

std::string ReadCommandId(const nlohmann::json& answer) {
    if (!answer.is_object()) return {};
    const auto command = answer.find("Command");
    return command == answer.end() ? std::string() : StringField(*command, "CommandId");
}

CommandInvocation ReadCommandInvocation(const nlohmann::json& answer) {
    CommandInvocation out;
    out.status = StringField(answer, "Status");
    out.status_details = StringField(answer, "StatusDetails");
    out.response_code = IntField(answer, "ResponseCode", -1);
    out.standard_output = StringField(answer, "StandardOutputContent");
    out.standard_error = StringField(answer, "StandardErrorContent");
    return out;
}

Result<std::optional<CommandInvocation>> GetCommandInvocation(const CallContext& ctx, const std::string& command_id,
                                                              const std::string& instance_id) {
    auto result = CallJson(ctx, ops::kGetCommandInvocation, "AmazonSSM",
                           {{"CommandId", command_id}, {"InstanceId", instance_id}});
    if (!result) {
        if (result.error().code == "InvocationDoesNotExist") return std::optional<CommandInvocation>();
        return result.error();
    }
    return std::optional<CommandInvocation>(ReadCommandInvocation(*result));
}

}  // namespace gw::aws::ssm
