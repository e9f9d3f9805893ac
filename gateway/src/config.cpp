#include "config.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "mail/mailer.hpp"
#include "mail/smtp_mailer.hpp"
#include "plan/json_text.hpp"

namespace gw {
namespace {

using nlohmann::json;

std::optional<std::int64_t> ParseInteger(const std::string& text) {
    std::int64_t value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
    return value;
}

// One setting, addressable by its JSON key, environment variable and flag.
struct Setting {
    const char* key;
    const char* env;   // nullptr: not settable from the environment
    const char* flag;  // nullptr: not settable from the command line
    // Applies a textual value (env/flag) or a JSON value (file); returns an error message or "".
    std::function<std::string(Config&, const json&)> apply;
};

std::string WantInt(const json& v, const char* key, std::int64_t& out) {
    if (v.is_number_integer()) {
        out = v.get<std::int64_t>();
        return "";
    }
    if (v.is_string()) {
        if (auto parsed = ParseInteger(v.get<std::string>())) {
            out = *parsed;
            return "";
        }
    }
    return std::string(key) + " must be an integer; got " + v.dump() + ".";
}

std::string WantString(const json& v, const char* key, std::string& out) {
    if (!v.is_string()) return std::string(key) + " must be a string; got " + v.dump() + ".";
    out = v.get<std::string>();
    return "";
}

template <class T>
std::function<std::string(Config&, const json&)> IntField(T Config::*field, const char* key) {
    return [field, key](Config& c, const json& v) {
        std::int64_t n = 0;
        std::string error = WantInt(v, key, n);
        if (error.empty()) c.*field = static_cast<T>(n);
        if (error.empty() && n < 0) error = std::string(key) + " must not be negative.";
        if (error.empty() && static_cast<std::uint64_t>(n) > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
            error = std::string(key) + " is too large.";
        }
        return error;
    };
}

std::function<std::string(Config&, const json&)> BoolField(bool Config::*field, const char* key) {
    return [field, key](Config& c, const json& v) -> std::string {
        if (v.is_boolean()) {
            c.*field = v.get<bool>();
        } else if (v == "true" || v == "1") {
            c.*field = true;
        } else if (v == "false" || v == "0") {
            c.*field = false;
        } else {
            return std::string(key) + " must be true or false; got " + v.dump() + ".";
        }
        return "";
    };
}

std::function<std::string(Config&, const json&)> StringField(std::string Config::*field, const char* key) {
    return [field, key](Config& c, const json& v) { return WantString(v, key, c.*field); };
}

const std::vector<Setting>& Settings() {
    static const std::vector<Setting> settings = {
        {"bind", "CS_BIND", "--bind", StringField(&Config::bind, "bind")},
        {"port", "CS_PORT", "--port", IntField(&Config::port, "port")},
        {"data_dir", "CS_DATA_DIR", "--data-dir", StringField(&Config::data_dir, "data_dir")},
        {"site_dir", "CS_SITE_DIR", "--site-dir", StringField(&Config::site_dir, "site_dir")},
        {"max_body_bytes", "CS_MAX_BODY_BYTES", "--max-body-bytes",
         IntField(&Config::max_body_bytes, "max_body_bytes")},
        {"token_lifetime_seconds", "CS_TOKEN_LIFETIME_SECONDS", nullptr,
         IntField(&Config::token_lifetime_seconds, "token_lifetime_seconds")},
        {"login_failures_per_email", "CS_LOGIN_FAILURES_PER_EMAIL", nullptr,
         IntField(&Config::login_failures_per_email, "login_failures_per_email")},
        {"login_failures_per_ip", "CS_LOGIN_FAILURES_PER_IP", nullptr,
         IntField(&Config::login_failures_per_ip, "login_failures_per_ip")},
        {"login_window_seconds", "CS_LOGIN_WINDOW_SECONDS", nullptr,
         IntField(&Config::login_window_seconds, "login_window_seconds")},
        {"deploy_workers", "CS_DEPLOY_WORKERS", "--deploy-workers", IntField(&Config::deploy_workers, "deploy_workers")},
        {"monitor_interval_seconds", "CS_MONITOR_INTERVAL_SECONDS", nullptr,
         IntField(&Config::monitor_interval_seconds, "monitor_interval_seconds")},
        {"deploy_lease_seconds", "CS_DEPLOY_LEASE_SECONDS", nullptr,
         IntField(&Config::deploy_lease_seconds, "deploy_lease_seconds")},
        {"secret_key_file", "CS_SECRET_KEY_FILE", "--secret-key-file",
         StringField(&Config::secret_key_file, "secret_key_file")},
        {"default_provider", "CS_DEFAULT_PROVIDER", "--default-provider",
         StringField(&Config::default_provider, "default_provider")},
        {"max_plans_per_user", "CS_MAX_PLANS_PER_USER", nullptr,
         IntField(&Config::max_plans_per_user, "max_plans_per_user")},
        {"max_components_per_plan", "CS_MAX_COMPONENTS_PER_PLAN", nullptr,
         IntField(&Config::max_components_per_plan, "max_components_per_plan")},
        {"max_active_jobs_per_user", "CS_MAX_ACTIVE_JOBS_PER_USER", nullptr,
         IntField(&Config::max_active_jobs_per_user, "max_active_jobs_per_user")},
        {"max_local_servers_per_user", "CS_MAX_LOCAL_SERVERS_PER_USER", nullptr,
         IntField(&Config::max_local_servers_per_user, "max_local_servers_per_user")},
        // Accounts (docs/accounts.md).
        {"public_url", "CS_PUBLIC_URL", "--public-url", StringField(&Config::public_url, "public_url")},
        {"smtp_url", "CS_SMTP_URL", "--smtp-url", StringField(&Config::smtp_url, "smtp_url")},
        {"mail_from", "CS_MAIL_FROM", nullptr, StringField(&Config::mail_from, "mail_from")},
        {"signups_per_network_per_hour", "CS_SIGNUPS_PER_NETWORK_PER_HOUR", nullptr,
         IntField(&Config::signups_per_network_per_hour, "signups_per_network_per_hour")},
        {"password_hash_concurrency", "CS_PASSWORD_HASH_CONCURRENCY", nullptr,
         IntField(&Config::password_hash_concurrency, "password_hash_concurrency")},
        {"password_hash_queue", "CS_PASSWORD_HASH_QUEUE", nullptr,
         IntField(&Config::password_hash_queue, "password_hash_queue")},
        {"password_hash_wait_ms", "CS_PASSWORD_HASH_WAIT_MS", nullptr,
         IntField(&Config::password_hash_wait_ms, "password_hash_wait_ms")},
        {"enable_test_double_target", nullptr, "--enable-test-double-target",
         BoolField(&Config::enable_test_double_target, "enable_test_double_target")},
        {"http_workers", "CS_HTTP_WORKERS", "--http-workers", IntField(&Config::http_workers, "http_workers")},
        {"max_connections", "CS_MAX_CONNECTIONS", nullptr, IntField(&Config::max_connections, "max_connections")},
        {"max_connections_per_client", "CS_MAX_CONNECTIONS_PER_CLIENT", nullptr,
         IntField(&Config::max_connections_per_client, "max_connections_per_client")},
        {"header_timeout_seconds", "CS_HEADER_TIMEOUT_SECONDS", nullptr,
         IntField(&Config::header_timeout_seconds, "header_timeout_seconds")},
        {"body_timeout_seconds", "CS_BODY_TIMEOUT_SECONDS", nullptr,
         IntField(&Config::body_timeout_seconds, "body_timeout_seconds")},
        {"idle_timeout_seconds", "CS_IDLE_TIMEOUT_SECONDS", nullptr,
         IntField(&Config::idle_timeout_seconds, "idle_timeout_seconds")},
        {"write_timeout_seconds", "CS_WRITE_TIMEOUT_SECONDS", nullptr,
         IntField(&Config::write_timeout_seconds, "write_timeout_seconds")},
        {"max_buffered_bytes", "CS_MAX_BUFFERED_BYTES", nullptr,
         IntField(&Config::max_buffered_bytes, "max_buffered_bytes")},
        {"trusted_proxies", nullptr, nullptr,
         [](Config& c, const json& v) -> std::string {
             if (!v.is_array()) return "trusted_proxies must be an array of addresses.";
             c.trusted_proxies.clear();
             for (const json& item : v) {
                 if (!item.is_string()) return "trusted_proxies must hold strings.";
                 c.trusted_proxies.push_back(item.get<std::string>());
             }
             return "";
         }},
    };
    return settings;
}

std::string ApplyFile(Config& config, const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return "cannot read config file " + path + ".";
    std::stringstream text;
    text << in.rdbuf();
    plan::JsonText read = plan::ReadJsonText(text.str());
    if (read.error) return "config file " + path + ": " + read.error->message;
    const json document = std::move(read.value);
    if (!document.is_object()) return "config file " + path + " must hold a JSON object.";
    for (auto it = document.begin(); it != document.end(); ++it) {
        const Setting* found = nullptr;
        for (const Setting& s : Settings()) {
            if (it.key() == s.key) found = &s;
        }
        if (!found) return "config file " + path + ": unknown key \"" + it.key() + "\".";
        std::string error = found->apply(config, it.value());
        if (!error.empty()) return "config file " + path + ": " + error;
    }
    return "";
}

// The accounts block (docs/accounts.md).
std::string ValidateAccountSettings(const Config& c) {
    if (!c.public_url.empty()) {
        const bool scheme = c.public_url.starts_with("http://") || c.public_url.starts_with("https://");
        const bool clean = std::all_of(c.public_url.begin(), c.public_url.end(),
                                       [](unsigned char ch) { return ch > ' ' && ch <= '~' && ch != '#'; });
        if (!scheme || !clean || c.public_url.ends_with("/")) {
            return "public_url must be the address people open, such as https://cloudsketch.example.com (http:// "
                   "or https://, no trailing slash, no spaces); got \"" + c.public_url + "\".";
        }
    }
    if (!c.smtp_url.empty()) {
        if (std::string error = CheckSmtpUrl(c.smtp_url); !error.empty()) return error;
    }
    if (!IsValidFrom(c.mail_from)) {
        return "mail_from must be an address such as \"CloudSketch <no-reply@example.com>\"; got \"" + c.mail_from +
               "\".";
    }
    if (c.signups_per_network_per_hour < 1 || c.signups_per_network_per_hour > 100000) {
        return "signups_per_network_per_hour must be between 1 and 100000.";
    }
    if (c.password_hash_concurrency < 1 || c.password_hash_concurrency > 64) {
        return "password_hash_concurrency must be between 1 and 64 (each hash takes 64 MiB).";
    }
    if (c.password_hash_queue < 0 || c.password_hash_queue > 10000) {
        return "password_hash_queue must be between 0 and 10000.";
    }
    if (c.password_hash_wait_ms < 0 || c.password_hash_wait_ms > 60000) {
        return "password_hash_wait_ms must be between 0 and 60000.";
    }
    return "";
}

}  // namespace

ConfigOutcome LoadConfig(const std::vector<std::string>& args,
                         const std::function<const char*(const char*)>& getenv) {
    ConfigOutcome outcome;
    // Flags are read first but applied last, so they win; the file path and data dir decide which file.
    std::vector<std::pair<const Setting*, std::string>> flags;
    std::string config_file;
    if (const char* env = getenv("CS_CONFIG")) config_file = env;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--help" || arg == "-h") {
            outcome.help = true;
            return outcome;
        }
        std::string name = arg;
        std::string value;
        bool has_value = false;
        if (auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
            name = arg.substr(0, eq);
            value = arg.substr(eq + 1);
            has_value = true;
        }
        const Setting* setting = nullptr;
        for (const Setting& s : Settings()) {
            if (s.flag && name == s.flag) setting = &s;
        }
        if (name != "--config" && !setting) {
            outcome.error = "unknown argument \"" + arg + "\" (see --help).";
            return outcome;
        }
        if (!has_value && name == "--enable-test-double-target") {
            value = "true";  // a switch: its presence is the value
        } else if (!has_value) {
            if (i + 1 >= args.size()) {
                outcome.error = name + " needs a value.";
                return outcome;
            }
            value = args[++i];
        }
        if (name == "--config") {
            config_file = value;
        } else {
            flags.emplace_back(setting, value);
        }
    }

    Config config;
    // The data dir decides where gateway.json may be, so find it from env and flags first.
    std::string data_dir = config.data_dir;
    if (const char* env = getenv("CS_DATA_DIR")) data_dir = env;
    for (const auto& [setting, value] : flags) {
        if (std::string(setting->key) == "data_dir") data_dir = value;
    }
    if (config_file.empty()) {
        std::error_code ec;
        const auto candidate = std::filesystem::path(data_dir) / "gateway.json";
        if (std::filesystem::is_regular_file(candidate, ec)) config_file = candidate.string();
    }
    if (!config_file.empty()) {
        outcome.error = ApplyFile(config, config_file);
        if (!outcome.error.empty()) return outcome;
        outcome.source = config_file;
    }
    for (const Setting& s : Settings()) {
        if (!s.env) continue;
        if (const char* env = getenv(s.env)) {
            std::string error = s.apply(config, json(std::string(env)));
            if (!error.empty()) {
                outcome.error = std::string(s.env) + ": " + error;
                return outcome;
            }
        }
    }
    for (const auto& [setting, value] : flags) {
        std::string error = setting->apply(config, json(value));
        if (!error.empty()) {
            outcome.error = std::string(setting->flag) + ": " + error;
            return outcome;
        }
    }
    outcome.error = ValidateConfig(config);
    if (outcome.error.empty()) outcome.config = std::move(config);
    return outcome;
}

