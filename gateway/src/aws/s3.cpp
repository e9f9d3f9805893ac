#include "aws/s3.hpp"

#include <openssl/evp.h>

#include "aws/signed_send.hpp"
#include "aws/uri.hpp"

namespace gw::aws::s3 {
namespace {

// The request for `path_in_bucket` ("/" or "/<encoded key>") of `bucket`, addressed as the endpoint wants.
Result<HttpRequest> Request(const CallContext& ctx, std::string method, const std::string& bucket,
                            const std::string& path_in_bucket) {
    if (!IsValidBucketName(bucket)) {
        return MakeError(kErrInvalidArgument, "bad S3 bucket name '" + bucket + "': 3-63 of a-z, 0-9 and '-'");
    }
    auto endpoint = ResolveEndpoint("s3", ctx.region, ctx.env);
    if (!endpoint) return endpoint.error();
    if (endpoint->overridden) return MakeRequest(*endpoint, std::move(method), "/" + bucket + path_in_bucket);
    Endpoint hosted = *endpoint;  // virtual-hosted: the bucket is part of the host name
    hosted.host = bucket + "." + endpoint->host;
    hosted.url_base = "https://" + hosted.host;
    return MakeRequest(hosted, std::move(method), path_in_bucket);
}

Result<HttpResponse> Send(const CallContext& ctx, const Operation& op, const HttpRequest& request) {
    auto response = SendSigned(*ctx.http, request, ctx.credentials, std::string(op.service_id), ctx.region, ctx.now);
    if (!response) {
        AwsError e = response.error();
        e.message = std::string(op.name) + ": " + e.message;
        return e;
    }
    return response;
}

// Content-MD5: base64 of the body's MD5 (an integrity check S3 insists on for some calls, not security).
std::string Md5Base64(std::string_view body) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(body.data(), body.size(), digest, &size, EVP_md5(), nullptr);
    unsigned char out[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
    const int n = EVP_EncodeBlock(out, digest, static_cast<int>(size));
    return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
}

std::string XmlEscape(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

void ExpectOwner(HttpRequest& r, const std::string& owner) {
    if (!owner.empty()) r.headers.push_back({"x-amz-expected-bucket-owner", owner});
}

}  // namespace

bool IsValidBucketName(std::string_view name) {
    if (name.size() < 3 || name.size() > 63) return false;
    for (char c : name) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    return name.front() != '-' && name.back() != '-';
}

Result<std::string> ObjectUrl(const CallContext& ctx, const ObjectRef& object) {
    auto r = Request(ctx, "GET", object.bucket, "/" + UriEncode(object.key, true));
    if (!r) return r.error();
    return r->url_base + r->path;
}

Result<Done> PutObject(const CallContext& ctx, const ObjectRef& object, std::string_view body,
                       std::string_view content_type, const std::string& expected_owner) {
    auto r = Request(ctx, "PUT", object.bucket, "/" + UriEncode(object.key, true));
    if (!r) return r.error();
    r->headers.push_back({"Content-Type", std::string(content_type)});
    ExpectOwner(*r, expected_owner);
    r->body = std::string(body);
    auto response = Send(ctx, ops::kPutObject, *r);
    if (!response) return response.error();
    return Done{};
}

Result<Done> DeleteObject(const CallContext& ctx, const ObjectRef& object, const std::string& expected_owner) {
    auto r = Request(ctx, "DELETE", object.bucket, "/" + UriEncode(object.key, true));
    if (!r) return r.error();
    ExpectOwner(*r, expected_owner);
    auto response = Send(ctx, ops::kDeleteObject, *r);
    if (!response) return response.error();
    return Done{};
}

Result<Done> CreateBucket(const CallContext& ctx, const std::string& bucket) {
    auto r = Request(ctx, "PUT", bucket, "/");
    if (!r) return r.error();
    // us-east-1 takes no LocationConstraint (it is the default and naming it is an error).
    if (ctx.region != "us-east-1") {
        r->headers.push_back({"Content-Type", "application/xml"});
        r->body = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>" +
                  ctx.region + "</LocationConstraint></CreateBucketConfiguration>";
    }
    auto response = Send(ctx, ops::kCreateBucket, *r);
    if (!response) {
        if (response.error().code == "BucketAlreadyOwnedByYou") return Done{};
        return response.error();
    }
    return Done{};
}

Result<Done> PutExpiryRule(const CallContext& ctx, const std::string& bucket, const std::string& rule_id,
                           const std::string& prefix, int days, const std::string& expected_owner) {
    auto r = Request(ctx, "PUT", bucket, "/");
    if (!r) return r.error();
    r->query = {{"lifecycle", ""}};
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html: a Filter
    // (not the legacy Rule-level Prefix), Status, and at least one action per Rule.
    const std::string n = std::to_string(days);
    r->body = "<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule><ID>" + XmlEscape(rule_id) +
              "</ID><Filter><Prefix>" + XmlEscape(prefix) + "</Prefix></Filter><Status>Enabled</Status><Expiration><Days>" +
              n + "</Days></Expiration><AbortIncompleteMultipartUpload><DaysAfterInitiation>" + n +
              "</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule></LifecycleConfiguration>";
    r->headers.push_back({"Content-Type", "application/xml"});
    r->headers.push_back({"Content-MD5", Md5Base64(r->body)});
    ExpectOwner(*r, expected_owner);
    auto response = Send(ctx, ops::kPutBucketLifecycleConfiguration, *r);
    if (!response) return response.error();
    return Done{};
}

}  // namespace gw::aws::s3
