#pragma once
// SSM Parameter Store (JSON 1.1 protocol, X-Amz-Target: AmazonSSM.<Action>): the database passwords the
// instances read at first boot. https://docs.aws.amazon.com/systems-manager/latest/APIReference/
#include <string>

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

}  // namespace gw::aws::ssm
