// The local target against Debian's real PostgreSQL, driven directly through the Target interface
// (the engine is not involved): deploy, the tuned settings live, re-run steps, re-deploy with a restart
// and a reload, backups with validation and retention, scheduled backups (due, as the check says), a
// replica replicating by data, a port already taken, ports re-locked after a restart (Adopt), and
// destroy leaving no process and no data; and the environment its programs inherit (an allowlist).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <list>
#include <set>

#include <gtest/gtest.h>

#include <functional>

#include "deploy/local/local_target.hpp"
#include "deploy/local/pg_client.hpp"
#include "deploy/local/port_lock.hpp"
#include "deploy/local/process.hpp"
#include "plan/plan.hpp"
#include "plan/validate.hpp"

namespace {

namespace fs = std::filesystem;
using gw::deploy::Step;
using gw::deploy::StepResult;
using gw::deploy::local::PgConnection;
using gw::deploy::local::PgParams;

// LocalTargetTest's port blocks: 29000-30999 (deploy_local_api_test.cpp uses 31000-31999).
constexpr int kTargetTestPorts = 29000;

// One plan's deployment as the engine would hold it: the plan, its secret, the target's state, events.
struct Deployment {
    plan::Plan plan;
    gw::deploy::Secrets secrets{"app-pass 'with' quotes \\ and spaces"};
    nlohmann::json state;
    std::vector<std::string> events;
    gw::TimeMs now = 0;  // 0 = the real clock

