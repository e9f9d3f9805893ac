// Accounts: signup, verify, login, logout, me (docs/api.md "Accounts", docs/accounts.md).
#include "accounts.hpp"
#include "auth/signup_mail.hpp"
#include "client_network.hpp"
#include "crypto.hpp"
#include "http_util.hpp"
#include "routes.hpp"

namespace gw {

namespace {

constexpr TimeMs kSignupNoticeIntervalMs = TimeMs{3600} * 1000;  // "someone tried": one mail per hour at most

struct Credentials {
    std::string email;  // normalised
    std::string password;
};

// Replies 422 request.invalid listing `details`.
void ReplyInvalid(RouteContext& ctx, const nlohmann::json& details) {
    ReplyError(ctx.res, 422, "request.invalid",
               "The request has " + std::to_string(details.size()) + (details.size() == 1 ? " problem." : " problems."),
               details);
}

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
        ReplyInvalid(ctx, details);
        return std::nullopt;
    }
    Credentials c{NormaliseEmail(ctx.body["email"].get_ref<const std::string&>()),
                  ctx.body["password"].get<std::string>()};
    if (!IsEmailShaped(c.email)) {
        ReplyError(ctx.res, 422, "request.invalid", "That does not look like an email address.",
                   {Detail("/email", "email.invalid", "Use an address such as ann@example.com.")});
        Wipe(c.password);
        return std::nullopt;
    }
    return c;
}

// The client's network (IPv4 address or IPv6 /64), the key of every per-client limit here.
std::string ClientNetwork(const RouteContext& ctx) {
    return NetworkOf(ClientAddress(ctx.req, ctx.services.config.trusted_proxies));
}

void ReplyRetryLater(RouteContext& ctx, int status, int seconds, std::string_view code, const std::string& message) {
    ctx.res.set_header("Retry-After", std::to_string(seconds));
    ReplyError(ctx.res, status, code, message);
}

std::string InSeconds(int seconds) {
    if (seconds < 120) return std::to_string(seconds) + (seconds == 1 ? " second" : " seconds");
    const int minutes = (seconds + 59) / 60;
    return std::to_string(minutes) + " minutes";
}

// A slot to run one Argon2id hash (auth/hash_gate.hpp); replies 503 auth.busy when none came in time.
std::optional<PasswordHashGate::Permit> EnterHashGate(RouteContext& ctx) {
    auto permit = ctx.services.accounts.hash_gate.Enter();
    if (!permit) {
        const int seconds = std::max(1, ctx.services.config.password_hash_wait_ms / 1000);
        ReplyRetryLater(ctx, 503, seconds, "auth.busy",
                        "The gateway is busy checking other passwords; try again in " + InSeconds(seconds) + ".");
    }
    return permit;
}

// Where mailed links point: the configured public_url, else this server as the client reached it (the
// address and port of our own socket, never the client's Host header, which anyone can set).
std::string PublicUrl(const RouteContext& ctx) {
    const Config& config = ctx.services.config;
    if (!config.public_url.empty()) return config.public_url;
    std::string host = config.bind;
    if (host == "0.0.0.0" || host == "::" || host.empty()) host = ctx.req.local_addr;
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    const int port = ctx.req.local_port > 0 ? ctx.req.local_port : config.port;
    return "http://" + host + ":" + std::to_string(port);
}

// Issues a token for `user` and replies {token, expires_at, user, device_token}.
void ReplySession(RouteContext& ctx, int status, const User& user, const std::string& device_token) {
    const TimeMs now = ctx.services.clock();
    const TimeMs expires_at = now + ctx.services.config.token_lifetime_seconds * 1000;
    std::string token = NewToken();
    ctx.services.store.AddToken(TokenDigest(token), user.id, now, expires_at);
    nlohmann::ordered_json body;
    body["token"] = token;
    body["expires_at"] = FormatTimestamp(expires_at);
    body["user"] = {{"id", user.id}, {"email", user.email}};
    // Sent back with later log-ins to this account (rate_limiter.hpp): this device is then never slowed
    // down by others' failures.
    body["device_token"] = device_token;
    ReplyJson(ctx.res, status, body);
    Wipe(token);
}

// A session right after an account was made (first account, or a followed link): the network and the
// device count as the account's own from now on, like after a log-in.
void ReplyNewAccount(RouteContext& ctx, const User& user) {
    const std::string device =
        ctx.services.limiter.RecordSuccess({user.email, ClientNetwork(ctx), ""}, ctx.services.clock());
    ReplySession(ctx, 201, user, device);
}

// The one answer to every valid sign-up, whether the address is new or taken (OWASP: no discrepancy).
void ReplyCheckEmail(RouteContext& ctx, const std::string& email) {
    const bool outbox = ctx.services.accounts.mail.kind() == "outbox";
    nlohmann::ordered_json body;
    body["status"] = "check_email";
    body["email"] = email;
    body["mail"] = outbox ? "outbox" : "smtp";
    body["message"] =
        outbox ? "This gateway has no mail server, so your link was written to its outbox instead: its operator "
                 "finds it in the gateway's data folder under mail/outbox and can give it to you. Open it within 24 "
                 "hours to finish creating your account."
               : "Check your email: we sent a message to " + email +
                     ". Open the link in it within 24 hours to finish creating your account.";
    ReplyJson(ctx.res, 202, body);
}

}  // namespace

