#include "gateway_client.hpp"

#include <cctype>
#include <utility>

#include "json_fields.hpp"

namespace ui {
namespace {

using nlohmann::json;

StatusLight ReadStatus(const json& object) {
    StatusLight status;
    auto it = object.find("status");
    if (it != object.end() && it->is_object()) {
        if (auto light = Str(*it, "light"); !light.empty()) status.light = light;
        status.reason = Str(*it, "reason");
        status.last_deployed_at = Str(*it, "last_deployed_at");
        status.step = Str(*it, "step");
        status.progress = Num(*it, "progress");
        status.deployment_id = Str(*it, "deployment_id");
        status.checked_at = Str(*it, "checked_at");
        if (auto checks = it->find("checks"); checks != it->end() && checks->is_object()) status.checks = *checks;
    }
    return status;
}

ApiError ErrorFrom(const platform::HttpResponse& response) {
    ApiError error;
    error.status = response.status;
    if (response.status == 0) {
        error.code = "client.network";
        error.message = "Could not reach CloudSketch. Check your connection and try again.";
        return error;
    }
    const json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_object() && body.contains("error") && body["error"].is_object()) {
        const json& envelope = body["error"];
        error.code = Str(envelope, "code");
        error.message = Str(envelope, "message");
        if (auto details = envelope.find("details"); details != envelope.end() && details->is_array()) {
            for (const json& detail : *details) {
                if (!detail.is_object()) continue;
                error.details.push_back({Str(detail, "path"), Str(detail, "code"), Str(detail, "message")});
            }
        }
    }
    if (error.code.empty()) error.code = "client.bad_response";
    if (error.message.empty()) error.message = "The server answered " + std::to_string(response.status) + ".";
    return error;
}

template <class T>
ApiResult<T> Failure(ApiError error) {
    ApiResult<T> result;
    result.error = std::move(error);
    return result;
}

// Parses a 2xx body with `read`; any shape problem becomes "client.bad_response" instead of a throw.
template <class T, class Read>
ApiResult<T> Decode(const platform::HttpResponse& response, Read read) {
    if (response.status < 200 || response.status >= 300) return Failure<T>(ErrorFrom(response));
    const json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded() || !body.is_object()) {
        return Failure<T>({response.status, "client.bad_response", "The server's answer was not readable.", {}});
    }
    ApiResult<T> result;
    result.value = read(body);
    return result;
}

Session ReadSession(const json& body) {
    Session session;
    session.token = Str(body, "token");
    if (auto user = body.find("user"); user != body.end() && user->is_object()) session.email = Str(*user, "email");
    session.device_token = Str(body, "device_token");
    return session;
}

PlanResource ReadPlan(const json& body) {
    PlanResource plan;
    plan.id = Str(body, "id");
    plan.revision = Int(body, "revision");
    plan.created_at = Str(body, "created_at");
    plan.updated_at = Str(body, "updated_at");
    plan.status = ReadStatus(body);
    if (auto document = body.find("plan"); document != body.end() && document->is_object()) plan.document = *document;
    return plan;
}

// One D object; "error" may be null, a string or an object with a message.
Deployment ReadDeploymentObject(const json& d) {
    Deployment deployment;
    if (!d.is_object()) return deployment;
    deployment.id = Str(d, "id");
    deployment.kind = Str(d, "kind");
    deployment.revision = Int(d, "revision");
    deployment.state = Str(d, "state");
    deployment.step = Str(d, "step");
    deployment.progress = Num(d, "progress");
    deployment.created_at = Str(d, "created_at");
    deployment.finished_at = Str(d, "finished_at");
    if (auto e = d.find("error"); e != d.end()) {
        if (e->is_string()) deployment.error = e->get<std::string>();
        if (e->is_object()) deployment.error = Str(*e, "message");
    }
    if (auto steps = d.find("steps"); steps != d.end() && steps->is_array()) {
        for (const json& s : *steps) {
            if (!s.is_object()) continue;
            deployment.steps.push_back({Str(s, "name"), Str(s, "state"), Str(s, "started_at"), Str(s, "finished_at"),
                                        static_cast<int>(Int(s, "runs"))});
        }
    }
    if (auto events = d.find("events"); events != d.end() && events->is_array()) {
        for (const json& e : *events) {
            if (e.is_object()) deployment.events.push_back({Str(e, "at"), Str(e, "level"), Str(e, "message")});
        }
    }
    return deployment;
}

