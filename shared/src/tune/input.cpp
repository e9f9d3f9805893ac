// TuneInput helpers: names as PGTune spells them, memory parsing, and the limits of PGTune's form
// (src/common/components/configurationForm/validation.js and features/configuration/constants.js).
#include <cctype>
#include <charconv>
#include <string>

#include "plan/tune.hpp"

namespace plan::tune {
namespace {

constexpr int kMinVersion = 10;              // constants.js DB_VERSIONS: 18 down to 10
constexpr int kMaxVersion = 18;
constexpr std::int64_t kMaxNumeric = 999999; // constants.js MAX_NUMERIC_VALUE
constexpr std::int64_t kMinMbMemory = 512;   // validation.js MIN_MB_MEMORY
constexpr std::int64_t kMinConnections = 20;

Diagnostic Problem(std::string path, std::string code, std::string message) {
    return Diagnostic{Severity::Error, std::move(path), std::move(code), std::move(message)};
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
    }
    return true;
}

}  // namespace

std::int64_t MemoryKb(const Memory& memory) {
    std::int64_t per_unit = 1;
    switch (memory.unit) {
        case MemoryUnit::KB: per_unit = 1; break;
        case MemoryUnit::MB: per_unit = 1024; break;
        case MemoryUnit::GB: per_unit = 1024 * 1024; break;
        case MemoryUnit::TB: per_unit = 1024 * 1024 * 1024; break;
    }
    // Saturate rather than overflow (undefined behaviour): an amount this large never passes validation,
    // and Tune's own arithmetic (x3, x4) stays in range below kMaxMemoryKb.
    if (memory.amount > kMaxMemoryKb / per_unit) return kMaxMemoryKb;
    if (memory.amount < -kMaxMemoryKb / per_unit) return -kMaxMemoryKb;
    return memory.amount * per_unit;
}

Diagnostics ValidateTuneInput(const TuneInput& input) {
    Diagnostics out;
    if (input.db_version < kMinVersion || input.db_version > kMaxVersion) {
        out.push_back(Problem("/db_version", "tune.db_version_unsupported",
                              "PostgreSQL version must be between 10 and 18 (PGTune's supported versions)."));
    }
    const Memory& m = input.total_memory;
    if (m.unit != MemoryUnit::MB && m.unit != MemoryUnit::GB && m.unit != MemoryUnit::TB) {
        out.push_back(Problem("/total_memory/unit", "tune.memory_unit_unsupported",
                              "Give total memory in MB, GB or TB, the units PGTune accepts."));
    } else if (m.unit == MemoryUnit::MB && m.amount < kMinMbMemory) {
        out.push_back(Problem("/total_memory", "tune.memory_too_small", "Total memory must be at least 512 MB."));
    } else if (m.amount < 1) {
        out.push_back(Problem("/total_memory", "tune.memory_too_small", "Total memory must be greater than zero."));
    }
    if (m.amount > kMaxNumeric) {
        out.push_back(Problem("/total_memory", "tune.memory_too_large", "Total memory must be at most 999999 (MB, GB or TB)."));
    }
    if (input.cpu_num && (*input.cpu_num < 1 || *input.cpu_num > kMaxNumeric)) {
        out.push_back(Problem("/cpu_num", "tune.cpu_num_out_of_range", "Number of CPUs must be between 1 and 999999."));
    }
    if (input.connection_num && (*input.connection_num < kMinConnections || *input.connection_num > kMaxNumeric)) {
        out.push_back(Problem("/connection_num", "tune.connection_num_out_of_range",
                              "Number of connections must be between 20 and 999999."));
    }
    return out;
}

std::string_view ToString(OsType value) {
    switch (value) {
        case OsType::Linux: return "linux";
        case OsType::Windows: return "windows";
        case OsType::Mac: return "mac";
    }
    return "linux";
}

std::string_view ToString(DbType value) {
    switch (value) {
        case DbType::Web: return "web";
        case DbType::Oltp: return "oltp";
        case DbType::Dw: return "dw";
        case DbType::Desktop: return "desktop";
        case DbType::Mixed: return "mixed";
    }
    return "web";
}

std::string_view ToString(StorageType value) {
    switch (value) {
        case StorageType::Ssd: return "ssd";
        case StorageType::Hdd: return "hdd";
        case StorageType::San: return "san";
        case StorageType::Nvme: return "nvme";
    }
    return "ssd";
}

std::string_view ToString(DbSize value) {
    switch (value) {
        case DbSize::LessRam: return "less_ram";
        case DbSize::MidRam: return "mid_ram";
        case DbSize::GreaterRam: return "greater_ram";
    }
    return "mid_ram";
}

std::string_view ToString(MemoryUnit value) {
    switch (value) {
        case MemoryUnit::KB: return "KB";
        case MemoryUnit::MB: return "MB";
        case MemoryUnit::GB: return "GB";
        case MemoryUnit::TB: return "TB";
    }
    return "GB";
}

std::optional<OsType> ParseOsType(std::string_view text) {
    for (OsType v : {OsType::Linux, OsType::Windows, OsType::Mac}) {
        if (ToString(v) == text) return v;
    }
    return std::nullopt;
}

std::optional<DbType> ParseDbType(std::string_view text) {
    for (DbType v : {DbType::Web, DbType::Oltp, DbType::Dw, DbType::Desktop, DbType::Mixed}) {
        if (ToString(v) == text) return v;
    }
    return std::nullopt;
}

std::optional<StorageType> ParseStorageType(std::string_view text) {
    for (StorageType v : {StorageType::Ssd, StorageType::Hdd, StorageType::San, StorageType::Nvme}) {
        if (ToString(v) == text) return v;
    }
    return std::nullopt;
}

std::optional<DbSize> ParseDbSize(std::string_view text) {
    for (DbSize v : {DbSize::LessRam, DbSize::MidRam, DbSize::GreaterRam}) {
        if (ToString(v) == text) return v;
    }
    return std::nullopt;
}

std::optional<Memory> ParseMemory(std::string_view text) {
    std::size_t digits = 0;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
    if (digits == 0 || digits > 12) return std::nullopt;  // 12 digits fit an int64; MemoryKb saturates beyond
    Memory memory;
    std::from_chars(text.data(), text.data() + digits, memory.amount);
    std::string_view unit = text.substr(digits);
    while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
    if (unit.empty()) return memory;  // PGTune's default unit is GB
    for (MemoryUnit u : {MemoryUnit::KB, MemoryUnit::MB, MemoryUnit::GB, MemoryUnit::TB}) {
        if (EqualsIgnoreCase(unit, ToString(u))) {
            memory.unit = u;
            return memory;
        }
    }
    return std::nullopt;
}

}  // namespace plan::tune
