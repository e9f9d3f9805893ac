#include "deploy/secret_box.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sodium.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

namespace gw::deploy {
namespace {

constexpr std::string_view kVersion = "v1";
constexpr std::size_t kNonceBytes = 12;  // 96 bits: GCM's native nonce size (NIST SP 800-38D 8.2)
constexpr std::size_t kTagBytes = 16;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

std::string ToBase64(const unsigned char* bytes, std::size_t size) {
    const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::string text(sodium_base64_ENCODED_LEN(size, variant), '\0');
    sodium_bin2base64(text.data(), text.size(), bytes, size, variant);
    text.resize(text.find('\0'));
    return text;
}

std::optional<std::vector<unsigned char>> FromBase64(std::string_view text) {
    std::vector<unsigned char> bytes(text.size());
    std::size_t length = 0;
    if (sodium_base642bin(bytes.data(), bytes.size(), text.data(), text.size(), nullptr, &length, nullptr,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
        return std::nullopt;
    }
    bytes.resize(length);
    return bytes;
}

}  // namespace

std::optional<SecretBox> SecretBox::LoadOrCreate(const std::filesystem::path& file, bool& created,
                                                 std::string& error) {
    created = false;
    std::array<unsigned char, kKeyBytes> key{};
    int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        // O_EXCL: two gateways starting at once on one data dir must not both write a key.
        fd = open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            randombytes_buf(key.data(), key.size());
            const bool ok = write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && fsync(fd) == 0;
            close(fd);
            if (!ok) {
                sodium_memzero(key.data(), key.size());
                error = "cannot write secret key file " + file.string();
                return std::nullopt;
            }
            created = true;
            SecretBox box(key);
            sodium_memzero(key.data(), key.size());
            return box;
        }
        if (errno == EEXIST) fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0) {
        error = "cannot open secret key file " + file.string() + ": " + std::strerror(errno);
        return std::nullopt;
    }
    struct stat info {};
    fstat(fd, &info);
    unsigned char extra = 0;
    const ssize_t got = read(fd, key.data(), key.size());
    const ssize_t more = read(fd, &extra, 1);
    close(fd);
    if (got != static_cast<ssize_t>(key.size()) || more != 0) {
        sodium_memzero(key.data(), key.size());
        error = "secret key file " + file.string() + " must hold exactly 32 bytes (delete it only if no secrets "
                "were sealed with it yet; a new one is then created)";
        return std::nullopt;
    }
    if ((info.st_mode & 077) != 0) {
        sodium_memzero(key.data(), key.size());
        error = "secret key file " + file.string() + " is readable by other users; chmod 600 it";
        return std::nullopt;
    }
    SecretBox box(key);
    sodium_memzero(key.data(), key.size());
    return box;
}

SecretBox::~SecretBox() { sodium_memzero(key_.data(), key_.size()); }

std::string SecretBox::Seal(std::string_view plaintext, std::string_view associated) const {
    std::vector<unsigned char> out(kVersion.size() + kNonceBytes + plaintext.size() + kTagBytes);
    std::copy(kVersion.begin(), kVersion.end(), out.begin());
    unsigned char* nonce = out.data() + kVersion.size();
    unsigned char* cipher = nonce + kNonceBytes;
    unsigned char* tag = cipher + plaintext.size();
    if (RAND_bytes(nonce, static_cast<int>(kNonceBytes)) != 1) throw std::runtime_error("RAND_bytes failed");
    CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    int length = 0;
    const bool ok =
        ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), nonce) == 1 &&
        EVP_EncryptUpdate(ctx.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(associated.data()),
                          static_cast<int>(associated.size())) == 1 &&
        EVP_EncryptUpdate(ctx.get(), cipher, &length, reinterpret_cast<const unsigned char*>(plaintext.data()),
                          static_cast<int>(plaintext.size())) == 1 &&
        EVP_EncryptFinal_ex(ctx.get(), cipher + length, &length) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes), tag) == 1;
    if (!ok) throw std::runtime_error("AES-256-GCM encryption failed");
    return ToBase64(out.data(), out.size());
}

std::optional<std::string> SecretBox::Open(std::string_view sealed, std::string_view associated) const {
    auto bytes = FromBase64(sealed);
    if (!bytes || bytes->size() < kVersion.size() + kNonceBytes + kTagBytes ||
        std::string_view(reinterpret_cast<const char*>(bytes->data()), kVersion.size()) != kVersion) {
        return std::nullopt;
    }
    const unsigned char* nonce = bytes->data() + kVersion.size();
    const unsigned char* cipher = nonce + kNonceBytes;
    const std::size_t cipher_size = bytes->size() - kVersion.size() - kNonceBytes - kTagBytes;
    std::vector<unsigned char> tag(cipher + cipher_size, cipher + cipher_size + kTagBytes);
    std::string plain(cipher_size, '\0');
    CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    int length = 0;
    const bool ok =
        ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), nonce) == 1 &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(associated.data()),
                          static_cast<int>(associated.size())) == 1 &&
        EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &length, cipher,
                          static_cast<int>(cipher_size)) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes), tag.data()) == 1 &&
        EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + length, &length) == 1;
    if (!ok) {
        sodium_memzero(plain.data(), plain.size());
        return std::nullopt;
    }
    return plain;
}

std::string GeneratePassword() {
    std::array<unsigned char, 24> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    std::string text = ToBase64(bytes.data(), bytes.size());
    sodium_memzero(bytes.data(), bytes.size());
    return text;
}

}  // namespace gw::deploy
