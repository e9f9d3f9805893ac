#pragma once
// A throwaway Debian PostgreSQL for the monitor's check (deploy/aws/pg_check.cpp): its own initdb in a temp
// folder, listening on 127.0.0.1:<free port> with TLS on (a self-signed certificate made here with the
// openssl tool), scram-sha-256 for TCP logins, one application role and database, connection logging on so a
// test can see how the gateway logged in. Runs as the "postgres" user when the test runs as root (initdb
// refuses root). The postmaster is this process's child and is stopped by its pid.
#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace gw::aws::test {

class TlsPostgresForTest {
public:
    TlsPostgresForTest(const std::string& role, const std::string& password) {
        namespace fs = std::filesystem;
        bin_ = FindBin();
        static int counter = 0;
        dir_ = fs::temp_directory_path() / ("cs-aws-pg-" + std::to_string(getpid()) + "-" + std::to_string(++counter));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        if (geteuid() == 0) {
            const passwd* pw = getpwnam("postgres");
            if (pw == nullptr) throw std::runtime_error("no 'postgres' user (Debian's postgresql package makes it: scripts/deps)");
            uid_ = pw->pw_uid;
            gid_ = pw->pw_gid;
            if (chown(dir_.c_str(), uid_, gid_) != 0) throw std::runtime_error("chown " + dir_.string());
        }
        const std::string crt = (dir_ / "server.crt").string(), key = (dir_ / "server.key").string();
        Run({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", key, "-out", crt, "-days", "1", "-subj", "/CN=127.0.0.1"});
        chmod(key.c_str(), 0600);  // PostgreSQL refuses a key others can read
        Run({bin_ + "/initdb", "-D", Data(), "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256",
             "--no-sync", "-E", "UTF8", "--locale=C"});
        std::ofstream(Data() + "/pg_hba.conf") << "local all all trust\n"
                                                   "hostssl all all 127.0.0.1/32 scram-sha-256\n"
                                                   "host all all 127.0.0.1/32 scram-sha-256\n";
        for (int attempt = 0; attempt < 3 && pid_ <= 0; ++attempt) {
            port_ = FreePort();
            std::ofstream(Data() + "/postgresql.auto.conf")
                << "listen_addresses = '127.0.0.1'\nport = " << port_ << "\nunix_socket_directories = '" << dir_.string()
                << "'\nssl = on\nssl_cert_file = '" << crt << "'\nssl_key_file = '" << key
                << "'\nfsync = off\nmax_connections = 10\nshared_buffers = 16MB\nlog_connections = on\n";
            Start();
        }
        if (pid_ <= 0) throw std::runtime_error("PostgreSQL did not start:\n" + Log());
        PGconn* c = Superuser();
        char* lit = PQescapeLiteral(c, password.c_str(), password.size());
        char* ident = PQescapeIdentifier(c, role.c_str(), role.size());
        const std::string sql = std::string("CREATE ROLE ") + ident + " LOGIN PASSWORD " + lit + "; CREATE DATABASE " +
                                ident + " OWNER " + ident;
        PQfreemem(lit);
        PQfreemem(ident);
        for (const std::string& one : {sql.substr(0, sql.find("; ")), sql.substr(sql.find("; ") + 2)}) {
            PGresult* r = PQexec(c, one.c_str());
            const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
            PQclear(r);
            if (!ok) {
                const std::string why = PQerrorMessage(c);
                PQfinish(c);
                throw std::runtime_error("setting up the role: " + why);
            }
        }
        PQfinish(c);
    }

    ~TlsPostgresForTest() {
        if (pid_ > 0) {
            kill(pid_, SIGINT);  // fast shutdown
            for (int i = 0; i < 200 && waitpid(pid_, nullptr, WNOHANG) == 0; ++i) usleep(50 * 1000);
            if (kill(pid_, 0) == 0) {
                kill(pid_, SIGKILL);
                waitpid(pid_, nullptr, 0);
            }
        }
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    int port() const { return port_; }
    std::string Log() const {
        std::ifstream in(dir_ / "postgres.log");
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }

    // Turns TLS on or off (ALTER SYSTEM + reload) and waits until new connections see it.
    void SetSsl(bool on) {
        PGconn* c = Superuser();
        PQclear(PQexec(c, on ? "ALTER SYSTEM SET ssl = on" : "ALTER SYSTEM SET ssl = off"));
        PQclear(PQexec(c, "SELECT pg_reload_conf()"));
        PQfinish(c);
        const std::string want = on ? "on" : "off";
        std::string seen;
        for (const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
             std::chrono::steady_clock::now() < until;) {
            PGconn* s = Superuser();
            PGresult* r = PQexec(s, "SHOW ssl");
            seen = PQresultStatus(r) == PGRES_TUPLES_OK ? PQgetvalue(r, 0, 0) : PQerrorMessage(s);
            PQclear(r);
            PQfinish(s);
            if (seen == want) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        throw std::runtime_error("ssl did not become " + want + " after a reload; SHOW ssl said " + seen);
    }

private:
    std::string Data() const { return (dir_ / "data").string(); }

    static std::string FindBin() {
        for (const auto& e : std::filesystem::directory_iterator("/usr/lib/postgresql")) {
            if (std::filesystem::exists(e.path() / "bin" / "initdb")) return (e.path() / "bin").string();
        }
        throw std::runtime_error("no PostgreSQL under /usr/lib/postgresql/*/bin (apt-get install postgresql: scripts/deps)");
    }

    static int FreePort() {
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
        getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
        close(fd);
        return ntohs(a.sin_port);
    }

    // fork + (drop to postgres) + exec, output appended to postgres.log (background) or setup.log.
    pid_t Spawn(const std::vector<std::string>& argv, bool background) {
        const std::string log = (dir_ / (background ? "postgres.log" : "setup.log")).string();
        const pid_t pid = fork();
        if (pid == 0) {
            if (uid_ != 0 && (setgroups(0, nullptr) != 0 || setgid(gid_) != 0 || setuid(uid_) != 0)) _exit(126);
            const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
            dup2(fd, 1);
            dup2(fd, 2);
            std::vector<char*> args;
            for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
            args.push_back(nullptr);
            execv(args[0], args.data());
            _exit(127);
        }
        return pid;
    }

    void Run(const std::vector<std::string>& argv) {
        int status = 0;
        waitpid(Spawn(argv, false), &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            std::ifstream in(dir_ / "setup.log");
            std::stringstream ss;
            ss << in.rdbuf();
            throw std::runtime_error(argv[0] + " failed:\n" + ss.str());
        }
    }

    // Starts the postmaster and waits until it answers on its socket; pid_ stays 0 if it exited (port taken).
    void Start() {
        const pid_t pid = Spawn({bin_ + "/postgres", "-D", Data()}, true);
        const std::string port = std::to_string(port_), socket_dir = dir_.string();
        const char* keys[] = {"host", "port", "dbname", nullptr};
        const char* values[] = {socket_dir.c_str(), port.c_str(), "postgres", nullptr};
        for (const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
             std::chrono::steady_clock::now() < until;) {
            if (waitpid(pid, nullptr, WNOHANG) == pid) return;
            if (PQpingParams(keys, values, 0) == PQPING_OK) {
                pid_ = pid;
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
    }

    PGconn* Superuser() const {
        const std::string port = std::to_string(port_), socket_dir = dir_.string();
        const char* keys[] = {"host", "port", "dbname", "user", nullptr};
        const char* values[] = {socket_dir.c_str(), port.c_str(), "postgres", "postgres", nullptr};
        PGconn* c = PQconnectdbParams(keys, values, 0);
        if (PQstatus(c) != CONNECTION_OK) {
            const std::string why = PQerrorMessage(c);
            PQfinish(c);
            throw std::runtime_error("superuser connection: " + why);
        }
        return c;
    }

    std::filesystem::path dir_;
    std::string bin_;
    uid_t uid_ = 0;
    gid_t gid_ = 0;
    pid_t pid_ = 0;
    int port_ = 0;
};

}  // namespace gw::aws::test
