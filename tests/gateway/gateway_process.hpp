#pragma once
// The built cs-gateway binary run as a child process, for process-level tests (process_test.cpp,
// deploy_process_test.cpp).
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

    // SIGKILL, as a crash or an OOM kill would: nothing runs after it. Returns once the process is gone.
    void Kill() {
        if (pid_ <= 0) return;
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }

    // Sends SIGTERM and returns the exit status (-1 if it did not exit within 30 s or was killed).
    int Terminate() {
        kill(pid_, SIGTERM);
        return Wait();
    }
    int Wait() {
        int status = 0;
        for (int i = 0; i < 300; ++i) {
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

inline int PortFrom(const std::string& line) {
    std::smatch m;
    if (!std::regex_match(line, m, std::regex(R"(CloudSketch gateway listening on http://127\.0\.0\.1:(\d+))"))) return -1;
    return std::stoi(m[1].str());
}

}  // namespace gw::test
