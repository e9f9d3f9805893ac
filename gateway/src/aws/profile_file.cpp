// Shared config and credentials files (~/.aws/config, ~/.aws/credentials).
// https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html
#include <fstream>
#include <sstream>

#include "aws/credentials.hpp"

namespace gw::aws {
namespace {

std::string_view Trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string_view::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

std::string EnvOr(const Env& env, std::string_view key, std::string fallback) {
    const auto it = env.find(key);
    return it == env.end() || it->second.empty() ? fallback : it->second;
}

// "~/x" -> "$HOME/x"; "" when HOME is needed but unset.
std::string ExpandHome(const Env& env, std::string path) {
    if (!path.starts_with("~/")) return path;
    const std::string home = EnvOr(env, "HOME", "");
    return home.empty() ? "" : home + path.substr(1);
}

std::optional<std::string> ReadWholeFile(const std::string& path) {
    if (path.empty()) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Wipes a file's text after parsing: it held secrets.
void WipeString(std::string& s) {
    Wipe(s.data(), s.size());
    s.clear();
}

}  // namespace

IniSections ParseIni(std::string_view text) {
    IniSections out;
    std::string section;
    bool in_section = false;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        std::string_view line = Trim(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        if (line.empty() || line.front() == '#' || line.front() == ';') continue;
        if (line.front() == '[') {
            const auto close = line.find(']');
            in_section = close != std::string_view::npos;
            if (in_section) {
                section = std::string(Trim(line.substr(1, close - 1)));
                out[section];
            }
            continue;
        }
        const auto eq = line.find('=');
        if (!in_section || eq == std::string_view::npos) continue;  // keys outside a section, or sub-properties
        std::string_view value = Trim(line.substr(eq + 1));
        // An inline comment needs whitespace before it: "key = a#b" keeps the '#'.
        for (const char* marker : {" #", " ;", "\t#", "\t;"}) {
            if (const auto at = value.find(marker); at != std::string_view::npos) value = Trim(value.substr(0, at));
        }
        out[section][std::string(Trim(line.substr(0, eq)))] = std::string(value);
    }
    return out;
}

std::optional<std::map<std::string, std::string>> LoadProfile(const Env& env, const std::string& name) {
    std::optional<std::map<std::string, std::string>> merged;
    auto merge = [&](const IniSections& file, const std::string& section) {
        const auto it = file.find(section);
        if (it == file.end()) return;
        if (!merged) merged.emplace();
        for (const auto& [k, v] : it->second) (*merged)[k] = v;  // later files win
    };
    if (auto text = ReadWholeFile(ExpandHome(env, EnvOr(env, "AWS_CONFIG_FILE", "~/.aws/config")))) {
        const IniSections config = ParseIni(*text);
        WipeString(*text);
        merge(config, name == "default" ? "default" : "profile " + name);
        if (name == "default" && !merged) merge(config, "profile default");
    }
    if (auto text = ReadWholeFile(ExpandHome(env, EnvOr(env, "AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials")))) {
        const IniSections credentials = ParseIni(*text);
        WipeString(*text);
        merge(credentials, name);
    }
    return merged;
}

Result<Credentials> ProfileCredentialsProvider::Get() {
    const auto explicit_profile = env_.find("AWS_PROFILE");
    const bool named = explicit_profile != env_.end() && !explicit_profile->second.empty();
    const std::string name = named ? explicit_profile->second : "default";
    auto profile = LoadProfile(env_, name);
    if (!profile) {
        if (named) return MakeError(kErrInvalidArgument, "AWS_PROFILE names profile '" + name + "', which is in neither shared file");
        return MakeError(kErrCredentialsNotFound, "shared files: no [default] profile");
    }
    auto& p = *profile;
    const bool has_id = !p["aws_access_key_id"].empty(), has_secret = !p["aws_secret_access_key"].empty();
    Result<Credentials> out = MakeError(kErrCredentialsNotFound, "shared files: profile '" + name + "' has no static keys");
    if (has_id && has_secret) {
        Credentials c;
        c.access_key_id = p["aws_access_key_id"];
        c.secret_access_key = SecretString(p["aws_secret_access_key"]);
        if (!p["aws_session_token"].empty()) c.session_token = SecretString(p["aws_session_token"]);
        c.source = "profile:" + name;
        out = std::move(c);
    } else if (has_id || has_secret) {
        out = MakeError(kErrInvalidArgument, "shared files: profile '" + name +
                                                 "' needs both aws_access_key_id and aws_secret_access_key");
    } else if (!p["role_arn"].empty()) {
        out = MakeError(kErrInvalidArgument, "shared files: profile '" + name +
                                                 "' assumes a role; role profiles are not supported yet");
    }
    for (auto& [k, v] : p) Wipe(v.data(), v.size());
    return out;
}

}  // namespace gw::aws
