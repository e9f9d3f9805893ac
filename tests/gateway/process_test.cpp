// The built cs-gateway binary as an operator runs it: --port 0 prints the port, data survives a SIGTERM
// and a restart on the same data dir, bad config exits 2.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>

#include "gateway_fixture.hpp"

extern char** environ;

namespace gw::test {
namespace {

// One cs-gateway process: stdout piped (for the startup line), stderr to a file; killed by PID if a test
// ends without stopping it.
class GatewayProcess {
public:
    explicit GatewayProcess(std::vector<std::string> args, const std::filesystem::path& stderr_file) {
        args.insert(args.begin(), CS_GATEWAY_BIN);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        int out[2];
        if (pipe(out) != 0) return;
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
        posix_spawn_file_actions_addclose(&actions, out[0]);
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
        posix_spawn_file_actions_destroy(&actions);
        close(out[1]);
        stdout_fd_ = out[0];
    }
    ~GatewayProcess() {
        if (pid_ > 0) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        if (stdout_fd_ >= 0) close(stdout_fd_);
    }

    // The first stdout line, or "" after `timeout` / end of output.
    std::string ReadLine(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        std::string line;
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            pollfd p{stdout_fd_, POLLIN, 0};
            if (poll(&p, 1, 100) <= 0) continue;
            char c;
            if (read(stdout_fd_, &c, 1) != 1) break;
            if (c == '\n') return line;
            line += c;
        }
        return "";
    }

    // Sends SIGTERM and returns the exit status (-1 if it did not exit within 10 s or was killed).
    int Terminate() {
        kill(pid_, SIGTERM);
        return Wait();
    }
    int Wait() {
        int status = 0;
        for (int i = 0; i < 100; ++i) {
            if (waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return -1;
    }

private:
    pid_t pid_ = -1;
    int stdout_fd_ = -1;
};

int PortFrom(const std::string& line) {
    std::smatch m;
    if (!std::regex_match(line, m, std::regex(R"(CloudSketch gateway listening on http://127\.0\.0\.1:(\d+))"))) return -1;
    return std::stoi(m[1].str());
}

TEST(ProcessTest, PlansSurviveARestart) {
    TempDir dir;
    const std::vector<std::string> args = {"--port", "0", "--bind", "127.0.0.1", "--data-dir", (dir.path() / "data").string(),
                                           "--site-dir", (dir.path() / "site").string()};
    std::string plan_id;
    {
        GatewayProcess first(args, dir.path() / "stderr-1.log");
        const std::string line = first.ReadLine();
        const int port = PortFrom(line);
        ASSERT_GT(port, 0) << "startup line: " << line;
        httplib::Client client("127.0.0.1", port);
        auto signup = client.Post("/v1/auth/signup", json{{"email", "proc@example.com"}, {"password", "restart-me-123"}}.dump(),
                                  "application/json");
        ASSERT_TRUE(signup);
        ASSERT_EQ(signup->status, 201) << signup->body;
        const std::string token = json::parse(signup->body)["token"];
        auto created = client.Post("/v1/plan/", {{"Authorization", "Bearer " + token}},
                                   json{{"name", "survivor \xE2\x9C\x93"}}.dump(), "application/json");
        ASSERT_TRUE(created);
        ASSERT_EQ(created->status, 201) << created->body;
        plan_id = json::parse(created->body)["id"];
        EXPECT_EQ(first.Terminate(), 0);  // SIGTERM is a clean shutdown
    }
    {
        GatewayProcess second(args, dir.path() / "stderr-2.log");
        const int port = PortFrom(second.ReadLine());
        ASSERT_GT(port, 0);
        httplib::Client client("127.0.0.1", port);
        auto login = client.Post("/v1/auth/login", json{{"email", "proc@example.com"}, {"password", "restart-me-123"}}.dump(),
                                 "application/json");
        ASSERT_TRUE(login);
        ASSERT_EQ(login->status, 200) << login->body;
        const std::string token = json::parse(login->body)["token"];
        auto list = client.Get("/v1/plan/", {{"Authorization", "Bearer " + token}});
        ASSERT_TRUE(list);
        json items = json::parse(list->body)["items"];
        ASSERT_EQ(items.size(), 1u);
        EXPECT_EQ(items[0]["id"], plan_id);
        EXPECT_EQ(items[0]["name"], "survivor \xE2\x9C\x93");
        auto got = client.Get(("/v1/plan/" + plan_id).c_str(), {{"Authorization", "Bearer " + token}});
        ASSERT_TRUE(got);
        EXPECT_EQ(got->status, 200);
        EXPECT_EQ(second.Terminate(), 0);
    }
    // The access log went to stderr as JSON lines.
    std::ifstream log(dir.path() / "stderr-1.log");
    std::string first_line;
    std::getline(log, first_line);
    EXPECT_TRUE(json::parse(first_line, nullptr, false).is_object()) << first_line;
}

TEST(ProcessTest, BadConfigExitsWith2) {
    TempDir dir;
    GatewayProcess bad({"--port", "not-a-port"}, dir.path() / "stderr.log");
    EXPECT_EQ(bad.Wait(), 2);
    std::ifstream err(dir.path() / "stderr.log");
    std::string message((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
    EXPECT_NE(message.find("port"), std::string::npos) << message;
}

}  // namespace
}  // namespace gw::test
