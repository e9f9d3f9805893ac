#pragma once
// Secrets at rest: AES-256-GCM (OpenSSL EVP) with a 32-byte key from the gateway's key file. Each Seal
// draws a fresh random 96-bit nonce; the plan id is the associated data, so a sealed secret copied onto
// another plan's row does not open. Sealed text: base64url("v1" nonce(12) ciphertext tag(16)).
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace gw::deploy {

class SecretBox {
public:
    static constexpr std::size_t kKeyBytes = 32;

    // Reads the key file, or creates it (mode 0600, 32 random bytes) when it does not exist; sets
    // `created`. nullopt with `error` set when the file cannot be read/written or is not exactly 32 bytes.
    static std::optional<SecretBox> LoadOrCreate(const std::filesystem::path& file, bool& created,
                                                 std::string& error);

    explicit SecretBox(const std::array<unsigned char, kKeyBytes>& key) : key_(key) {}
    SecretBox(const SecretBox&) = default;
    SecretBox& operator=(const SecretBox&) = default;
    ~SecretBox();  // wipes the key

    // Encrypts `plaintext` bound to `associated` (the plan id). Throws std::runtime_error only when
    // OpenSSL fails, which is a bug or an exhausted machine.
    std::string Seal(std::string_view plaintext, std::string_view associated) const;
    // The plaintext, or nullopt when `sealed` is malformed, tampered with, for other associated data, or
    // sealed with another key.
    std::optional<std::string> Open(std::string_view sealed, std::string_view associated) const;

private:
    std::array<unsigned char, kKeyBytes> key_;
};

// A new database password: 24 random bytes (libsodium randombytes) as base64url, 32 characters of
// [A-Za-z0-9_-], safe in a URL, a libpq connection string and a shell word.
std::string GeneratePassword();

}  // namespace gw::deploy