AwsAccountInfo ReadAwsAccount(const json& body) {
    return {Str(body, "external_id"), Str(body, "role_arn"), Str(body, "gateway_principal"),
            Str(body, "quick_create_url"), Str(body, "quick_create_unavailable"), Str(body, "template_path")};
}

// {"deployment": D}
Deployment ReadDeployment(const json& body) {
    auto it = body.find("deployment");
    return it == body.end() ? Deployment{} : ReadDeploymentObject(*it);
}

ConnectionDetails ReadConnection(const json& body) {
    ConnectionDetails details;
    details.database = Str(body, "database");
    details.user = Str(body, "user");
    if (auto endpoints = body.find("endpoints"); endpoints != body.end() && endpoints->is_array()) {
        for (const json& e : *endpoints) {
            if (e.is_object()) details.endpoints.push_back({Str(e, "role"), Str(e, "host"), static_cast<int>(Int(e, "port"))});
        }
    }
    return details;
}

// Plan ids are server-made ("p_…"), but a path segment is encoded anyway so an odd id cannot
// reach another route.
std::string EncodeSegment(const std::string& text) {
    static const char* kHex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

}  // namespace

std::string ApiError::Describe() const {
    std::string text = message;
    for (const ErrorDetail& detail : details) {
        if (!detail.message.empty() && detail.message != message) text += "\n" + detail.message;
    }
    return text;
}

void GatewayClient::Send(const char* method, std::string path, std::optional<nlohmann::json> body,
                         std::function<void(const platform::HttpResponse&)> deliver) {
    platform::HttpRequest request;
    request.method = method;
    request.url = std::move(path);
    request.headers.push_back({"Accept", "application/json"});
    if (!token_.empty()) request.headers.push_back({"Authorization", "Bearer " + token_});
    if (body) {
        request.headers.push_back({"Content-Type", "application/json"});
        request.body = body->dump();
    }
    ++in_flight_;
    platform::Fetch(std::move(request), [this, deliver = std::move(deliver)](platform::HttpResponse response) {
        // Queued, not run: the app mutates its state only inside Poll(), at the start of a frame.
        ready_.push_back([this, deliver, response = std::move(response)] {
            --in_flight_;
            deliver(response);
        });
    });
}

void GatewayClient::Poll() {
    std::vector<std::function<void()>> ready;
    ready.swap(ready_);  // callbacks may send new requests, which must wait for the next Poll
    for (auto& run : ready) run();
}

void GatewayClient::Signup(const std::string& email, const std::string& password,
                           ApiCallback<SignupOutcome> done) {
    Send("POST", "/v1/auth/signup", json{{"email", email}, {"password", password}},
         [done](const platform::HttpResponse& r) {
             done(Decode<SignupOutcome>(r, [&](const json& body) {
                 SignupOutcome outcome;
                 if (r.status == 201) {
                     outcome.session = ReadSession(body);
                 } else {
                     outcome.email = Str(body, "email");
                     outcome.mail = Str(body, "mail");
                     outcome.message = Str(body, "message");
                 }
                 return outcome;
             }));
         });
}

void GatewayClient::Verify(const std::string& token, ApiCallback<Session> done) {
    Send("POST", "/v1/auth/verify", json{{"token", token}},
         [done](const platform::HttpResponse& r) { done(Decode<Session>(r, ReadSession)); });
}

