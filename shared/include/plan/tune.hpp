#pragma once
// PostgreSQL tuning that reproduces PGTune (le0pard/pgtune, pgtune.leopard.in.ua) exactly: the same
// inputs, the same parameters in the same order, the same values, units and warnings, and the same
// "postgresql.conf" and "ALTER SYSTEM" text. The rules follow the newest PGTune source stored for
// this project (the 2026 revision: jit, wal_compression, autovacuum, io_method/io_workers, nvme,
// database size relative to RAM, 4MB work_mem floor); docs/tuning.md gives every formula with a
// worked example and notes where PGTune's versions differ.
//
// Pure: no I/O, clock or randomness. Memory is counted in kB (1 kB = 1024 bytes) throughout.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plan/diagnostic.hpp"

namespace plan::tune {

enum class OsType { Linux, Windows, Mac };                 // PGTune "OS Type": linux / windows / mac
enum class DbType { Web, Oltp, Dw, Desktop, Mixed };       // PGTune "DB Type" (workload)
enum class StorageType { Ssd, Hdd, San, Nvme };            // PGTune "Data Storage": ssd / hdd / san / nvme
enum class DbSize { LessRam, MidRam, GreaterRam };         // expected data size vs RAM (PGTune default MidRam)
enum class MemoryUnit { KB, MB, GB, TB };                  // PGTune's form accepts MB, GB and TB

// An amount of memory as the user typed it ("8 GB"); PGTune prints it back in that form.
struct Memory {
    std::int64_t amount = 0;
    MemoryUnit unit = MemoryUnit::GB;
};

// MemoryKb's ceiling: 2^53 kB, JavaScript's exact-integer limit, far above PGTune's 999999 TB (about 2^50 kB).
inline constexpr std::int64_t kMaxMemoryKb = std::int64_t(1) << 53;

// Kilobytes in `memory` (amount * unit / 1024), saturated to [-kMaxMemoryKb, kMaxMemoryKb] so that no
// amount overflows (those PGTune accepts, <= 999999 TB, are far below).
std::int64_t MemoryKb(const Memory& memory);

// PGTune's inputs. Defaults are PGTune's form defaults.
struct TuneInput {
    int db_version = 18;                          // PostgreSQL major version, 10..18
    OsType os_type = OsType::Linux;
    DbType db_type = DbType::Web;
    Memory total_memory;                          // required: memory PostgreSQL may use
    std::optional<std::int64_t> cpu_num;          // optional: CPUs = threads per core * cores * sockets
    std::optional<std::int64_t> connection_num;   // optional: max_connections; default per db_type
    StorageType hd_type = StorageType::Ssd;
    DbSize db_size = DbSize::MidRam;              // not printed in PGTune's header comments
};

// One recommended parameter, in PGTune's output order.
struct Setting {
    std::string name;                    // e.g. "shared_buffers"
    std::string value;                   // exactly as PGTune prints it, e.g. "2GB", "10280kB", "1.1", "off"
    std::optional<std::int64_t> kb;      // memory parameters: the value in kB
    std::optional<double> number;        // numeric parameters (counts, costs): the number
};

struct TuneResult {
    std::vector<Setting> settings;       // PGTune's order; parameters PGTune omits are absent
    // PGTune's warning lines: empty, or "WARNING" followed by messages, with "" between groups.
    std::vector<std::string> warnings;
};

// The limits of PGTune's input form: version 10..18, memory an integer >= 512 MB or >= 1 GB / TB and
// <= 999999 (in MB, GB or TB only), CPUs 1..999999, connections 20..999999. Each diagnostic names the
// field with a JSON pointer ("/total_memory", "/cpu_num", ...). Empty when the input is acceptable.
Diagnostics ValidateTuneInput(const TuneInput& input);

// PGTune's recommendations for `input`. Validate first: inputs outside PGTune's limits still get
// an answer (computed by the same rules) but PGTune itself would never produce it.
TuneResult Tune(const TuneInput& input);

// The first setting named `name`, or nullptr.
const Setting* FindSetting(const TuneResult& result, std::string_view name);

// PGTune's memory format: whole GB or MB when the kB value divides exactly, else kB ("16MB", "10280kB").
std::string FormatKb(std::int64_t kb);

// The text of PGTune's "postgresql.conf" tab: warning comments (if any) and a blank line, the input
// comments ("# DB Version: 16" ...), a blank line, then "name = value" lines. No trailing newline.
std::string RenderPostgresqlConf(const TuneInput& input, const TuneResult& result);

// The text of PGTune's "ALTER SYSTEM" tab: "--" comments and "ALTER SYSTEM SET name = 'value';" lines.
std::string RenderAlterSystem(const TuneInput& input, const TuneResult& result);

// Names as PGTune spells them in its form values and header comments ("linux", "dw", "nvme",
// "less_ram", "GB").
std::string_view ToString(OsType value);
std::string_view ToString(DbType value);
std::string_view ToString(StorageType value);
std::string_view ToString(DbSize value);
std::string_view ToString(MemoryUnit value);

// Parse those names (case-sensitive, as PGTune's form values). nullopt when unknown.
std::optional<OsType> ParseOsType(std::string_view text);
std::optional<DbType> ParseDbType(std::string_view text);
std::optional<StorageType> ParseStorageType(std::string_view text);
std::optional<DbSize> ParseDbSize(std::string_view text);

// "8GB", "8 GB", "512MB", "1TB", "2048kB" (unit case-insensitive; a bare number means GB, PGTune's
// default unit) -> Memory. nullopt when it is not a non-negative integer followed by a known unit.
std::optional<Memory> ParseMemory(std::string_view text);

}  // namespace plan::tune
