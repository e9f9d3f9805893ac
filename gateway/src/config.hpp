#pragma once
// Gateway settings: a struct with in-class defaults, filled from (in increasing precedence) a JSON file,
// the environment and command-line flags, then validated as a whole.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gw {

struct Config {
    std::string bind = "127.0.0.1";        // listen address; loopback unless told otherwise
    int port = 8080;                       // 0 = any free port (the startup line says which)
    std::string data_dir = "./data";       // SQLite database and the optional gateway.json
    std::string site_dir = "./build/web/site";  // index.html, app.js, app.wasm, assets/
    std::size_t max_body_bytes = 1 << 20;  // larger request bodies get 413
    std::int64_t token_lifetime_seconds = 7 * 24 * 3600;
    // Log-in delays (docs/accounts.md): failures of one email from one network (IPv4 address or IPv6 /64)
    // before each further attempt waits 1, 2, 4 ... 60 s; failures from one network across emails before
    // the same; a key with no failure for login_window_seconds starts again at zero.
    int login_failures_per_email = 5;
    int login_failures_per_ip = 20;
    int login_window_seconds = 900;
    std::vector<std::string> trusted_proxies;  // X-Forwarded-For is believed only from these addresses
    // The connection front (docs/http-front.md): what a client may hold and for how long.
    int http_workers = 16;                 // threads serving whole requests (handlers may wait on the store)
    int max_connections = 10000;           // open client connections in all (lowered to what RLIMIT_NOFILE allows)
    int max_connections_per_client = 1024; // per IPv4 address or IPv6 /64; trusted_proxies are exempt
    int header_timeout_seconds = 10;       // a request head (and a new connection's first) must arrive within this
    int body_timeout_seconds = 30;         // a request body within this after its head
    int idle_timeout_seconds = 60;         // a kept-alive connection may wait this long for its next request
    int write_timeout_seconds = 30;        // a client must keep taking a response within this
    std::size_t max_buffered_bytes = std::size_t{256} << 20;  // request/response bytes held for all clients
    // Deployments (docs/deploy.md).
    int deploy_workers = 2;                // job threads of the deploy engine (1..64)
    int monitor_interval_seconds = 15;     // the monitor checks every deployed plan this often
    int deploy_lease_seconds = 30;         // a job's plan lease; a dead gateway's work is taken over after it
    std::string secret_key_file;           // AES-256 key for secrets at rest; "" = <data_dir>/secret.key
    // Fair use (docs/api.md "Quotas"): per-user limits far above what a real team uses, so that one account
    // cannot fill the store, the job queue or this host. Each 1..1000000.
    int max_plans_per_user = 1000;
    int max_components_per_plan = 500;     // components (nodes) in one plan's cs-json
    int max_active_jobs_per_user = 50;     // deployments, destroys and backups queued or running
    int max_local_servers_per_user = 32;   // PostgreSQL servers on this host (cloud.provider "local"), all plans
    // Test-only: registers the "test-double" target in place of "local" (flag --enable-test-double-target).
    // Never on by default; the startup log says when it is.
    bool enable_test_double_target = false;
    // cloud.provider of the default plan (POST /v1/plan with {} or {"name"}); scripts/run sets "local" when
    // no cloud credentials are configured, so a fresh machine deploys onto itself.
    std::string default_provider = "aws";
    // Accounts: sign-up by mailed link, its limits and the Argon2id cap (docs/accounts.md).
    std::string public_url;                // where mailed links point; "" = http://<bind>:<port> as served
    std::string smtp_url;                  // smtp://host:587 (STARTTLS) or smtps://host:465; "" = the outbox
    std::string mail_from = "CloudSketch <no-reply@localhost.localdomain>";  // the From of every mail
    // (SMTP credentials come from the environment only: CS_SMTP_USERNAME, CS_SMTP_PASSWORD.)
    int signups_per_network_per_hour = 5;  // per IPv4 address or IPv6 /64; more get 429
    int password_hash_concurrency = 2;     // Argon2id hashes at once (64 MiB each) across sign-up and log-in
    int password_hash_queue = 16;          // requests waiting for one; more get 503 at once
    int password_hash_wait_ms = 2000;      // how long one waits before 503
};

// What loading gives: a valid config, or a message for the person starting the gateway.
struct ConfigOutcome {
    std::optional<Config> config;
    std::string error;       // set when config is empty and help was not asked for
    bool help = false;       // --help: print Usage() and exit 0
    std::string source;      // the JSON file that was read, if any (for the startup log)
};

// Reads `args` (argv without the program name) and the environment (through `getenv`, so tests can
// pass their own). Flags: --config FILE, --port N, --bind ADDR, --data-dir DIR, --site-dir DIR,
// --max-body-bytes N, --help. Environment: CS_CONFIG, CS_PORT, CS_BIND, CS_DATA_DIR, CS_SITE_DIR,
// CS_MAX_BODY_BYTES, CS_TOKEN_LIFETIME_SECONDS. The file is --config/CS_CONFIG, else
// <data-dir>/gateway.json when present; its keys are the Config field names, unknown keys are errors.
ConfigOutcome LoadConfig(const std::vector<std::string>& args,
                         const std::function<const char*(const char*)>& getenv);

// "" when every field is in range, else one sentence naming the first bad field.
std::string ValidateConfig(const Config& config);

// The --help text.
std::string Usage();

}  // namespace gw
