#pragma once
// An IAM role ARN, parsed by hand: arn:<partition>:iam::<12-digit account>:role<path><name>. Users paste it
// into PUT /v1/account/aws, so the parser is linear in the input and checks the length before anything else
// (a std::regex here once overflowed the thread's stack on a 40,000-character ARN and killed the gateway).
#include <cstddef>
#include <string>
#include <string_view>

#include "aws/result.hpp"

namespace gw::aws {

// IAM's limits (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html): Arn 20-2048 characters,
// Path 1-512 ("/" or "/.../"), RoleName 1-64 of [A-Za-z0-9+=,.@_-].
inline constexpr std::size_t kRoleArnMaxLength = 2048;
inline constexpr std::size_t kRolePathMaxLength = 512;
inline constexpr std::size_t kRoleNameMaxLength = 64;

struct RoleArn {
    std::string partition;   // aws, aws-cn or aws-us-gov
    std::string account_id;  // 12 digits
    std::string path;        // "/" when the role has none, else "/a/b/"
    std::string name;        // the role's name, 1-64 characters
};

// Parses `arn`; an InvalidArgument error whose message says what is wrong and how to fix it, in words a user
// who pasted the ARN understands. Path segments take the role-name characters (stricter than IAM's printable
// ASCII, as the role template creates the role without a path). Never reads past kRoleArnMaxLength characters.
Result<RoleArn> ParseRoleArn(std::string_view arn);

}  // namespace gw::aws
