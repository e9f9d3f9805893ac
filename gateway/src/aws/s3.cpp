#include "aws/s3.hpp"

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

}  // namespace gw::aws::s3
