#pragma once
// The SQLite SignupStore, sharing the SQLite store's connection and mutex (store_sqlite.cpp owns both).
// Internal to the store.
#include <sqlite3.h>

#include <memory>
#include <mutex>

#include "store.hpp"

namespace gw {

std::unique_ptr<SignupStore> MakeSqliteSignupStore(sqlite3* db, std::mutex& mutex);

}  // namespace gw