    gw::deploy::StepContext Context(bool redeploy = false) {
        gw::deploy::StepContext ctx{"d_test", plan.id, "u_test", plan, 1, redeploy, secrets, state,
                                    [this](std::string_view level, std::string message) {
                                        events.push_back(std::string(level) + ": " + message);
                                    },
                                    [](double) {}, [] {}, [] { return false; }};
        if (now != 0) ctx.clock = [this] { return now; };
        return ctx;
    }
    bool Saw(const std::string& text) const {
        for (const std::string& e : events) {
            if (e.find(text) != std::string::npos) return true;
        }
        return false;
    }
    std::string Events() const {
        std::string out;
        for (const std::string& e : events) out += e + "\n";
        return out;
    }
    plan::PostgresSpec& Pg() { return std::get<plan::PostgresSpec>(plan.components[1].spec); }
};

// True once `pid` has exited. pg_ctl stop returns when the postmaster removed its pid file, a moment
// before the process ends and is reaped (by init, not by us): allow it some seconds (more on a loaded
// machine), and count a zombie as gone.
bool ProcessGone(pid_t pid) {
    for (int i = 0; i < 300; ++i) {
        if (kill(pid, 0) == -1) return true;
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string line;
        std::getline(stat, line);
        const auto close = line.rfind(')');
        if (close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z') return true;
        usleep(50 * 1000);
    }
    return false;
}

class LocalTargetTest : public ::testing::Test {
protected:
    void SetUp() override {
        char pattern[] = "/tmp/cs-local-XXXXXX";
        ASSERT_NE(mkdtemp(pattern), nullptr);
        temp_ = pattern;
        ::chmod(temp_.c_str(), 0711);  // PostgreSQL's user (postgres when the tests run as root) walks through it
        gw::deploy::LocalTargetOptions options;
        options.root = (temp_ / "local").string();
        // ctest runs each test in its own process at the same time as others, and a port reservation
        // lives in one process: give every test its own block of 20 ports (deterministic per name). All
        // test blocks lie below the kernel's ephemeral range (32768-60999), where any connection's local
        // port could make one of them unbindable for a moment.
        const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
        options.port_first = kTargetTestPorts + static_cast<int>(std::hash<std::string>{}(name) % 100) * 20;
        options.port_last = options.port_first + 19;
        options_ = options;
        target_ = gw::deploy::MakeLocalTarget(options);
    }
    void TearDown() override {
        for (Deployment& d : deployments_) {
            auto ctx = d.Context();
            target_->Destroy(ctx, false);
        }
        fs::remove_all(temp_);
    }

    // Owned by the fixture, so TearDown can destroy whatever a failed test left running.
    Deployment& NewPlan(const std::string& id, int replicas = 0) {
        Deployment& d = deployments_.emplace_back();
        d.plan = plan::DefaultPlan("local test");
        d.plan.id = id;
        d.plan.cloud.provider = "local";
        auto& vm = std::get<plan::VmSpec>(d.plan.components[0].spec);
        vm.hardware = {"", 2, 4.0};  // a small "VM": 2 vCPUs, 4 GiB
        d.Pg().version = "15";
        if (replicas > 0) {
            d.Pg().topology = plan::Topology::PrimaryReplicas;
            d.Pg().replicas = replicas;
        }
        EXPECT_TRUE(plan::Validate(d.plan).empty());
        return d;
    }

    void Deploy(Deployment& d, bool redeploy = false) {
        for (Step step : gw::deploy::kSteps) {
            auto ctx = d.Context(redeploy);
            const StepResult r = target_->RunStep(step, ctx);
            ASSERT_EQ(r.kind, StepResult::Kind::Done) << ToString(step) << ": " << r.error << "\n" << d.Events();
        }
    }

    int Port(const Deployment& d, std::size_t endpoint = 0) {
        const auto info = target_->Connection(d.state);
        return endpoint < info.endpoints.size() ? info.endpoints[endpoint].port : 0;
    }
    PgParams App(const Deployment& d, int port) {
        PgParams p;
        p.port = port;
        p.dbname = "app";
        p.user = "app";
        p.password = d.secrets.db_password;
        return p;
    }
    fs::path DataDir(const Deployment& d, const std::string& server) {
        return temp_ / "local" / d.plan.id / "pg-1" / server;
    }
    static pid_t PostmasterPid(const fs::path& data) {
        std::ifstream in(data / "postmaster.pid");
        pid_t pid = 0;
        in >> pid;
        return pid;
    }
    // The value written to the configuration file for `name`.
    static std::string ConfValue(const fs::path& data, const std::string& name) {
        std::ifstream in(data / "conf.d" / "cloudsketch.conf");
        for (std::string line; std::getline(in, line);) {
            if (line.rfind(name + " = ", 0) == 0) return line.substr(name.size() + 3);
        }
        return {};
    }

    fs::path temp_;
    gw::deploy::LocalTargetOptions options_;  // target_'s
    std::unique_ptr<gw::deploy::Target> target_;
    std::list<Deployment> deployments_;
};

TEST_F(LocalTargetTest, SingleServerDeploysTunedRedeploysBacksUpAndDestroysCleanly) {
    Deployment& d = NewPlan("p_single");
    Deploy(d);
    const int port = Port(d);
    ASSERT_GE(port, kTargetTestPorts);
    EXPECT_TRUE(d.Saw("live settings match the plan")) << d.Events();

    // The tuned settings are live, as the application sees them over TCP + TLS with its password.
    const fs::path primary = DataDir(d, "primary");
    {
        PgConnection app(App(d, port));
        ASSERT_TRUE(app.ok()) << app.error();
        EXPECT_EQ(app.Exec("SHOW max_connections").Value(), ConfValue(primary, "max_connections"));
        EXPECT_EQ(app.Exec("SHOW max_connections").Value(), "100");
        EXPECT_EQ(app.Exec("SELECT pg_size_bytes(current_setting('shared_buffers')) = pg_size_bytes($1)",
                           {ConfValue(primary, "shared_buffers")}).Value(), "t");
        EXPECT_EQ(app.Exec("SELECT pg_size_bytes(current_setting('work_mem')) = pg_size_bytes($1)",
                           {ConfValue(primary, "work_mem")}).Value(), "t");
        EXPECT_EQ(app.Exec("SHOW ssl").Value(), "on");
        EXPECT_EQ(app.Exec("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").Value(), "t");
        EXPECT_EQ(app.Exec("SHOW listen_addresses").Value(), "127.0.0.1");
        EXPECT_EQ(app.Exec("SHOW data_checksums").Value(), "on");
    }
    PgParams wrong = App(d, port);
    wrong.password = "not the password";
    EXPECT_FALSE(PgConnection(wrong).ok());

    // Re-running steps is harmless: same cluster, same port, same postmaster.
    const pid_t pid = PostmasterPid(primary);
    d.events.clear();
    for (Step step : {Step::Provision, Step::Install, Step::Configure, Step::Verify}) {
        auto ctx = d.Context();
        ASSERT_EQ(target_->RunStep(step, ctx).kind, StepResult::Kind::Done) << d.Events();
    }
    EXPECT_TRUE(d.Saw("reusing the cluster")) << d.Events();
    EXPECT_TRUE(d.Saw("configuration unchanged")) << d.Events();
    EXPECT_EQ(Port(d), port);
    EXPECT_EQ(PostmasterPid(primary), pid);

    // Re-deploy with more connections: max_connections needs a restart, and PGTune's work_mem (which
    // depends on it) only a reload; both are applied and the events say which needed what.
    const std::string work_mem_before = ConfValue(primary, "work_mem");
    d.Pg().max_connections = 60;
    d.events.clear();
    Deploy(d, true);
    EXPECT_TRUE(d.Saw("restart needed for max_connections 100 -> 60")) << d.Events();
    EXPECT_TRUE(d.Saw("reload applies work_mem " + work_mem_before + " -> ")) << d.Events();
    EXPECT_NE(ConfValue(primary, "work_mem"), work_mem_before);
    EXPECT_NE(PostmasterPid(primary), pid);  // restarted
    {
        PgConnection app(App(d, port));
        EXPECT_EQ(app.Exec("SHOW max_connections").Value(), "60");
        EXPECT_EQ(app.Exec("SELECT pg_size_bytes(current_setting('work_mem')) = pg_size_bytes($1)",
                           {ConfValue(primary, "work_mem")}).Value(), "t");
        ASSERT_TRUE(app.Exec("CREATE TABLE orders (id int PRIMARY KEY)").ok);
        ASSERT_TRUE(app.Exec("INSERT INTO orders SELECT generate_series(1, 500)").ok);
    }

    // A backup, validated by restoring it into a scratch server.
    auto ctx = d.Context();
    StepResult r = target_->Backup(ctx, true);
    ASSERT_EQ(r.kind, StepResult::Kind::Done) << r.error << "\n" << d.Events();
    const fs::path backups = temp_ / "local" / d.plan.id / "backups" / "pg-1";
    std::vector<fs::path> taken;
    for (const auto& e : fs::directory_iterator(backups)) taken.push_back(e.path());
    ASSERT_EQ(taken.size(), 1u);
    EXPECT_TRUE(fs::exists(taken[0] / "base.tar.gz"));
    EXPECT_TRUE(fs::exists(taken[0] / "backup_manifest"));
    EXPECT_TRUE(fs::exists(taken[0] / "manifest.json"));
    EXPECT_FALSE(fs::exists(temp_ / "local" / d.plan.id / "validate"));  // the scratch server is gone
    EXPECT_TRUE(d.Saw("validated")) << d.Events();
    {
        auto check_ctx = d.Context();
        const gw::deploy::Health h = target_->Check(check_ctx);
        EXPECT_TRUE(h.ok) << h.reason;
        EXPECT_EQ(h.checks["select1"], true);
        EXPECT_EQ(h.checks["last_validation"]["ok"], true);
        EXPECT_TRUE(h.checks.contains("last_backup_at"));
        EXPECT_FALSE(h.backup_due) << "the schedule (0 3 * * *) cannot have fired since the backup just taken";
    }

    // The schedule ("0 3 * * *") makes the check say a backup is due when it is: ten days later. It takes
    // none itself (the engine runs Backup as a job, orange meanwhile); that backup then removes the
    // first one, older than the 7 days of retention.
    d.now = gw::SystemNowMs() + 10LL * 86400 * 1000;
    {
        auto check_ctx = d.Context();
        const gw::deploy::Health h = target_->Check(check_ctx);
        EXPECT_TRUE(h.ok) << h.reason << "\n" << d.Events();
        ASSERT_TRUE(h.backup_due);
        EXPECT_TRUE(h.backup_due->validate);
        EXPECT_EQ(h.backup_due->why.rfind("the schedule (0 3 * * *) was due at ", 0), 0u) << h.backup_due->why;
        EXPECT_EQ(h.backup_due->why.substr(h.backup_due->why.size() - 10), "T03:00:00Z") << h.backup_due->why;
        std::size_t count = 0;
        for (const auto& e : fs::directory_iterator(backups)) count += e.is_directory();
        EXPECT_EQ(count, 1u) << "Check took a backup itself";
        auto backup_ctx = d.Context();
        r = target_->Backup(backup_ctx, h.backup_due->validate);
        ASSERT_EQ(r.kind, StepResult::Kind::Done) << r.error << "\n" << d.Events();
        auto after_ctx = d.Context();
        EXPECT_FALSE(target_->Check(after_ctx).backup_due) << "due again right after the backup";
    }
    EXPECT_TRUE(d.Saw("removed (older than 7 days)")) << d.Events();
    taken.clear();
    for (const auto& e : fs::directory_iterator(backups)) taken.push_back(e.path());
    ASSERT_EQ(taken.size(), 1u);
    d.now = 0;

    // Destroy: a final backup, then no server and no data; the backups stay. Twice is harmless.
    const pid_t last_pid = PostmasterPid(primary);
    ASSERT_GT(last_pid, 0);
    auto destroy_ctx = d.Context();
    r = target_->Destroy(destroy_ctx, true);
    ASSERT_EQ(r.kind, StepResult::Kind::Done) << r.error;
    EXPECT_TRUE(ProcessGone(last_pid)) << last_pid;
    EXPECT_FALSE(fs::exists(temp_ / "local" / d.plan.id / "pg-1"));
    std::size_t kept = 0;
    for (const auto& e : fs::directory_iterator(backups)) kept += fs::exists(e.path() / "base.tar.gz");
    EXPECT_EQ(kept, 2u);
    auto again = d.Context();
    EXPECT_EQ(target_->Destroy(again, true).kind, StepResult::Kind::Done);
    EXPECT_TRUE(target_->Connection(d.state).endpoints.empty());
}

TEST_F(LocalTargetTest, PrimaryAndReplicaReplicateByDataAndTheReplicaCanBeRemoved) {
    Deployment& d = NewPlan("p_replica", 1);
    Deploy(d);
    EXPECT_TRUE(d.Saw("replica-1: replicates")) << d.Events();
    const auto info = target_->Connection(d.state);
    ASSERT_EQ(info.endpoints.size(), 2u);
    EXPECT_EQ(info.endpoints[0].role, "primary");
    EXPECT_EQ(info.endpoints[1].role, "replica");

    // The application's own data reaches the replica, which refuses writes.
    PgConnection primary(App(d, info.endpoints[0].port));
    ASSERT_TRUE(primary.Exec("CREATE TABLE notes (body text)").ok);
    ASSERT_TRUE(primary.Exec("INSERT INTO notes VALUES ('written on the primary')").ok);
    PgConnection replica(App(d, info.endpoints[1].port));
    ASSERT_TRUE(replica.ok()) << replica.error();
    std::string seen;
    for (int i = 0; i < 300 && seen.empty(); ++i) {  // replay is asynchronous: up to 30 s on a loaded machine
        seen = replica.Exec("SELECT body FROM notes").Value();
        if (seen.empty()) usleep(100 * 1000);
    }
    EXPECT_EQ(seen, "written on the primary");
    EXPECT_FALSE(replica.Exec("INSERT INTO notes VALUES ('no')").ok);
    {
        auto ctx = d.Context();
        const gw::deploy::Health h = target_->Check(ctx);
        EXPECT_TRUE(h.ok) << h.reason;
        ASSERT_EQ(h.checks["replication_lag_bytes"].size(), 1u);
        EXPECT_GE(h.checks["replication_lag_bytes"][0].get<long long>(), 0);
    }

    // Re-deploy without replicas: the replica is stopped and dropped, with its slot.
    const pid_t replica_pid = PostmasterPid(DataDir(d, "replica-1"));
    d.Pg().topology = plan::Topology::Single;
    d.Pg().replicas = 0;
    Deploy(d, true);
    EXPECT_TRUE(d.Saw("replica-1: removed")) << d.Events();
    EXPECT_TRUE(ProcessGone(replica_pid)) << replica_pid;
    EXPECT_FALSE(fs::exists(DataDir(d, "replica-1")));
    PgConnection after(App(d, info.endpoints[0].port));  // the primary restarted (wal senders, hot standby)
    EXPECT_EQ(after.Exec("SELECT count(*) FROM pg_replication_slots").Value(), "0");
    EXPECT_EQ(target_->Connection(d.state).endpoints.size(), 1u);

    const pid_t primary_pid = PostmasterPid(DataDir(d, "primary"));
    auto ctx = d.Context();
    ASSERT_EQ(target_->Destroy(ctx, false).kind, StepResult::Kind::Done);
    EXPECT_TRUE(ProcessGone(primary_pid)) << primary_pid;
    EXPECT_FALSE(fs::exists(temp_ / "local" / d.plan.id));  // no final backup: nothing kept
}

TEST_F(LocalTargetTest, APortTakenBeforeTheServerStartsFailsWithThatReason) {
    Deployment& d = NewPlan("p_port");
    for (Step step : {Step::Render, Step::Provision, Step::Install}) {
        auto ctx = d.Context();
        ASSERT_EQ(target_->RunStep(step, ctx).kind, StepResult::Kind::Done) << d.Events();
    }
    // Someone else takes the remembered port before the server starts.
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(Port(d)));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(listen(fd, 1), 0);
    auto ctx = d.Context();
    const StepResult r = target_->RunStep(Step::Configure, ctx);
    close(fd);
    EXPECT_EQ(r.kind, StepResult::Kind::Failed);
    EXPECT_NE(r.error.find("did not start on port " + std::to_string(Port(d))), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("Address already in use"), std::string::npos) << r.error;
}

// What the machine gives: a plan whose servers' VM memory does not fit next to the other deployments', or
// that finds no free port, fails its provision step with the reason and the fix, before anything starts;
// a destroy gives the memory back, a restarted gateway counts the stored deployments again (Adopt), and
// the ports of a provision that failed part-way are not lost.
TEST_F(LocalTargetTest, TheMachinesMemoryAndPortsCapWhatPlansGetWithAClearFailedStep) {
    auto run = [](gw::deploy::Target& target, Deployment& d, Step step) {
        auto ctx = d.Context();
        return target.RunStep(step, ctx);
    };
    gw::deploy::LocalTargetOptions six_gib = options_;
    six_gib.machine_memory_bytes = std::int64_t{6} << 30;
    six_gib.memory_overcommit = 1.0;
    auto target = gw::deploy::MakeLocalTarget(six_gib);
    Deployment& a = NewPlan("p_mem_a");  // one server on a 4 GiB VM
    Deployment& b = NewPlan("p_mem_b");
    for (Deployment* d : {&a, &b}) ASSERT_EQ(run(*target, *d, Step::Render).kind, StepResult::Kind::Done) << d->Events();
    ASSERT_EQ(run(*target, a, Step::Provision).kind, StepResult::Kind::Done) << a.Events();

    StepResult refused = run(*target, b, Step::Provision);
    EXPECT_EQ(refused.kind, StepResult::Kind::Failed);
    EXPECT_NE(refused.error.find("this machine has 6.0 GiB of memory"), std::string::npos) << refused.error;
    EXPECT_NE(refused.error.find("1 other deployment takes 4.0 GiB and this plan needs 4.0 GiB for its 1 server"),
              std::string::npos) << refused.error;
    EXPECT_NE(refused.error.find("destroy a local deployment"), std::string::npos) << refused.error;
    EXPECT_EQ(target->Connection(b.state).endpoints.size(), 0u) << "no port was taken";

    {
        auto ctx = a.Context();
        ASSERT_EQ(target->Destroy(ctx, false).kind, StepResult::Kind::Done);
    }
    ASSERT_EQ(run(*target, b, Step::Provision).kind, StepResult::Kind::Done) << b.Events();
    EXPECT_EQ(b.state.value("memory_bytes", std::int64_t{0}), std::int64_t{4} << 30);
    target.reset();

    // The next gateway process counts b from its stored state before any new plan is provisioned.
    auto restarted = gw::deploy::MakeLocalTarget(six_gib);
    EXPECT_TRUE(restarted->Adopt("p_mem_b", b.state).empty());
    ASSERT_EQ(run(*restarted, a, Step::Render).kind, StepResult::Kind::Done);
    EXPECT_EQ(run(*restarted, a, Step::Provision).kind, StepResult::Kind::Failed);
    restarted.reset();

    // One port for a primary and a replica: the step fails saying so, and the one port it did take is not
    // lost (a single server fits afterwards).
    gw::deploy::LocalTargetOptions one_port = options_;
    one_port.port_first = one_port.port_last = options_.port_first + 19;
    auto narrow = gw::deploy::MakeLocalTarget(one_port);
    Deployment& pair = NewPlan("p_pair", 1);
    Deployment& single = NewPlan("p_single");
    for (Deployment* d : {&pair, &single}) ASSERT_EQ(run(*narrow, *d, Step::Render).kind, StepResult::Kind::Done);
    refused = run(*narrow, pair, Step::Provision);
    EXPECT_EQ(refused.kind, StepResult::Kind::Failed);
    EXPECT_NE(refused.error.find("no free port between " + std::to_string(one_port.port_first)), std::string::npos)
        << refused.error;
    EXPECT_NE(refused.error.find("destroy one to free its ports"), std::string::npos) << refused.error;
    EXPECT_EQ(run(*narrow, single, Step::Provision).kind, StepResult::Kind::Done) << single.Events();
}

// Two gateways on one host draw ports from the same range: a port reserved by one PortLocks is never
// handed out by another, in this process or in another one, and a dead holder's ports come back.
TEST(LocalPortLocks, TwoInstancesAndTwoProcessesNeverHandOutTheSamePort) {
    char pattern[] = "/tmp/cs-portlocks-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    const std::string dir = std::string(pattern) + "/locks";  // created by the first Reserve
    // A block of 6 ports from a range no other test uses (28000-28399), below the ephemeral range.
    const int first = 28000 + static_cast<int>(getpid() % 50) * 8;
    const int last = first + 5;

    std::set<int> handed;
    {
        gw::deploy::local::PortLocks a(dir, first, last);
        gw::deploy::local::PortLocks b(dir, first, last);
        for (int i = 0; i < 3; ++i) {
            const int pa = a.Reserve({});
            const int pb = b.Reserve({});
            ASSERT_NE(pa, 0);
            ASSERT_NE(pb, 0);
            EXPECT_TRUE(handed.insert(pa).second) << pa << " handed out twice";
            EXPECT_TRUE(handed.insert(pb).second) << pb << " handed out twice";
        }
        EXPECT_EQ(a.Reserve({}), 0);  // all six are held, three by each
        EXPECT_EQ(b.Reserve({}), 0);
        const int back = *handed.begin();
        (a.Holds(back) ? a : b).Release(back);
        EXPECT_EQ((a.Holds(back) ? b : a).Reserve({}), back) << "a released port is free again";
    }  // both destroyed: every lock released

    // Another process holds the lowest port: this one never gets it, and gets it once that process is gone.
    int to_parent[2];
    int to_child[2];
    ASSERT_EQ(pipe(to_parent), 0);
    ASSERT_EQ(pipe(to_child), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        gw::deploy::local::PortLocks other(dir, first, last);
        const int port = other.Reserve({});
        (void)!write(to_parent[1], &port, sizeof port);
        char go;
        (void)!read(to_child[0], &go, 1);  // hold the port until the parent has tried
        _exit(0);
    }
    int theirs = 0;
    ASSERT_EQ(read(to_parent[0], &theirs, sizeof theirs), static_cast<ssize_t>(sizeof theirs));
    EXPECT_EQ(theirs, first);
    gw::deploy::local::PortLocks mine(dir, first, last);
    std::set<int> ours;
    for (int port; (port = mine.Reserve({})) != 0;) ours.insert(port);
    EXPECT_EQ(ours.size(), 5u);
    EXPECT_EQ(ours.count(theirs), 0u) << "a port held by another process was handed out";
    (void)!write(to_child[1], "x", 1);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    EXPECT_EQ(mine.Reserve({}), theirs) << "the kernel drops a dead process's locks";

    // A port someone bound without the lock (another program, or a server an earlier run started) is skipped.
    gw::deploy::local::PortLocks fresh(dir, first, last);
    EXPECT_EQ(fresh.Reserve({}), 0);  // `mine` still holds all six
    for (int port : ours) mine.Release(port);
    mine.Release(theirs);
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(first));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(listen(fd, 1), 0);
    EXPECT_EQ(fresh.Reserve({}), first + 1);
    // Acquire takes one known port back (a stored deployment's, Target::Adopt) whether or not its server
    // runs now, and refuses a port another holder locked.
    EXPECT_EQ(fresh.Acquire(first), "");
    EXPECT_TRUE(fresh.Holds(first));
    EXPECT_EQ(fresh.Acquire(first), "") << "holding it already is fine";
    gw::deploy::local::PortLocks late(dir, first, last);
    const std::string refused = late.Acquire(first + 1);
    EXPECT_NE(refused.find("locked by another process"), std::string::npos) << refused;
    EXPECT_FALSE(late.Holds(first + 1));
    close(fd);
    struct stat st{};
    ASSERT_EQ(stat(dir.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 01777) << "gateways of other users share the folder";
    fs::remove_all(pattern);
}

}  // namespace

