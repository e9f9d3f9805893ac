// Accounts: signup, login, logout, me (docs/api.md "Accounts").
#include "accounts.hpp"
#include "crypto.hpp"
#include "http_util.hpp"
#include "routes.hpp"

namespace gw {

namespace {

struct Credentials {
    std::string email;  // normalised
    std::string password;
};

// Reads {"email", "password"} as strings; replies 422 request.invalid (each bad field listed) otherwise.
std::optional<Credentials> ReadCredentials(RouteContext& ctx) {
    nlohmann::json details = nlohmann::json::array();
    if (!ctx.body.is_object()) {
        ReplyError(ctx.res, 422, "request.invalid", "The body must be a JSON object {\"email\", \"password\"}.",
                   {Detail("", "type.object_expected", "Send a JSON object.")});
        return std::nullopt;
    }
    for (const char* field : {"email", "password"}) {
        auto it = ctx.body.find(field);
        if (it == ctx.body.end()) {
            details.push_back(Detail(std::string("/") + field, "field.required", std::string(field) + " is required."));
        } else if (!it->is_string()) {
            details.push_back(
                Detail(std::string("/") + field, "type.string_expected", std::string(field) + " must be a string."));
        }
    }
    if (!details.empty()) {
        ReplyError(ctx.res, 422, "request.invalid", "The request has " + std::to_string(details.size()) +
                                                        (details.size() == 1 ? " problem." : " problems."),
                   details);
        return std::nullopt;
    }
    Credentials c{NormaliseEmail(ctx.body["email"].get_ref<const std::string&>()),
                  ctx.body["password"].get<std::string>()};
    if (!IsEmailShaped(c.email)) {
        ReplyError(ctx.res, 422, "request.invalid", "That does not look like an email address.",
                   {Detail("/email", "email.invalid", "Use an address such as ann@example.com.")});
        return std::nullopt;
    }
    return c;
}

// Issues a token for `user` and replies {token, expires_at, user}.
void ReplySession(RouteContext& ctx, int status, const User& user) {
    const TimeMs now = ctx.services.clock();
    const TimeMs expires_at = now + ctx.services.config.token_lifetime_seconds * 1000;
    std::string token = NewToken();
    ctx.services.store.AddToken(TokenDigest(token), user.id, now, expires_at);
    nlohmann::ordered_json body;
    body["token"] = token;
    body["expires_at"] = FormatTimestamp(expires_at);
    body["user"] = {{"id", user.id}, {"email", user.email}};
    ReplyJson(ctx.res, status, body);
    Wipe(token);
}

}  // namespace

void HandleSignup(RouteContext& ctx) {
    auto credentials = ReadCredentials(ctx);
    if (!credentials) return;
    if (auto problem = CheckPassword(credentials->password, credentials->email)) {
        ReplyError(ctx.res, 422, "auth.weak_password", problem->message,
                   {Detail("/password", problem->code, problem->message)});
        Wipe(credentials->password);
        return;
    }
    User user{RandomId("u_"), credentials->email, HashPassword(credentials->password), ctx.services.clock()};
    Wipe(credentials->password);
    if (!ctx.services.store.CreateUser(user)) {
        ReplyError(ctx.res, 409, "auth.email_taken", "An account with this email already exists; log in instead.",
                   {Detail("/email", "auth.email_taken", "This email is already registered.")});
        return;
    }
    ReplySession(ctx, 201, user);
}

void HandleLogin(RouteContext& ctx) {
    auto credentials = ReadCredentials(ctx);
    if (!credentials) return;
    Services& s = ctx.services;
    const std::string address = ClientAddress(ctx.req, s.config.trusted_proxies);
    const TimeMs now = s.clock();
    if (const int wait = s.limiter.RetryAfter(credentials->email, address, now); wait > 0) {
        Wipe(credentials->password);
        ctx.res.set_header("Retry-After", std::to_string(wait));
        ReplyError(ctx.res, 429, "auth.rate_limited",
                   "Too many failed log-ins; try again in " + std::to_string(wait) + " seconds.");
        return;
    }
    const auto user = s.store.FindUserByEmail(credentials->email);
    // Unknown emails cost the same hashing work as known ones, so timing does not reveal accounts.
    const bool ok = user ? VerifyPassword(credentials->password, user->password_hash)
                         : VerifyAgainstDummy(credentials->password);
    Wipe(credentials->password);
    if (!ok) {
        s.limiter.RecordFailure(credentials->email, address, now);
        ReplyError(ctx.res, 401, "auth.invalid_credentials", "Wrong email or password.");
        return;
    }
    s.limiter.RecordSuccess(credentials->email);
    ReplySession(ctx, 200, *user);
}

void HandleLogout(RouteContext& ctx) {
    ctx.services.store.RevokeToken(ctx.token_digest);
    ctx.res.status = 204;
}

void HandleMe(RouteContext& ctx) {
    const auto user = ctx.services.store.FindUserById(ctx.user_id);
    if (!user) {  // the account vanished under a valid token; treat the token as dead
        ReplyError(ctx.res, 401, "auth.required", "Log in again.");
        return;
    }
    nlohmann::ordered_json body;
    body["id"] = user->id;
    body["email"] = user->email;
    body["created_at"] = FormatTimestamp(user->created_at);
    // Where a new plan starts (the web app's offline "New plan" makes the same one).
    const plan::Plan fresh = DefaultPlanFor(ctx, "");
    body["new_plan"] = {{"cloud", {{"provider", fresh.cloud.provider}, {"region", fresh.cloud.region}}}};
    ReplyJson(ctx.res, 200, body);
}

}  // namespace gw
