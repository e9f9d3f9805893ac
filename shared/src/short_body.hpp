#pragma once
// Internal: the short request body users already send, e.g.
//   {"os": "linux", "hardware": {"instance_type": "t3.medium", "storage": "ssd", "ami": "ami-0abc…"},
//    "db": {"flavor": "pg", "version": "15", "backup": "needed"}}
// normalised to a full plan: one VM ("vm-1") hosting one PostgreSQL ("pg-1").
#include <string>

#include <nlohmann/json.hpp>

#include "plan/json.hpp"

namespace plan::detail {

// Reads a short body; diagnostics point into the short body itself (e.g. "/hardware/storage").
ParseOutcome ReadShortBody(const nlohmann::json& document);

// Maps a JSON pointer into the normalised plan back to the short-body field it came from
// ("/components/0/disk/size_gib" -> "/hardware/disk_gib"), so later rules report what the user wrote.
std::string ShortBodyPath(const std::string& full_path);

}  // namespace plan::detail