std::string ValidateConfig(const Config& c) {
    if (c.bind.empty()) return "bind must be an address such as 127.0.0.1.";
    if (c.port < 0 || c.port > 65535) return "port must be between 0 and 65535; got " + std::to_string(c.port) + ".";
    if (c.data_dir.empty()) return "data_dir must not be empty.";
    if (c.site_dir.empty()) return "site_dir must not be empty.";
    if (c.max_body_bytes < 1024 || c.max_body_bytes > (std::size_t{256} << 20)) {
        return "max_body_bytes must be between 1024 and 268435456; got " + std::to_string(c.max_body_bytes) + ".";
    }
    if (c.http_workers < 1 || c.http_workers > 256) return "http_workers must be between 1 and 256.";
    if (c.max_connections < 16) return "max_connections must be at least 16.";
    if (c.max_connections_per_client < 1) return "max_connections_per_client must be at least 1.";
    for (const auto& [name, seconds] : {std::pair{"header_timeout_seconds", c.header_timeout_seconds},
                                        std::pair{"body_timeout_seconds", c.body_timeout_seconds},
                                        std::pair{"idle_timeout_seconds", c.idle_timeout_seconds},
                                        std::pair{"write_timeout_seconds", c.write_timeout_seconds}}) {
        if (seconds < 1 || seconds > 3600) return std::string(name) + " must be between 1 and 3600.";
    }
    if (c.max_buffered_bytes < 4 * c.max_body_bytes) {
        return "max_buffered_bytes must be at least 4 times max_body_bytes (" + std::to_string(4 * c.max_body_bytes) +
               "); got " + std::to_string(c.max_buffered_bytes) + ".";
    }
    if (c.token_lifetime_seconds < 1 || c.token_lifetime_seconds > 366LL * 24 * 3600) {
        return "token_lifetime_seconds must be between 1 and one year.";
    }
    if (c.login_failures_per_email < 1 || c.login_failures_per_ip < 1) {
        return "login_failures_per_email and login_failures_per_ip must be at least 1.";
    }
    if (c.login_window_seconds < 1) return "login_window_seconds must be at least 1.";
    if (c.deploy_workers < 1 || c.deploy_workers > 64) return "deploy_workers must be between 1 and 64.";
    if (c.monitor_interval_seconds < 1 || c.monitor_interval_seconds > 86400) {
        return "monitor_interval_seconds must be between 1 and 86400.";
    }
    if (c.deploy_lease_seconds < 1 || c.deploy_lease_seconds > 3600) {
        return "deploy_lease_seconds must be between 1 and 3600.";
    }
    for (const auto& [name, value] : {std::pair{"max_plans_per_user", c.max_plans_per_user},
                                      std::pair{"max_components_per_plan", c.max_components_per_plan},
                                      std::pair{"max_active_jobs_per_user", c.max_active_jobs_per_user},
                                      std::pair{"max_local_servers_per_user", c.max_local_servers_per_user}}) {
        if (value < 1 || value > 1000000) {
            return std::string(name) + " must be between 1 and 1000000; got " + std::to_string(value) + ".";
        }
    }
    if (c.default_provider != "aws" && c.default_provider != "azure" && c.default_provider != "gcp" &&
        c.default_provider != "local") {
        return "default_provider must be aws, azure, gcp or local.";
    }
    if (std::string error = ValidateAccountSettings(c); !error.empty()) return error;
    return "";
}

