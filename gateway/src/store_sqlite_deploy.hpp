#pragma once
// The SQLite DeploymentStore, sharing the SQLite store's connection and mutex (store_sqlite.cpp owns
// both). Internal to the store.
#include <sqlite3.h>

#include <memory>
#include <mutex>

#include "store.hpp"

namespace gw {

std::unique_ptr<DeploymentStore> MakeSqliteDeploymentStore(sqlite3* db, std::mutex& mutex);

}  // namespace gw