void GatewayClient::Login(const std::string& email, const std::string& password, const std::string& device_token,
                          ApiCallback<Session> done) {
    json body{{"email", email}, {"password", password}};
    if (!device_token.empty()) body["device_token"] = device_token;
    Send("POST", "/v1/auth/login", body,
         [done](const platform::HttpResponse& r) { done(Decode<Session>(r, ReadSession)); });
}

void GatewayClient::Logout(ApiCallback<Empty> done) {
    Send("POST", "/v1/auth/logout", json::object(), [done](const platform::HttpResponse& r) {
        if (r.status >= 200 && r.status < 300) {
            done(ApiResult<Empty>{Empty{}, {}});
        } else {
            done(Failure<Empty>(ErrorFrom(r)));
        }
    });
}

void GatewayClient::Me(ApiCallback<Session> done) {
    const std::string token = token_;
    Send("GET", "/v1/me", std::nullopt, [done, token](const platform::HttpResponse& r) {
        done(Decode<Session>(r, [&](const json& body) {
            Session session;
            session.token = token;
            session.email = Str(body, "email");
            if (auto it = body.find("new_plan"); it != body.end() && it->is_object()) {
                if (auto cloud = it->find("cloud"); cloud != it->end() && cloud->is_object()) {
                    session.new_plan_provider = Str(*cloud, "provider");
                    session.new_plan_region = Str(*cloud, "region");
                }
            }
            return session;
        }));
    });
}

void GatewayClient::ListPlans(ApiCallback<std::vector<PlanSummary>> done) {
    ListPage({}, std::make_shared<std::vector<PlanSummary>>(), std::move(done));
}

void GatewayClient::ListPage(std::string cursor, std::shared_ptr<std::vector<PlanSummary>> so_far,
                             ApiCallback<std::vector<PlanSummary>> done) {
    std::string path = "/v1/plan/?limit=200";
    if (!cursor.empty()) path += "&cursor=" + EncodeSegment(cursor);
    Send("GET", path, std::nullopt, [this, so_far, done](const platform::HttpResponse& r) {
        std::string next;
        auto page = Decode<Empty>(r, [&](const json& body) {
            if (auto items = body.find("items"); items != body.end() && items->is_array()) {
                for (const json& item : *items) {
                    if (!item.is_object()) continue;
                    so_far->push_back({Str(item, "id"), Str(item, "name"), Str(item, "environment"),
                                       Int(item, "revision"), Str(item, "updated_at"), ReadStatus(item)});
                }
            }
            next = Str(body, "next_cursor");
            return Empty{};
        });
        if (!page.ok()) return done(Failure<std::vector<PlanSummary>>(std::move(page.error)));
        if (!next.empty()) return ListPage(next, so_far, done);  // sent now, answered in a later Poll()
        done(ApiResult<std::vector<PlanSummary>>{std::move(*so_far), {}});
    });
}

void GatewayClient::CreatePlan(const std::string& name, ApiCallback<PlanResource> done) {
    Send("POST", "/v1/plan/", json{{"name", name}},
         [done](const platform::HttpResponse& r) { done(Decode<PlanResource>(r, ReadPlan)); });
}

void GatewayClient::CreatePlanFrom(const nlohmann::json& document, ApiCallback<PlanResource> done) {
    Send("POST", "/v1/plan/", document,
         [done](const platform::HttpResponse& r) { done(Decode<PlanResource>(r, ReadPlan)); });
}

void GatewayClient::GetPlan(const std::string& id, ApiCallback<PlanResource> done) {
    Send("GET", "/v1/plan/" + EncodeSegment(id), std::nullopt,
         [done](const platform::HttpResponse& r) { done(Decode<PlanResource>(r, ReadPlan)); });
}

void GatewayClient::UpdatePlan(const std::string& id, std::int64_t revision, const nlohmann::json& document,
                               ApiCallback<PlanResource> done) {
    Send("PUT", "/v1/plan/" + EncodeSegment(id), json{{"revision", revision}, {"plan", document}},
         [done](const platform::HttpResponse& r) { done(Decode<PlanResource>(r, ReadPlan)); });
}

