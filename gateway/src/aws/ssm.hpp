#pragma once
// SSM (JSON 1.1 protocol, X-Amz-Target: AmazonSSM.<Action>): Parameter Store for the database passwords the
// instances read at first boot, and Run Command for on-demand backups.
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/
#include <optional>
#include <string>
#include <vector>

#include "aws/secret.hpp"
#include "aws/service_call.hpp"

namespace gw::aws::ssm {

enum class PutOutcome { Written, AlreadyExisted };

// Stores `value` as a SecureString (encrypted with the account's aws/ssm KMS key). With overwrite=false an
// existing parameter is left alone and AlreadyExisted is returned (ParameterAlreadyExists is not an error).
Result<PutOutcome> PutSecureString(const CallContext& ctx, const std::string& name, const SecretString& value,
                                   bool overwrite, const std::string& description = {});

// Deletes the parameter; false when it did not exist (ParameterNotFound), so deleting twice is fine.
Result<bool> DeleteParameter(const CallContext& ctx, const std::string& name);

// Runs `commands` (one shell line each) on the instances with the AWS-RunShellScript document; the
// CommandId. Instances SSM does not manage fail with InvalidInstanceId.
Result<std::string> SendShellCommand(const CallContext& ctx, const std::vector<std::string>& instance_ids,
                                     const std::vector<std::string>& commands, const std::string& comment,
                                     int execution_timeout_seconds);

struct CommandInvocation {
    std::string status;          // Pending, InProgress, Delayed, Success, Cancelled, TimedOut, Failed, Cancelling
    std::string status_details;
    int response_code = -1;      // the script's exit status once it ran
    std::string standard_output;  // the first 24,000 characters SSM keeps
    std::string standard_error;
};

// The command's state on one instance; nullopt right after SendCommand while SSM has not registered the
// invocation yet (InvocationDoesNotExist).
Result<std::optional<CommandInvocation>> GetCommandInvocation(const CallContext& ctx, const std::string& command_id,
                                                              const std::string& instance_id);

// The readers of SSM's answers, pure so that fuzz/fuzz_aws_json.cpp can feed them any JSON an endpoint sends.
// Neither throws: an answer of another shape (not an object, a field of the wrong type) reads as fields absent.
// SendCommand's answer -> Command.CommandId; "" when it has none.
std::string ReadCommandId(const nlohmann::json& answer);
// GetCommandInvocation's answer -> the invocation's fields (absent: "" and response_code -1).
CommandInvocation ReadCommandInvocation(const nlohmann::json& answer);

}  // namespace gw::aws::ssm
