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

}  // namespace gw::aws::ssm