namespace {

// What every program the local target starts (and so every postmaster) inherits: the allowlist only.
TEST(LocalChildEnvironment, KeepsOnlyTheAllowlistAndWhatTheCallerSets) {
    std::vector<std::string> parent_store = {
        "PATH=/usr/bin:/bin", "LANG=C.UTF-8", "LC_MESSAGES=C", "TZ=UTC", "TMPDIR=/tmp", "HOME=/root",
        "AWS_SECRET_ACCESS_KEY=aws-secret", "AWS_ACCESS_KEY_ID=AKIA0000", "CS_SMTP_PASSWORD=smtp-secret",
        "PGPASSWORD=operators-own", "PGHOST=elsewhere.example.com", "NOT_AN_ASSIGNMENT"};
    std::vector<char*> parent;
    for (std::string& e : parent_store) parent.push_back(e.data());
    parent.push_back(nullptr);

    gw::deploy::local::RunAs as_postgres{true, 101, 102, "postgres", "/var/lib/postgresql"};
    const auto env = gw::deploy::local::ChildEnvironment(parent.data(), as_postgres, {"PGPASSWORD=derived"});
    const std::vector<std::string> want = {"PATH=/usr/bin:/bin", "LANG=C.UTF-8", "LC_MESSAGES=C", "TZ=UTC",
                                           "TMPDIR=/tmp", "HOME=/var/lib/postgresql", "PGPASSWORD=derived"};
    EXPECT_EQ(env, want);

    // Not changing user: the gateway's own HOME stays; no PATH at all gets a default one.
    gw::deploy::local::RunAs same_user;
    char* no_path[] = {parent_store[5].data(), parent_store[6].data(), nullptr};
    const auto bare = gw::deploy::local::ChildEnvironment(no_path, same_user, {});
    EXPECT_EQ(bare, (std::vector<std::string>{"HOME=/root", "PATH=/usr/local/bin:/usr/bin:/bin"}));
}

}  // namespace
