// cs-gateway: reads the config, opens the store, serves until SIGINT/SIGTERM.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <pthread.h>
#include <unistd.h>
#include <thread>

#include "config.hpp"
#include "server.hpp"

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const gw::ConfigOutcome loaded = gw::LoadConfig(args, [](const char* name) { return std::getenv(name); });
    if (loaded.help) {
        std::fputs(gw::Usage().c_str(), stdout);
        return 0;
    }
    if (!loaded.config) {
        std::fprintf(stderr, "cs-gateway: bad configuration: %s\n", loaded.error.c_str());
        return 2;
    }
    const gw::Config& config = *loaded.config;

    // Signals are taken by one thread with sigwait, so they never interrupt a request thread and Stop()
    // runs in ordinary code. Blocked before any thread starts so every thread inherits the mask.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not end the process

    std::string error;
    auto gateway = gw::Gateway::Create(config, error);
    if (!gateway) {
        std::fprintf(stderr, "cs-gateway: %s\n", error.c_str());
        return 1;
    }
    if (gateway->Bind() < 0) {
        std::fprintf(stderr, "cs-gateway: %s\n", gateway->bind_error().c_str());
        return 1;
    }
    gateway->log().Info("start", {{"bind", config.bind},
                                  {"port", gateway->port()},
                                  {"data_dir", config.data_dir},
                                  {"site_dir", config.site_dir},
                                  {"config_file", loaded.source}});
    std::printf("CloudSketch gateway listening on http://%s:%d\n", config.bind.c_str(), gateway->port());
    std::fflush(stdout);

    std::thread waiter([&] {
        int signal_number = 0;
        sigwait(&signals, &signal_number);
        gateway->log().Info("stop", {{"signal", signal_number}});
        gateway->Stop();
    });
    const bool served = gateway->Serve();
    if (waiter.joinable()) {
        // If Serve() ended without a signal (it failed), wake the waiter; after a signal this one stays
        // pending and blocked, which is harmless as the process is ending.
        kill(getpid(), SIGTERM);
        waiter.join();
    }
    gateway.reset();  // closes the database cleanly
    return served ? 0 : 1;
}
