#pragma once
// A real httplib server on 127.0.0.1 and an ephemeral port, for test doubles. Stopped and joined on destruction.
#include <httplib.h>

#include <chrono>
#include <string>
#include <thread>

namespace gw::aws::test {

class LocalServer {
public:
    LocalServer() = default;
    LocalServer(const LocalServer&) = delete;
    LocalServer& operator=(const LocalServer&) = delete;
    ~LocalServer() { Stop(); }

    httplib::Server& server() { return server_; }

    // Binds 127.0.0.1:0 and serves on a thread. Returns false when it cannot bind.
    bool Start() {
        server_.set_tcp_nodelay(true);  // small replies written in pieces would otherwise wait on delayed ACKs
        port_ = server_.bind_to_any_port("127.0.0.1");
        if (port_ <= 0) return false;
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return true;
    }
    void Stop() {
        server_.stop();
        if (thread_.joinable()) thread_.join();
    }
    int port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    std::string host() const { return "127.0.0.1:" + std::to_string(port_); }

private:
    httplib::Server server_;
    std::thread thread_;
    int port_ = 0;
};

}  // namespace gw::aws::test
