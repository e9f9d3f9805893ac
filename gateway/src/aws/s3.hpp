#pragma once
// S3, the calls the gateway needs to stage a CloudFormation template over 51,200 bytes (REST protocol,
// https://docs.aws.amazon.com/AmazonS3/latest/API/): create the staging bucket, put the template, delete it.
// Signed with SigV4 over the body's SHA-256, sent in x-amz-content-sha256 (S3 recomputes and compares it).
// Addressing: virtual-hosted (https://<bucket>.s3.<region>.amazonaws.com/<key>) against AWS; path-style
// (<endpoint>/<bucket>/<key>) when AWS_ENDPOINT_URL[_S3] points at an S3-compatible endpoint.
#include <string>
#include <string_view>

#include "aws/service_call.hpp"

namespace gw::aws::s3 {

struct ObjectRef {
    std::string bucket;  // 3-63 of [a-z0-9.-] (IsValidBucketName)
    std::string key;     // any UTF-8; '/' separates "folders"
};

struct Done {};

// S3's bucket naming rules (the subset virtual-hosted HTTPS needs: no dots).
bool IsValidBucketName(std::string_view name);

// The object's https URL in ctx.region, the form CloudFormation's TemplateURL takes; path-style under an
// endpoint override. Fails (InvalidArgument) for a bad bucket name or region.
Result<std::string> ObjectUrl(const CallContext& ctx, const ObjectRef& object);

// Stores `body` at object. `expected_owner` (12-digit account id, optional) makes S3 refuse the write with
// 403 AccessDenied when the bucket belongs to another account, so a squatted bucket name never receives
// our template.
Result<Done> PutObject(const CallContext& ctx, const ObjectRef& object, std::string_view body,
                       std::string_view content_type, const std::string& expected_owner = {});

// Deletes the object (S3 answers 204 whether or not it existed).
Result<Done> DeleteObject(const CallContext& ctx, const ObjectRef& object, const std::string& expected_owner = {});

// Creates `bucket` in ctx.region (LocationConstraint outside us-east-1). Already owned by the caller is
// success; BucketAlreadyExists (someone else's) is an error. New buckets block public access and encrypt
// with SSE-S3 by default (AWS defaults since 2023), which is what a staging bucket needs.
Result<Done> CreateBucket(const CallContext& ctx, const std::string& bucket);

// Sets the bucket's whole lifecycle configuration to one rule: objects under `prefix` ("templates/") expire
// `days` days after they were written (S3 removes them within a day after that), and unfinished multipart
// uploads are aborted after the same time. Replaces any rules the bucket had: use it on buckets the gateway
// created. Sent with Content-MD5, which S3 requires for this call.
Result<Done> PutExpiryRule(const CallContext& ctx, const std::string& bucket, const std::string& rule_id,
                           const std::string& prefix, int days, const std::string& expected_owner = {});

}  // namespace gw::aws::s3
