#pragma once
// A real gateway in this process: temp data dir, a tiny site dir, an ephemeral loopback port, a clock the
// test can move, and the log captured in memory. Clients are httplib::Client, as a browser would be.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "server.hpp"

namespace gw::test {

using nlohmann::json;

// A fresh folder under the system temp dir, removed on destruction.
class TempDir {
public:
    TempDir() {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() / ("cs-gw-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

inline void WriteFile(const std::filesystem::path& file, const std::string& content) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
}

// Parses a response body as JSON; null when it is not JSON.
inline json Body(const httplib::Result& r) {
    if (!r) return nullptr;
    return json::parse(r->body, nullptr, false);
}

class GatewayTest : public ::testing::Test {
protected:
    // Override to change settings before the server starts.
    virtual void Configure(Config& config) { (void)config; }
    // Override to register deploy targets (e.g. a FakeTargetTestDouble) before the engine starts.
    virtual void RegisterTargets(deploy::Engine& engine) { (void)engine; }

    void SetUp() override {
        site_dir_ = data_.path() / "site";
        WriteFile(site_dir_ / "index.html", "<!doctype html><title>CloudSketch</title><script src=app.js></script>\n");
        WriteFile(site_dir_ / "app.js", std::string(4000, ' ') + "console.log('cloudsketch');\n");
        std::string wasm("\0asm\1\0\0\0", 8);
        wasm += std::string(20000, '\0');  // compresses well, like real wasm mostly does
        WriteFile(site_dir_ / "app.wasm", wasm);
        WriteFile(site_dir_ / "assets" / "logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>");
        WriteFile(data_.path() / "secret.txt", "outside the site");

        config_.bind = "127.0.0.1";
        config_.port = 0;
        config_.data_dir = (data_.path() / "data").string();
        config_.site_dir = site_dir_.string();
        // Tests sign up many accounts from 127.0.0.1; the sign-up limit has its own tests (auth_test.cpp).
        config_.signups_per_network_per_hour = 1000;
        Configure(config_);
        StartGateway();
    }

    // Starts the gateway on config_ (SetUp does); after StopGateway, a second run on the same data folder.
    void StartGateway() {
        GatewayOptions options;
        options.clock = [this] { return now_.load(); };
        options.register_targets = [this](deploy::Engine& engine) { RegisterTargets(engine); };
        options.log_sink = [this](const std::string& line) {
            std::lock_guard lock(log_mutex_);
            log_lines_.push_back(line);
        };
        std::string error;
        gateway_ = Gateway::Create(config_, error, options);
        ASSERT_TRUE(gateway_) << error;
        port_ = gateway_->Bind();
        ASSERT_GT(port_, 0);
        thread_ = std::thread([this] { gateway_->Serve(); });
    }

    void TearDown() override { StopGateway(); }

    // Stops the server and the deploy engine and destroys the gateway, as the end of its process would.
    void StopGateway() {
        if (gateway_) gateway_->Stop();
        if (thread_.joinable()) thread_.join();
        gateway_.reset();
    }

    httplib::Client Client() const {
        httplib::Client client("127.0.0.1", port_);
        client.set_connection_timeout(5);
        client.set_read_timeout(10);
        return client;
    }

    httplib::Headers Auth(const std::string& token) const { return {{"Authorization", "Bearer " + token}}; }

    httplib::Result PostJson(const std::string& path, const json& body, const std::string& token = "") {
        auto client = Client();
        return client.Post(path.c_str(), token.empty() ? httplib::Headers{} : Auth(token), body.dump(),
                           "application/json");
    }
    httplib::Result PutJson(const std::string& path, const json& body, const std::string& token) {
        auto client = Client();
        return client.Put(path.c_str(), Auth(token), body.dump(), "application/json");
    }
    httplib::Result Get(const std::string& path, const std::string& token = "") {
        auto client = Client();
        return client.Get(path.c_str(), token.empty() ? httplib::Headers{} : Auth(token));
    }
    httplib::Result Delete(const std::string& path, const std::string& token) {
        auto client = Client();
        return client.Delete(path.c_str(), Auth(token));
    }

    // Signs up the way a person does and returns the session token (fails the test otherwise): the first
    // account of a gateway without a mail server is made at once (201); any other answers 202 and mails a
    // link, which this follows from the outbox (POST /v1/auth/verify).
    std::string SignUp(const std::string& email, const std::string& password = "correct-horse-42") {
        const std::size_t mails_before = OutboxMailsTo(email).size();
        auto r = PostJson("/v1/auth/signup", {{"email", email}, {"password", password}});
        EXPECT_TRUE(r);
        if (!r) return "";
        if (r->status == 201) return Body(r).value("token", "");
        EXPECT_EQ(r->status, 202) << r->body;
        const std::string token = SignupLinkToken(WaitForOutboxMail(email, mails_before));
        EXPECT_FALSE(token.empty()) << "no sign-up link mailed to " << email;
        auto verified = PostJson("/v1/auth/verify", {{"token", token}});
        EXPECT_TRUE(verified);
        if (!verified) return "";
        EXPECT_EQ(verified->status, 201) << verified->body;
        return Body(verified).value("token", "");
    }

    // The gateway's outbox (<data_dir>/mail/outbox, where mail goes without an SMTP server).
    std::filesystem::path Outbox() const { return std::filesystem::path(config_.data_dir) / "mail" / "outbox"; }

    // The texts of the mails in the outbox addressed to `email`, oldest first.
    std::vector<std::string> OutboxMailsTo(const std::string& email) const {
        std::vector<std::filesystem::path> files;
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator(Outbox(), ec)) {
            if (entry.path().extension() == ".eml") files.push_back(entry.path());
        }
        std::sort(files.begin(), files.end());  // names start with the UTC time
        std::vector<std::string> mails;
        for (const auto& file : files) {
            std::ifstream in(file, std::ios::binary);
            std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            if (text.find("\r\nTo: <" + email + ">\r\n") != std::string::npos) mails.push_back(text);
        }
        return mails;
    }

    // The newest mail to `email` once there are more than `before` (the mail queue sends on its own thread);
    // "" after 10 s.
    std::string WaitForOutboxMail(const std::string& email, std::size_t before) const {
        for (int i = 0; i < 1000; ++i) {
            auto mails = OutboxMailsTo(email);
            if (mails.size() > before) return mails.back();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return "";
    }

    // The one-time token of the "#verify/<token>" link in a mail; "" when it has none.
    static std::string SignupLinkToken(const std::string& mail) {
        const auto at = mail.find("/#verify/");
        if (at == std::string::npos) return "";
        const auto begin = at + 9;
        const auto end = mail.find_first_of("\r\n", begin);
        return mail.substr(begin, end - begin);
    }

    std::vector<std::string> LogLines() {
        std::lock_guard lock(log_mutex_);
        return log_lines_;
    }

    void AdvanceClock(TimeMs ms) { now_ += ms; }

    TempDir data_;
    std::filesystem::path site_dir_;
    Config config_;
    std::unique_ptr<Gateway> gateway_;
    int port_ = -1;
    std::thread thread_;
    std::atomic<TimeMs> now_{SystemNowMs()};
    std::mutex log_mutex_;
    std::vector<std::string> log_lines_;
};

}  // namespace gw::test
