#pragma once
// Secrets and identifiers, all from libsodium: random ids and tokens, token digests, password hashing.
// Call InitCrypto() once before anything else here (the Gateway constructor does).
#include <string>
#include <string_view>

namespace gw {

// Initialises libsodium. Returns false when the library cannot start (no entropy source).
bool InitCrypto();

// `prefix` + 16 random base32 characters (a-z, 2-7), e.g. "p_k3j5…"; 80 bits of randomness.
std::string RandomId(std::string_view prefix);

// A new bearer token: 32 random bytes, base64url without padding (43 characters).
std::string NewToken();

// SHA-256 of `token`, lowercase hex. Only this digest is stored, so a database leak yields no tokens.
std::string TokenDigest(std::string_view token);

// Argon2id hash (libsodium crypto_pwhash_str, interactive limits) in its self-describing string form.
// Throws std::runtime_error when memory for the hash cannot be allocated (answered as 500).
std::string HashPassword(std::string_view password);

// True when `password` matches `hash`; false for any mismatch or a malformed hash.
bool VerifyPassword(std::string_view password, const std::string& hash);

// Spends the same time as VerifyPassword against a real hash, and returns false: used for unknown emails
// so response timing does not reveal which accounts exist.
bool VerifyAgainstDummy(std::string_view password);

// Random printable id for one request (16 hex characters).
std::string NewRequestId();

// Overwrites a string holding a secret before it is freed.
void Wipe(std::string& secret);

}  // namespace gw