std::string Usage() {
    // The key and variable lists come from the settings table, so a new setting cannot be left out of the help.
    auto wrapped = [](const std::string& lead, const std::vector<std::string>& items, const std::string& tail) {
        std::string out;
        std::string line = lead;
        for (std::size_t i = 0; i < items.size(); ++i) {
            const std::string item = items[i] + (i + 1 < items.size() ? ", " : tail);
            if (line.size() + item.size() > 104) {
                while (!line.empty() && line.back() == ' ') line.pop_back();
                out += line + "\n";
                line.clear();
            }
            line += item;
        }
        return out + line + "\n";
    };
    std::vector<std::string> keys;
    std::vector<std::string> envs;
    for (const Setting& s : Settings()) {
        keys.emplace_back(s.key);
        if (s.env) envs.emplace_back(s.env);
    }
    return "Usage: cs-gateway [--config FILE] [--port N] [--bind ADDR] [--data-dir DIR] [--site-dir DIR]\n"
           "                  [--max-body-bytes N] [--deploy-workers N] [--http-workers N] [--secret-key-file FILE]\n"
           "                  [--default-provider aws|azure|gcp|local] [--public-url URL] [--smtp-url URL]\n"
           "Serves the CloudSketch web app and its JSON API (docs/api.md).\n"
           "  --port 0 picks a free port; the startup line says which.\n"
           "Settings come from, in increasing precedence: a JSON file (--config FILE or CS_CONFIG, else\n"
           "<data-dir>/gateway.json if present), the environment and the flags above. Bad settings exit with\n"
           "status 2.\n" +
           wrapped("File keys: ", keys, ".") + wrapped("Environment: ", envs, ".") +
           "Mail (docs/accounts.md): without smtp_url, mails are files in <data-dir>/mail/outbox/; the SMTP\n"
           "login comes only from the environment (CS_SMTP_USERNAME, CS_SMTP_PASSWORD) and is never logged.\n"
           "The secret key file (default <data-dir>/secret.key) is created with 32 random bytes, mode 0600,\n"
           "on first start; keep it with the database: sealed secrets cannot be opened without it.\n"
           "  --enable-test-double-target  TESTS ONLY: a scripted fake target stands in for \"local\".\n";
}

}  // namespace gw
