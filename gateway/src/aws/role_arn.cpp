#include "aws/role_arn.hpp"

#include <array>

namespace gw::aws {

namespace {

constexpr std::string_view kExample = "arn:aws:iam::123456789012:role/cloudsketch-deployer";
constexpr std::string_view kWhereToCopy = "copy RoleArn from the Outputs of the stack the quick-create link made";

AwsError Bad(std::string what) {
    return MakeError(kErrInvalidArgument, "role_arn " + what + "; it must look like " + std::string(kExample) + " (" +
                                              std::string(kWhereToCopy) + ").");
}

// IAM's RoleName characters: [\w+=,.@-] (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html).
bool IsRoleNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '=' ||
           c == ',' || c == '.' || c == '@' || c == '_' || c == '-';
}

// Shows a character in a message: printable ASCII as itself, anything else as its byte value.
std::string Shown(char c) {
    const auto u = static_cast<unsigned char>(c);
    if (u > 0x20 && u < 0x7f) return std::string("'") + c + "'";
    constexpr char kHex[] = "0123456789ABCDEF";
    return std::string("byte 0x") + kHex[u >> 4] + kHex[u & 0xf];
}

// Removes `prefix` from the front of `s`; false when `s` does not start with it.
bool Consume(std::string_view& s, std::string_view prefix) {
    if (!s.starts_with(prefix)) return false;
    s.remove_prefix(prefix.size());
    return true;
}

}  // namespace

Result<RoleArn> ParseRoleArn(std::string_view arn) {
    if (arn.size() > kRoleArnMaxLength) {
        return Bad("is " + std::to_string(arn.size()) + " characters long, and an IAM role ARN has at most " +
                   std::to_string(kRoleArnMaxLength));
    }
    RoleArn out;
    std::string_view rest = arn;
    if (!Consume(rest, "arn:")) return Bad("does not start with arn:");
    // The partitions IAM roles live in (aws-iso* partitions have no public STS the gateway can reach).
    constexpr std::array<std::string_view, 3> kPartitions = {"aws-us-gov:", "aws-cn:", "aws:"};
    for (const std::string_view p : kPartitions) {
        if (Consume(rest, p)) {
            out.partition = std::string(p.substr(0, p.size() - 1));
            break;
        }
    }
    if (out.partition.empty()) return Bad("has no AWS partition after arn: (aws, aws-cn or aws-us-gov)");
    if (!Consume(rest, "iam::")) return Bad("is not an IAM ARN (it must continue with iam:: after the partition)");
    std::size_t digits = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
    if (digits != 12 || digits >= rest.size() || rest[digits] != ':') {
        return Bad("has no 12-digit account id after iam:: (your AWS account id, 12 digits, then a colon)");
    }
    out.account_id = std::string(rest.substr(0, 12));
    rest.remove_prefix(13);
    if (!Consume(rest, "role/")) return Bad("does not name a role (role/ after the account id)");

    // rest is [path-segment/]*name; the path IAM reports is "/" plus those segments.
    const std::size_t last_slash = rest.rfind('/');
    const std::string_view segments = last_slash == std::string_view::npos ? std::string_view() : rest.substr(0, last_slash + 1);
    const std::string_view name = last_slash == std::string_view::npos ? rest : rest.substr(last_slash + 1);
    if (1 + segments.size() > kRolePathMaxLength) {
        return Bad("has a path of " + std::to_string(1 + segments.size()) + " characters, and IAM allows at most " +
                   std::to_string(kRolePathMaxLength));
    }
    char previous = '/';
    for (const char c : segments) {
        if (c == '/' && previous == '/') return Bad("has an empty path segment (//)");
        if (c != '/' && !IsRoleNameChar(c)) {
            return Bad("has " + Shown(c) + " in its path, where IAM allows letters, digits and +=,.@_-");
        }
        previous = c;
    }
    if (name.empty()) return Bad("ends without a role name after role/");
    if (name.size() > kRoleNameMaxLength) {
        return Bad("names a role of " + std::to_string(name.size()) + " characters, and IAM allows at most " +
                   std::to_string(kRoleNameMaxLength));
    }
    for (const char c : name) {
        if (!IsRoleNameChar(c)) {
            return Bad("has " + Shown(c) + " in the role name, where IAM allows letters, digits and +=,.@_-");
        }
    }
    out.path = "/" + std::string(segments);
    out.name = std::string(name);
    return out;
}

}  // namespace gw::aws