void GatewayClient::DeletePlan(const std::string& id, std::int64_t revision, ApiCallback<Empty> done) {
    const std::string query = revision > 0 ? "?revision=" + std::to_string(revision) : "";
    Send("DELETE", "/v1/plan/" + EncodeSegment(id) + query, std::nullopt, [done](const platform::HttpResponse& r) {
        if (r.status >= 200 && r.status < 300) {
            done(ApiResult<Empty>{Empty{}, {}});
        } else {
            done(Failure<Empty>(ErrorFrom(r)));
        }
    });
}

void GatewayClient::DeployPlan(const std::string& plan_id, ApiCallback<Deployment> done) {
    Send("POST", "/v1/plan/" + EncodeSegment(plan_id) + "/deploy", json::object(),
         [done](const platform::HttpResponse& r) { done(Decode<Deployment>(r, ReadDeployment)); });
}

void GatewayClient::GetDeployment(const std::string& deployment_id, ApiCallback<Deployment> done) {
    Send("GET", "/v1/deployments/" + EncodeSegment(deployment_id), std::nullopt,
         [done](const platform::HttpResponse& r) { done(Decode<Deployment>(r, ReadDeployment)); });
}

void GatewayClient::GetAwsAccount(ApiCallback<AwsAccountInfo> done) {
    Send("GET", "/v1/account/aws", std::nullopt,
         [done](const platform::HttpResponse& r) { done(Decode<AwsAccountInfo>(r, ReadAwsAccount)); });
}

void GatewayClient::SetAwsRole(const std::string& role_arn, ApiCallback<AwsAccountInfo> done) {
    json body = {{"role_arn", role_arn.empty() ? json(nullptr) : json(role_arn)}};
    Send("PUT", "/v1/account/aws", body,
         [done](const platform::HttpResponse& r) { done(Decode<AwsAccountInfo>(r, ReadAwsAccount)); });
}

void GatewayClient::ListDeployments(const std::string& plan_id, ApiCallback<std::vector<Deployment>> done) {
    Send("GET", "/v1/plan/" + EncodeSegment(plan_id) + "/deployments", std::nullopt,
         [done](const platform::HttpResponse& r) {
             done(Decode<std::vector<Deployment>>(r, [](const json& body) {
                 std::vector<Deployment> items;
                 if (auto it = body.find("items"); it != body.end() && it->is_array()) {
                     for (const json& d : *it) items.push_back(ReadDeploymentObject(d));
                 }
                 return items;
             }));
         });
}

void GatewayClient::DestroyPlan(const std::string& plan_id, ApiCallback<Deployment> done) {
    Send("POST", "/v1/plan/" + EncodeSegment(plan_id) + "/destroy", json{{"final_backup", true}},
         [done](const platform::HttpResponse& r) { done(Decode<Deployment>(r, ReadDeployment)); });
}

void GatewayClient::BackupPlan(const std::string& plan_id, ApiCallback<Deployment> done) {
    Send("POST", "/v1/plan/" + EncodeSegment(plan_id) + "/backup", json{{"validate", true}},
         [done](const platform::HttpResponse& r) { done(Decode<Deployment>(r, ReadDeployment)); });
}

void GatewayClient::GetConnection(const std::string& plan_id, ApiCallback<ConnectionDetails> done) {
    Send("GET", "/v1/plan/" + EncodeSegment(plan_id) + "/connection", std::nullopt,
         [done](const platform::HttpResponse& r) { done(Decode<ConnectionDetails>(r, ReadConnection)); });
}

void GatewayClient::RevealPassword(const std::string& plan_id, ApiCallback<std::string> done) {
    Send("POST", "/v1/plan/" + EncodeSegment(plan_id) + "/connection/password", json::object(),
         [done](const platform::HttpResponse& r) {
             done(Decode<std::string>(r, [](const json& body) { return Str(body, "password"); }));
         });
}

}  // namespace ui
