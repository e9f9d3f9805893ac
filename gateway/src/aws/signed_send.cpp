#include "aws/signed_send.hpp"

namespace gw::aws {

Result<HttpResponse> SendSigned(HttpClient& http, const HttpRequest& request, const Credentials& credentials,
                                const std::string& service, const std::string& region, const TimeSource& now) {
    return http.Send([&]() { return SignRequest(request, credentials, DefaultSigningConfig(service, region, now())); });
}

}  // namespace gw::aws
