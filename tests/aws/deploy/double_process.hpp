#pragma once
// Starts tests/aws/double/aws_test_double.mjs (the AWS test double) on a free port, reads the port it
// prints, and stops it (by its pid) when destroyed. Also a tiny HTTP helper for its /__double/ control API.
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace gw::aws::test {

inline constexpr const char* kDoubleKeyId = "AKIDTESTDOUBLE0001";
inline constexpr const char* kDoubleSecret = "c2VjcmV0LXRlc3QtZG91YmxlLWtleS0wMDAx";
inline constexpr const char* kProfileKeyId = "AKIDTESTDOUBLE0002";
inline constexpr const char* kProfileSecret = "cHJvZmlsZS1zZWNyZXQta2V5LTAwMDAwMDAy";

class DoubleProcess {
public:
    DoubleProcess() {
        int out[2];
        if (pipe(out) != 0) throw std::runtime_error("pipe");
        pid_ = fork();
        if (pid_ == 0) {
            dup2(out[1], 1);
            close(out[0]);
            close(out[1]);
            const std::string script = std::string(CS_AWS_TEST_DIR) + "/double/aws_test_double.mjs";
            const std::string k1 = std::string(kDoubleKeyId) + ":" + kDoubleSecret;
            const std::string k2 = std::string(kProfileKeyId) + ":" + kProfileSecret;
            execl(CS_NODE, "node", script.c_str(), "--key", k1.c_str(), "--key", k2.c_str(), nullptr);
            _exit(127);
        }
        close(out[1]);
        std::string line;
        char c;
        while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
        close(out[0]);
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (!j.is_object() || !j.contains("port")) throw std::runtime_error("the AWS test double did not start: " + line);
        port_ = j["port"].get<int>();
    }
    ~DoubleProcess() {
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            waitpid(pid_, nullptr, 0);
        }
    }
    int port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

    nlohmann::json Control(const std::string& method, const std::string& what, const nlohmann::json& body = {}) const {
        httplib::Client cli("127.0.0.1", port_);
        cli.set_read_timeout(30, 0);
        auto res = method == "GET" ? cli.Get("/__double/" + what)
                                   : cli.Post("/__double/" + what, body.dump(), "application/json");
        if (!res) throw std::runtime_error("control call failed: " + what);
        return nlohmann::json::parse(res->body);
    }

private:
    pid_t pid_ = -1;
    int port_ = 0;
};

}  // namespace gw::aws::test
