// Target: the AWS XML reader (gateway/src/aws/xml.cpp, libxml2 underneath) on any bytes an endpoint could
// answer, queried with every element path the gateway's callers use (cloudformation.cpp, ec2.cpp, sts.cpp,
// aws_error.cpp), then STS's AssumeRole reader and the stack-event wording of deploy/aws/stack_progress.cpp
// over the events found. Properties: no crash, no sanitizer report, nothing thrown; XmlDocument::Parse
// fails rather than returning a document without a root; AssumeRole never yields partial credentials.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_time.hpp"
#include "aws/cloudformation.hpp"
#include "aws/sts.hpp"
#include "aws/xml.hpp"
#include "deploy/aws/stack_progress.hpp"
#include "fuzz_check.hpp"

namespace {

using gw::aws::XmlDocument;
using Path = std::initializer_list<std::string_view>;

std::string Get(const XmlDocument::Record& r, const std::string& key) {
    auto it = r.find(key);
    return it == r.end() ? std::string() : it->second;
}

void Texts(const XmlDocument& doc) {
    // FindText paths, as the callers spell them.
    for (Path path : {Path{"Error", "Code"}, Path{"Error", "Message"}, Path{"RequestId"}, Path{"RequestID"},
                      Path{"CreateChangeSetResult", "Id"}, Path{"CreateChangeSetResult", "StackId"},
                      Path{"DescribeChangeSetResult", "ChangeSetId"}, Path{"DescribeChangeSetResult", "Status"},
                      Path{"DescribeChangeSetResult", "NextToken"}, Path{"DescribeStackEventsResult", "NextToken"},
                      Path{"DetectStackDriftResult", "StackDriftDetectionId"},
                      Path{"DescribeStackDriftDetectionStatusResult", "DriftedStackResourceCount"},
                      Path{"AssumeRoleResult", "Credentials", "Expiration"}}) {
        if (auto text = doc.FindText(path)) (void)gw::aws::ParseIso8601(*text);
    }
    for (Path path : {Path{"ValidateTemplateResult", "Parameters", "member"}, Path{"DescribeChangeSetResult", "Changes", "member"},
                      Path{"DescribeStacksResult", "Stacks", "member"}, Path{"Stacks", "member", "Outputs", "member"},
                      Path{"instanceStatusSet", "item"}, Path{"vpcSet", "item"}, Path{"subnetSet", "item"}}) {
        for (const XmlDocument::Record& r : doc.FindAll(path)) {
            for (const auto& [key, value] : r) FUZZ_CHECK(!key.empty());
        }
    }
}

void StackEvents(const XmlDocument& doc) {
    namespace progress = gw::deploy::awsdeploy;
    for (const XmlDocument::Record& r : doc.FindAll({"DescribeStackEventsResult", "StackEvents", "member"})) {
        // Built field by field as cfn::DescribeStackEvents does.
        const gw::aws::cfn::StackEvent e{Get(r, "EventId"), Get(r, "LogicalResourceId"), Get(r, "PhysicalResourceId"),
                                         Get(r, "ResourceType"), Get(r, "Timestamp"), Get(r, "ResourceStatus"),
                                         Get(r, "ResourceStatusReason")};
        (void)progress::DescribeEvent(e);
        (void)progress::EventLevel(e);
        (void)progress::IsRootFailure(e);
        (void)progress::PlainReason(e.reason);
        (void)progress::Classify(e.status);
        (void)gw::aws::ParseIso8601(e.timestamp);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto doc = XmlDocument::Parse(text)) {
        FUZZ_CHECK(!doc->RootName().empty());
        Texts(*doc);
        StackEvents(*doc);
    }
    if (auto credentials = gw::aws::ParseAssumeRoleResponse(text)) {
        FUZZ_CHECK(!credentials->access_key_id.empty());
        FUZZ_CHECK(credentials->expiration.has_value());
    }
    return 0;
}
