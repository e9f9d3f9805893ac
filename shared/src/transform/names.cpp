#include <cctype>

#include "plan/transform.hpp"

namespace plan {
namespace {

// "/cloudsketch/<plan>/<environment>/<component>": the instance role may read exactly what is under it.
std::string SecretPrefix(const Plan& plan, const Component& component) {
    return "/cloudsketch/" + (plan.id.empty() ? std::string("unsaved") : plan.id) + "/" +
           std::string(ToString(plan.environment)) + "/" + component.id;
}

}  // namespace

std::string LogicalId(std::string_view component_id) {
    std::string out;
    bool upper = true;
    for (char c : component_id) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
            upper = false;
        } else {
            upper = true;
        }
    }
    if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "C" + out;
    return out;
}

std::string StackName(const Plan& plan) {
    // Stack names allow [A-Za-z0-9-]; plan ids are "p_" + base32, so map '_' to '-'.
    std::string id = plan.id.empty() ? "unsaved" : plan.id;
    for (char& c : id) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '-';
    }
    return "cloudsketch-" + id + "-" + std::string(ToString(plan.environment));
}

std::string PasswordParameterName(const Plan& plan, const Component& component) {
    return SecretPrefix(plan, component) + "/app-password";
}

std::string ReplicationPasswordParameterName(const Plan& plan, const Component& component) {
    return SecretPrefix(plan, component) + "/replication-password";
}

}  // namespace plan