void HandleSignup(RouteContext& ctx) {
    auto credentials = ReadCredentials(ctx);
    if (!credentials) return;
    Services& s = ctx.services;
    const std::string& email = credentials->email;
    if (auto problem = CheckPassword(credentials->password, email)) {
        ReplyError(ctx.res, 422, "auth.weak_password", problem->message,
                   {Detail("/password", problem->code, problem->message)});
        Wipe(credentials->password);
        return;
    }
    if (!IsMailableAddress(email)) {
        Wipe(credentials->password);
        ReplyError(ctx.res, 422, "request.invalid", "We cannot send mail to that address.",
                   {Detail("/email", "email.not_mailable",
                           "Use a plain address such as ann@example.com: letters, digits and . _ + - before the @.")});
        return;
    }
    const TimeMs now = s.clock();
    if (const int wait = s.accounts.signup_limiter->TryStart(ClientNetwork(ctx), now); wait > 0) {
        Wipe(credentials->password);
        ReplyRetryLater(ctx, 429, wait, "auth.rate_limited",
                        "Too many sign-ups from your network; try again in " + InSeconds(wait) + ".");
        return;
    }
    // Hashed whether the address is new or taken: the same work, so the same time, on both paths.
    std::string hash;
    {
        auto permit = EnterHashGate(ctx);
        if (!permit) {
            Wipe(credentials->password);
            return;
        }
        hash = HashPassword(credentials->password);
        Wipe(credentials->password);
    }
    if (s.accounts.mail.kind() == "outbox") {
        // The operator setting up their own machine (scripts/run): no mail server to verify through, and no
        // account yet. Reveals only that the gateway had none.
        const User first{RandomId("u_"), email, hash, now};
        if (s.store.signups().CreateFirstUser(first)) {
            s.log.Info("signup.first_account", {{"user_id", first.id}});
            ReplyNewAccount(ctx, first);
            return;
        }
    }
    if (s.store.FindUserByEmail(email)) {
        // Nothing about the account changes; its owner hears about the attempt (once an hour at most).
        if (s.store.signups().ClaimSignupNotice(email, now, kSignupNoticeIntervalMs)) {
            s.accounts.mail.Enqueue(TakenMail(email, PublicUrl(ctx) + "/#app"));
        }
    } else {
        std::string token = NewToken();
        s.store.signups().SavePendingSignup({email, hash, TokenDigest(token), now, now + kSignupLinkLifetimeMs});
        s.accounts.mail.Enqueue(VerifyMail(email, PublicUrl(ctx) + "/#verify/" + token));
        Wipe(token);
    }
    ReplyCheckEmail(ctx, email);
}

void HandleVerifySignup(RouteContext& ctx) {
    const auto token = ctx.body.is_object() ? ctx.body.find("token") : ctx.body.end();
    if (!ctx.body.is_object() || token == ctx.body.end() || !token->is_string() ||
        token->get_ref<const std::string&>().empty()) {
        ReplyInvalid(ctx, nlohmann::json::array({Detail("/token", "type.string_expected",
                                                        "token is required: the part of the link after #verify/.")}));
        return;
    }
    Services& s = ctx.services;
    const CompletedSignup done =
        s.store.signups().CompleteSignup(TokenDigest(token->get_ref<const std::string&>()), RandomId("u_"), s.clock());
    switch (done.status) {
        case CompletedSignup::Status::Created:
            s.log.Info("signup.verified", {{"user_id", done.user.id}});
            ReplyNewAccount(ctx, done.user);
            return;
        case CompletedSignup::Status::EmailTaken:
            ReplyError(ctx.res, 409, "auth.email_taken", "This email already has an account; log in instead.",
                       {Detail("/token", "auth.email_taken", "The address of this link has an account by now.")});
            return;
        case CompletedSignup::Status::Invalid:
            ReplyError(ctx.res, 400, "auth.link_invalid",
                       "This sign-up link does not work: it is unknown, used already, replaced by a newer sign-up "
                       "or older than 24 hours.",
                       {Detail("/token", "auth.link_invalid", "Sign up again to get a new link.")});
            return;
    }
}

void HandleLogin(RouteContext& ctx) {
    auto credentials = ReadCredentials(ctx);
    if (!credentials) return;
    Services& s = ctx.services;
    LoginAttempt attempt{credentials->email, ClientNetwork(ctx), ""};
    if (auto device = ctx.body.find("device_token"); device != ctx.body.end() && device->is_string()) {
        attempt.device_token = device->get<std::string>();
    }
    const TimeMs now = s.clock();
    // Answered before the password is looked at, the same for existing and unknown emails.
    if (const int wait = s.limiter.RetryAfter(attempt, now); wait > 0) {
        Wipe(credentials->password);
        ReplyRetryLater(ctx, 429, wait, "auth.rate_limited",
                        "Too many failed log-ins; try again in " + InSeconds(wait) + ".");
        return;
    }
    const auto user = s.store.FindUserByEmail(credentials->email);
    bool ok = false;
    {
        auto permit = EnterHashGate(ctx);
        if (!permit) {
            Wipe(credentials->password);
            return;
        }
        // Unknown emails cost the same hashing work as known ones, so timing does not reveal accounts.
        ok = user ? VerifyPassword(credentials->password, user->password_hash)
                  : VerifyAgainstDummy(credentials->password);
        Wipe(credentials->password);
    }
    if (!ok) {
        s.limiter.RecordFailure(attempt, s.clock());
        ReplyError(ctx.res, 401, "auth.invalid_credentials", "Wrong email or password.");
        return;
    }
    ReplySession(ctx, 200, *user, s.limiter.RecordSuccess(attempt, s.clock()));
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
