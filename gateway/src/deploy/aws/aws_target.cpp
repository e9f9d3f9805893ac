// The "aws" target (see aws_target.hpp for what each step does).
//
// [SECTION] state       what the target remembers per plan (JSON), reset per deployment where it must be
// [SECTION] calls       credentials and a CallContext per step
// [SECTION] render
// [SECTION] provision   parameters -> stage (large templates) -> validate -> change set -> describe -> execute
// [SECTION] staging     templates over 51,200 bytes go to S3 and CloudFormation reads them by TemplateURL
// [SECTION] follow      install: stack events into the deployment's events and progress
// [SECTION] verify      Outputs -> ConnectionInfo
// [SECTION] check       stack status + EC2 status checks + PostgreSQL from the gateway where reachable
// [SECTION] backup      on demand: the instance's own backup script through SSM Run Command
// [SECTION] destroy
#include "deploy/aws/aws_target.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "aws/cloudformation.hpp"
#include "aws/ec2.hpp"
#include "aws/s3.hpp"
#include "aws/ssm.hpp"
#include "aws/sts.hpp"
#include "deploy/aws/pg_check.hpp"
#include "deploy/aws/stack_progress.hpp"
#include "plan/transform.hpp"

namespace gw::deploy {
namespace {

using nlohmann::json;
using namespace awsdeploy;
namespace cfn = aws::cfn;

// ---------------------------------------------------------------------------------------------------
// [SECTION] state
//
// Per plan: stack_name, region, stack_id, parameters (SSM names), connection, instance_ids, buckets.
// Per deployment (dropped when ctx.deployment_id changes): deployment_id, phase, change_set_name,
// change_set_id, change_set_type, changes, no_changes, last_event_id, completed, first_failure, poll_ms.

void StartDeployment(StepContext& ctx) {
    json& s = ctx.state;
    if (!s.is_object()) s = json::object();
    if (s.value("deployment_id", "") == ctx.deployment_id) return;
    // A deployment that ended without removing its staged template (the gateway died and the job was given
    // up, or the target threw): its object is removed by the next step that reaches AWS (RemoveLeftovers).
    if (s.contains("staged_template")) {
        if (!s.contains("staged_leftovers")) s["staged_leftovers"] = json::array();
        s["staged_leftovers"].push_back(s["staged_template"]);
    }
    for (const char* key : {"phase", "change_set_name", "change_set_id", "change_set_type", "changes", "no_changes",
                            "last_event_id", "completed", "first_failure", "poll_ms", "destroy_phase",
                            "staged_template", "backup_command_id"}) {
        s.erase(key);
    }
    s["deployment_id"] = ctx.deployment_id;
}

// CloudFormation reads at most this many bytes from a TemplateURL.
constexpr std::size_t kMaxTemplateUrlBytes = 1000000;
// Staged templates live under this prefix of the staging bucket, which a lifecycle rule expires after a day.
constexpr const char* kStagingPrefix = "templates/";

std::string Str(const json& s, const char* key) { return s.contains(key) && s[key].is_string() ? s[key].get<std::string>() : ""; }

// A random password for streaming replication: only the servers read it, nobody is shown it.
std::string RandomToken(std::size_t n) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::string bytes(n, '\0');
    RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(n));
    std::string out(n, 'x');
    for (std::size_t i = 0; i < n; ++i) out[i] = kAlphabet[static_cast<unsigned char>(bytes[i]) % 62];
    aws::Wipe(bytes.data(), bytes.size());
    return out;
}

std::vector<const plan::Component*> Databases(const plan::Plan& p) {
    std::vector<const plan::Component*> out;
    for (const auto& c : p.components) {
        if (c.IsPostgres()) out.push_back(&c);
    }
    return out;
}

std::string Describe(const aws::AwsError& e) {
    std::string text = e.message.empty() ? e.code : e.message;
    if (!e.code.empty() && text.find(e.code) == std::string::npos) text = e.code + ": " + text;
    if (!e.request_id.empty()) text += " (request id " + e.request_id + ")";
    return text;
}

std::string SessionSafe(std::string id) {
    for (char& c : id) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && std::string_view("+=,.@_-").find(c) == std::string_view::npos) c = '-';
    }
    return id.substr(0, 50);
}

// The user's role, assumed with the gateway's credentials and the user's ExternalId; temporary
// credentials cached until 5 minutes before they expire.
std::shared_ptr<aws::CredentialsProvider> AssumeUserRole(const AwsTargetOptions& o,
                                                         std::shared_ptr<aws::CredentialsProvider> chain,
                                                         const std::string& owner_id, const AwsUserRole& role) {
    const std::string region = aws::RegionFromEnv(o.env).empty() ? "us-east-1" : aws::RegionFromEnv(o.env);
    auto sts = aws::ResolveEndpoint("sts", region, o.env);
    aws::AssumeRoleParams p{role.role_arn, "cloudsketch-" + SessionSafe(owner_id), role.external_id, 3600};
    return std::make_shared<aws::CachingCredentialsProvider>(
        std::make_unique<aws::AssumeRoleCredentialsProvider>(std::move(chain), sts ? *sts : aws::Endpoint{}, region, p,
                                                             o.now, o.http),
        o.now);
}

class AwsTarget final : public Target {
public:
    explicit AwsTarget(AwsTargetOptions options) : o_(std::move(options)) {
        gateway_chain_ = std::shared_ptr<aws::CredentialsProvider>(aws::MakeDefaultCredentialsChain(o_.env, o_.now));
    }

    std::string_view Name() const override { return "aws"; }

    StepResult RunStep(Step step, StepContext& ctx) override {
        StartDeployment(ctx);
        switch (step) {
            case Step::Render: return Render(ctx);
            case Step::Provision: return Provision(ctx);
            case Step::Install: return Follow(ctx);
            case Step::Configure:
                ctx.event("info", "configure: done inside the stack by the first-boot script (tuned postgresql.conf, "
                                  "backups, TLS); CloudFormation waited for its success signal during install");
                return StepResult::Done();
            case Step::Verify: return Verify(ctx);
            case Step::Monitor: {
                Health h = Check(ctx);
                ctx.event(h.ok ? "info" : "warning", h.ok ? "first health check passed" : "first health check: " + h.reason);
                return StepResult::Done();
            }
        }
        return StepResult::Failed("unknown step");
    }

    Health Check(StepContext& ctx) override;
    void CheckPostgresFromGateway(StepContext& ctx, Health& h);
    StepResult Backup(StepContext& ctx, bool validate) override;
    StepResult Destroy(StepContext& ctx, bool final_backup) override;

    ConnectionInfo Connection(const json& state) const override {
        ConnectionInfo info;
        if (!state.is_object() || !state.contains("connection")) return info;
        const json& c = state["connection"];
        for (const auto& e : c.value("endpoints", json::array())) {
            info.endpoints.push_back({e.value("role", ""), e.value("host", ""), e.value("port", 0)});
        }
        info.database = c.value("database", "");
        info.user = c.value("user", "");
        return info;
    }

private:
    // -----------------------------------------------------------------------------------------------
    // [SECTION] calls

    struct Calls {
        std::unique_ptr<aws::HttpClient> http;
        aws::CallContext ctx;
    };

    // Credentials for this plan's owner (their role when they have one, else the gateway's chain) and a
    // fresh client: one per step, so engine threads never share a connection.
    aws::Result<Calls> Connect(const StepContext& ctx) {
        auto provider = ProviderFor(ctx.owner_id);
        auto credentials = provider->Get();
        if (!credentials) return credentials.error();
        Calls calls;
        calls.http = std::make_unique<aws::HttpClient>(o_.http);
        calls.ctx.http = calls.http.get();
        calls.ctx.credentials = std::move(*credentials);
        calls.ctx.region = ctx.plan.cloud.region;
        calls.ctx.env = o_.env;
        calls.ctx.now = o_.now;
        return calls;
    }

    std::shared_ptr<aws::CredentialsProvider> ProviderFor(const std::string& owner_id) {
        std::optional<AwsUserRole> role;
        if (o_.user_role) role = o_.user_role(owner_id);
        if (!role) return gateway_chain_;
        std::lock_guard lock(mu_);
        const std::string key = owner_id + "\n" + role->role_arn + "\n" + role->external_id;
        auto& slot = per_user_[key];
        if (!slot) slot = AssumeUserRole(o_, gateway_chain_, owner_id, *role);
        return slot;
    }

    int NextPoll(StepContext& ctx, bool moved) {
        int ms = ctx.state.value("poll_ms", o_.poll_initial_ms);
        ms = moved ? o_.poll_initial_ms : std::min(o_.poll_max_ms, ms * 2);
        ctx.state["poll_ms"] = ms;
        return ms;
    }

    // An AWS failure of one step: throttling and 5xx that survived the client's retries wait and try
    // again (the engine re-runs the step); anything else fails the step with what AWS said.
    StepResult FromError(StepContext& ctx, std::string_view doing, const aws::AwsError& e) {
        if (e.retryable) {
            ctx.event("warning", std::string(doing) + ": " + Describe(e) + "; trying again");
            return StepResult::Wait(NextPoll(ctx, false));
        }
        return StepResult::Failed(std::string(doing) + ": " + Describe(e));
    }

    // -----------------------------------------------------------------------------------------------
    // [SECTION] render

    struct Rendered {
        std::string text;
        std::string error;
    };

    static Rendered RenderTemplate(const plan::Plan& p) {
        auto result = plan::Transform(p, plan::Target::AwsCloudFormation);
        if (result.documents.empty()) {
            std::string why = "the plan cannot be rendered for AWS";
            for (const auto& d : result.diagnostics) {
                if (d.severity == plan::Severity::Error) { why += ": " + d.path + ": " + d.message; break; }
            }
            return {{}, why};
        }
        std::string text = std::move(result.documents.front().text);
        if (text.size() > kMaxTemplateUrlBytes) {
            return {{}, "the CloudFormation template is " + std::to_string(text.size()) +
                            " bytes, above the 1,000,000 bytes CloudFormation reads from S3: split the plan into "
                            "smaller plans"};
        }
        return {std::move(text), {}};
    }

    StepResult Render(StepContext& ctx) {
        Rendered r = RenderTemplate(ctx.plan);
        if (!r.error.empty()) return StepResult::Failed(r.error);
        const json t = json::parse(r.text);
        ctx.state["stack_name"] = plan::StackName(ctx.plan);
        ctx.state["region"] = ctx.plan.cloud.region;
        ctx.event("info", "rendered the CloudFormation template for stack " + plan::StackName(ctx.plan) + " in " +
                              ctx.plan.cloud.region + ": " + std::to_string(t["Resources"].size()) + " resources, " +
                              std::to_string(r.text.size()) + " bytes");
        return StepResult::Done();
    }

    // -----------------------------------------------------------------------------------------------
    // [SECTION] provision

    StepResult Provision(StepContext& ctx) {
        ctx.state["stack_name"] = plan::StackName(ctx.plan);
        ctx.state["region"] = ctx.plan.cloud.region;
        auto calls = Connect(ctx);
        if (!calls) return FromError(ctx, "AWS credentials", calls.error());
        RemoveLeftovers(ctx, calls->ctx);
        StepResult r = ProvisionWith(ctx, calls->ctx);
        // A deployment that ends here never reuses its staged template: remove it on every failure, not only
        // the ones below that know about it (after execute it is already gone).
        if (r.kind == StepResult::Kind::Failed && ctx.state.contains("staged_template")) {
            Unstage(ctx, calls->ctx);
            ctx.save();
        }
        return r;
    }

    StepResult ProvisionWith(StepContext& ctx, const aws::CallContext& c) {
        json& s = ctx.state;
        const std::string stack_name = plan::StackName(ctx.plan);
        std::string phase = s.value("phase", "parameters");

        if (phase == "parameters") {
            json names = json::array();
            const aws::SecretString password(ctx.secrets.db_password);
            for (const plan::Component* db : Databases(ctx.plan)) {
                const std::string name = plan::PasswordParameterName(ctx.plan, *db);
                auto put = aws::ssm::PutSecureString(c, name, password, true, "CloudSketch: application password");
                if (!put) return FromError(ctx, "storing the password in SSM (" + name + ")", put.error());
                names.push_back(name);
                const auto& pg = std::get<plan::PostgresSpec>(db->spec);
                if (pg.replicas > 0) {
                    const std::string rname = plan::ReplicationPasswordParameterName(ctx.plan, *db);
                    std::string token = RandomToken(32);
                    const aws::SecretString secret(token);
                    aws::Wipe(token.data(), token.size());
                    auto rput = aws::ssm::PutSecureString(c, rname, secret, false, "CloudSketch: replication password");
                    if (!rput) return FromError(ctx, "storing the replication password in SSM (" + rname + ")", rput.error());
                    names.push_back(rname);
                }
            }
            s["parameters"] = names;
            ctx.event("info", "stored " + std::to_string(names.size()) + " password parameter(s) in SSM as SecureString");
            phase = "stage";
            s["phase"] = phase;
            ctx.save();
            ctx.progress(0.2);
        }

        Rendered r = RenderTemplate(ctx.plan);
        if (!r.error.empty()) return StepResult::Failed(r.error);

        if (phase == "stage") {
            if (r.text.size() > cfn::kMaxTemplateBodyBytes) {
                StepResult staged = Stage(ctx, c, r.text);
                if (staged.kind != StepResult::Kind::Done) return staged;
            }
            phase = "validate";
            s["phase"] = phase;
            ctx.save();
        }
        cfn::TemplateSource source;
        if (s.contains("staged_template")) {
            source.url = Str(s["staged_template"], "url");
        } else {
            source.body = r.text;
        }

        if (phase == "validate") {
            auto declared = cfn::ValidateTemplate(c, source);
            if (!declared) return FromError(ctx, "CloudFormation rejected the template", declared.error());
            std::string vpc = o_.vpc_id, subnet = o_.subnet_id;
            if (vpc.empty()) {
                auto found = aws::ec2::DefaultVpcId(c);
                if (!found) return FromError(ctx, "looking up the default VPC", found.error());
                vpc = *found;
                if (vpc.empty()) {
                    return StepResult::Failed("no network to deploy into: the account has no default VPC in " +
                                              c.region + " and the gateway has no VPC configured");
                }
            }
            if (subnet.empty()) {
                auto found = aws::ec2::DefaultSubnetId(c, vpc);
                if (!found) return FromError(ctx, "looking up a default subnet", found.error());
                subnet = *found;
                if (subnet.empty()) return StepResult::Failed("no default subnet in VPC " + vpc + " (" + c.region + ")");
            }
            for (const auto& p : *declared) {
                if (!p.has_default && p.key != "VpcId" && p.key != "SubnetId") {
                    return StepResult::Failed("the template needs a value for parameter " + p.key + " that the gateway does not know");
                }
            }
            s["vpc_id"] = vpc;
            s["subnet_id"] = subnet;
            ctx.event("info", "template validated by CloudFormation; network: " + vpc + " / " + subnet);
            phase = "change_set";
            s["phase"] = phase;
            ctx.save();
            ctx.progress(0.4);
        }

        if (phase == "change_set") {
            std::string cs_name = "cloudsketch-" + ctx.deployment_id;
            std::replace_if(cs_name.begin(), cs_name.end(), [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)) && ch != '-'; }, '-');
            cs_name = cs_name.substr(0, 128);
            s["change_set_name"] = cs_name;
            // Made before a crash? Then it is ours: describe it instead of creating another.
            auto existing = cfn::DescribeChangeSet(c, cs_name, stack_name);
            if (!existing) return FromError(ctx, "looking for the change set", existing.error());
            if (*existing) {
                s["change_set_id"] = (*existing)->id;
                s["stack_id"] = (*existing)->stack_id;
                // A stack still in review has never been created: the change set is its CREATE.
                auto stack = cfn::DescribeStack(c, (*existing)->stack_id);
                if (!stack) return FromError(ctx, "looking for the stack", stack.error());
                s["change_set_type"] = *stack && (*stack)->status == "REVIEW_IN_PROGRESS" ? "CREATE" : "UPDATE";
                ctx.event("info", "found change set " + cs_name + " from before a restart; using it");
            } else {
                auto stack = cfn::DescribeStack(c, stack_name);
                if (!stack) return FromError(ctx, "looking for the stack", stack.error());
                std::string type = "CREATE";
                if (*stack && (*stack)->status == "DELETE_COMPLETE") stack->reset();  // gone: create it anew
                if (*stack) {
                    const std::string st = (*stack)->status;
                    if (st == "ROLLBACK_COMPLETE" || st == "ROLLBACK_FAILED" || st == "CREATE_FAILED") {
                        // A stack whose creation failed cannot be updated; CloudFormation wants it deleted first.
                        ctx.event("warning", "stack " + stack_name + " is " + st + " from an earlier failed creation; deleting it first");
                        auto del = cfn::DeleteStack(c, (*stack)->id);
                        if (!del) return FromError(ctx, "deleting the failed stack", del.error());
                        return StepResult::Wait(NextPoll(ctx, true));
                    }
                    if (cfn::IsInProgress(st) && st != "REVIEW_IN_PROGRESS") {
                        ctx.event("info", "stack " + stack_name + " is busy (" + st + "); waiting for it to settle");
                        return StepResult::Wait(NextPoll(ctx, false));
                    }
                    if (st != "REVIEW_IN_PROGRESS") type = "UPDATE";
                    s["stack_id"] = (*stack)->id;
                }
                cfn::CreateChangeSetParams p;
                p.stack_name = stack_name;
                p.change_set_name = cs_name;
                p.change_set_type = type;
                p.template_source = source;
                p.parameters = {{"VpcId", Str(s, "vpc_id")}, {"SubnetId", Str(s, "subnet_id")}};
                p.capabilities = {"CAPABILITY_IAM"};
                p.role_arn = o_.cfn_role_arn;
                p.description = "CloudSketch plan " + ctx.plan.id + " revision " + std::to_string(ctx.revision);
                auto made = cfn::CreateChangeSet(c, p);
                if (!made) return FromError(ctx, "creating the change set", made.error());
                s["change_set_id"] = made->id;
                s["stack_id"] = made->stack_id;
                s["change_set_type"] = type;
                ctx.event("info", std::string(type == "CREATE" ? "creating" : "updating") + " stack " + stack_name +
                                      " through change set " + cs_name);
            }
            phase = "describe";
            s["phase"] = phase;
            ctx.save();
        }

        if (phase == "describe" || phase == "execute") {
            auto cs = cfn::DescribeChangeSet(c, Str(s, "change_set_id"), "");
            if (!cs) return FromError(ctx, "describing the change set", cs.error());
            if (!*cs) return StepResult::Failed("the change set " + Str(s, "change_set_name") + " disappeared");
            const cfn::ChangeSet& set = **cs;
            if (set.status == "CREATE_PENDING" || set.status == "CREATE_IN_PROGRESS") {
                return StepResult::Wait(NextPoll(ctx, false));
            }
            if (set.status == "FAILED") {
                const std::string& why = set.status_reason;
                if (why.find("didn't contain changes") != std::string::npos ||
                    why.find("No updates") != std::string::npos) {
                    ctx.event("info", "no changes: the stack already matches revision " + std::to_string(ctx.revision));
                    s["no_changes"] = true;
                    s["changes"] = json::array();
                    s["phase"] = "executed";
                    Unstage(ctx, c);
                    ctx.save();
                    return StepResult::Done();
                }
                Unstage(ctx, c);
                ctx.save();
                return StepResult::Failed("CloudFormation could not prepare the change: " + PlainReason(why));
            }
            if (phase == "describe") {
                json changes = json::array();
                for (const auto& ch : set.changes) {
                    changes.push_back({{"action", ch.action}, {"logical_id", ch.logical_id}, {"type", ch.resource_type},
                                       {"replacement", ch.replacement}});
                    std::string line = "change: " + ch.action + " " + ch.logical_id + " (" + ch.resource_type + ")";
                    if (ch.replacement == "True") line += ", replaced";
                    ctx.event(ch.action == "Remove" || ch.replacement == "True" ? "warning" : "info", line);
                }
                s["changes"] = changes;
                s["phase"] = phase = "execute";
                ctx.save();
                ctx.progress(0.7);
            }
            if (set.execution_status == "AVAILABLE") {
                if (s.value("change_set_type", "") == "UPDATE") {
                    // Only events after this point belong to this update.
                    auto newest = cfn::DescribeStackEvents(c, Str(s, "stack_id"), {}, 1);
                    if (!newest) return FromError(ctx, "reading the stack's events", newest.error());
                    if (!newest->empty()) s["last_event_id"] = newest->front().id;
                }
                auto run = cfn::ExecuteChangeSet(c, set.id, "");
                if (!run) return FromError(ctx, "executing the change set", run.error());
            } else if (set.execution_status != "EXECUTE_IN_PROGRESS" && set.execution_status != "EXECUTE_COMPLETE") {
                return StepResult::Failed("the change set cannot be executed (" + set.execution_status + "): " +
                                          PlainReason(set.status_reason));
            }
            ctx.event("info", "executing the change set (" + std::to_string(set.changes.size()) + " change(s))");
            s["phase"] = "executed";
            Unstage(ctx, c);  // CloudFormation keeps its own copy of the template with the change set
            s["poll_ms"] = o_.poll_initial_ms;
            ctx.save();
        }
        ctx.progress(1.0);
        return StepResult::Done();
    }

    // -----------------------------------------------------------------------------------------------
    // [SECTION] staging
    //
    // Real CloudFormation fetches a TemplateURL with the caller's credentials, so the object must be
    // readable by whoever calls CreateChangeSet: the user's role (a bucket in their own account, created
    // here on first use and named after account and region, as `aws cloudformation deploy` users do) or the
    // gateway's own credentials (CS_AWS_TEMPLATE_BUCKET, the operator's bucket). One object per deployment,
    // removed once the change set has run; state["staged_template"] remembers it across restarts.

    // The account id of the user's role ("" for the gateway's own credentials).
    std::string RoleAccount(const StepContext& ctx) const {
        if (!o_.user_role) return {};
        auto role = o_.user_role(ctx.owner_id);
        if (!role) return {};
        std::string_view arn = role->role_arn;  // arn:aws:iam::<account>:role/<name>
        for (int i = 0; i < 4; ++i) {
            const auto colon = arn.find(':');
            if (colon == std::string_view::npos) return {};
            arn.remove_prefix(colon + 1);
        }
        return std::string(arn.substr(0, arn.find(':')));
    }

    StepResult Stage(StepContext& ctx, const aws::CallContext& c, const std::string& text) {
        json& s = ctx.state;
        const std::string account = RoleAccount(ctx);
        std::string bucket = o_.template_bucket;
        if (bucket.empty()) {
            if (account.empty()) {
                return StepResult::Failed("the CloudFormation template is " + std::to_string(text.size()) +
                                          " bytes, above the 51,200 bytes CloudFormation takes inline, and there is "
                                          "no S3 bucket to stage it in: set an AWS role for your account (GET "
                                          "/v1/account/aws) or ask the operator to set CS_AWS_TEMPLATE_BUCKET");
            }
            bucket = "cloudsketch-templates-" + account + "-" + c.region;
        }
        const aws::s3::ObjectRef object{bucket, std::string(kStagingPrefix) + ctx.plan.id + "/" + ctx.deployment_id + ".json"};
        auto url = aws::s3::ObjectUrl(c, object);
        if (!url) return FromError(ctx, "the template's S3 URL", url.error());
        // Recorded before the upload: a gateway killed during PutObject still knows what to remove.
        s["staged_template"] = {{"bucket", bucket}, {"key", object.key}, {"url", *url}, {"owner", account}};
        ctx.save();
        auto put = aws::s3::PutObject(c, object, text, "application/json", account);
        if (!put && put.error().code == "NoSuchBucket" && o_.template_bucket.empty()) {
            auto made = aws::s3::CreateBucket(c, bucket);
            if (!made) {
                s.erase("staged_template");
                if (made.error().code == "BucketAlreadyExists") {
                    return StepResult::Failed("another AWS account owns the bucket name " + bucket + " (for staging "
                                              "templates); ask the operator to set CS_AWS_TEMPLATE_BUCKET");
                }
                return FromError(ctx, "creating the S3 bucket " + bucket + " for large templates", made.error());
            }
            ctx.event("info", "created the S3 bucket " + bucket + " for templates over 51,200 bytes");
            // The backstop for objects no end path removed (a gateway that never came back): S3 expires them.
            auto rule = aws::s3::PutExpiryRule(c, bucket, "cloudsketch-expire-staged-templates", kStagingPrefix, 1, account);
            if (!rule) {
                ctx.event("warning", "could not give " + bucket + " its rule expiring staged templates after a day (" +
                                         Describe(rule.error()) + "); staged templates are still removed after each deployment");
            }
            put = aws::s3::PutObject(c, object, text, "application/json", account);
        }
        if (!put) s.erase("staged_template");  // not written (a retry records it again)
        if (!put && put.error().code == "AccessDenied" && !account.empty()) {
            // x-amz-expected-bucket-owner did not match, or the role may not write there.
            return StepResult::Failed("the S3 bucket " + bucket + " refused the template (" + Describe(put.error()) +
                                      "): either another AWS account owns the bucket name (ask the operator to set "
                                      "CS_AWS_TEMPLATE_BUCKET) or your role lacks s3:PutObject on it");
        }
        if (!put) return FromError(ctx, "uploading the template to s3://" + bucket, put.error());
        ctx.event("info", "the template is " + std::to_string(text.size()) + " bytes, above the 51,200 bytes "
                          "CloudFormation takes inline: staged at s3://" + bucket + "/" + object.key);
        return StepResult::Done();
    }

    // Removes the staged template, if any. A failure leaves a small object behind and says so; it does not
    // fail the deployment.
    void Unstage(StepContext& ctx, const aws::CallContext& c) {
        json& s = ctx.state;
        if (!s.contains("staged_template")) return;
        RemoveStaged(ctx, c, s["staged_template"]);
        s.erase("staged_template");
    }

    // Objects staged by earlier deployments of this plan that ended before removing them (StartDeployment).
    void RemoveLeftovers(StepContext& ctx, const aws::CallContext& c) {
        json& s = ctx.state;
        if (!s.contains("staged_leftovers")) return;
        for (const json& t : s["staged_leftovers"]) RemoveStaged(ctx, c, t);
        s.erase("staged_leftovers");
        ctx.save();
    }

    // S3 answers 204 for an object that is already gone, so removing twice is harmless.
    void RemoveStaged(StepContext& ctx, const aws::CallContext& c, const json& t) {
        const aws::s3::ObjectRef object{Str(t, "bucket"), Str(t, "key")};
        auto gone = aws::s3::DeleteObject(c, object, Str(t, "owner"));
        if (!gone) {
            ctx.event("warning", "could not remove the staged template s3://" + object.bucket + "/" + object.key + ": " +
                                     Describe(gone.error()) + " (the bucket's lifecycle rule expires it after a day)");
        } else {
            ctx.event("info", "removed the staged template s3://" + object.bucket + "/" + object.key);
        }
    }

    // -----------------------------------------------------------------------------------------------
    // [SECTION] follow

    StepResult Follow(StepContext& ctx) {
        json& s = ctx.state;
        if (s.value("no_changes", false)) {
            ctx.event("info", "install: nothing to do, the stack did not change");
            return StepResult::Done();
        }
        auto calls = Connect(ctx);
        if (!calls) return FromError(ctx, "AWS credentials", calls.error());
        const aws::CallContext& c = calls->ctx;
        const std::string stack_id = Str(s, "stack_id");
        bool moved = false;
        auto events = cfn::DescribeStackEvents(c, stack_id, Str(s, "last_event_id"));
        if (!events) return FromError(ctx, "reading the stack's events", events.error());
        if (!events->empty()) {
            moved = true;
            json completed = s.value("completed", json::array());
            for (auto it = events->rbegin(); it != events->rend(); ++it) {  // oldest first
                ctx.event(EventLevel(*it), DescribeEvent(*it));
                if (IsRootFailure(*it) && !s.contains("first_failure")) {
                    s["first_failure"] = it->logical_id + " (" + it->resource_type + "): " + PlainReason(it->reason);
                }
                if (it->resource_type != "AWS::CloudFormation::Stack" && it->status.ends_with("_COMPLETE") &&
                    std::find(completed.begin(), completed.end(), it->logical_id) == completed.end()) {
                    completed.push_back(it->logical_id);
                }
            }
            s["completed"] = completed;
            s["last_event_id"] = events->front().id;
            const std::size_t total = std::max<std::size_t>(1, s.value("changes", json::array()).size());
            ctx.progress(std::min(1.0, static_cast<double>(completed.size()) / static_cast<double>(total)));
            ctx.save();
        }
        auto stack = cfn::DescribeStack(c, stack_id);
        if (!stack) return FromError(ctx, "reading the stack", stack.error());
        if (!*stack) return StepResult::Failed("the stack " + Str(s, "stack_name") + " no longer exists");
        const std::string failure = s.contains("first_failure") ? Str(s, "first_failure") : (*stack)->status_reason;
        switch (Classify((*stack)->status)) {
            case StackOutcome::InProgress: return StepResult::Wait(NextPoll(ctx, moved));
            case StackOutcome::Succeeded:
                ctx.event("info", "stack " + (*stack)->name + " is " + (*stack)->status);
                ctx.progress(1.0);
                return StepResult::Done();
            case StackOutcome::CreateRolledBack:
                return StepResult::Failed("the stack could not be created and was rolled back (" + (*stack)->status +
                                          "): " + failure);
            case StackOutcome::UpdateRolledBack:
                return StepResult::Failed("the update failed and was rolled back; the previous version is still running "
                                          "(UPDATE_ROLLBACK_COMPLETE): " + failure);
            case StackOutcome::Broken: break;
        }
        return StepResult::Failed("the stack is " + (*stack)->status + (failure.empty() ? "" : ": " + failure));
    }

    // -----------------------------------------------------------------------------------------------
    // [SECTION] verify

    StepResult Verify(StepContext& ctx) {
        json& s = ctx.state;
        auto calls = Connect(ctx);
        if (!calls) return FromError(ctx, "AWS credentials", calls.error());
        auto stack = cfn::DescribeStack(calls->ctx, Str(s, "stack_id").empty() ? Str(s, "stack_name") : Str(s, "stack_id"));
        if (!stack) return FromError(ctx, "reading the stack", stack.error());
        if (!*stack) return StepResult::Failed("the stack " + Str(s, "stack_name") + " does not exist");
        if (Classify((*stack)->status) != StackOutcome::Succeeded) {
            return StepResult::Failed("the stack is " + (*stack)->status + ", not complete");
        }
        json endpoints = json::array(), instances = json::array(), buckets = json::array();
        json backup_instances = json::array();  // primaries with the backup script
        std::string database, user;
        for (const plan::Component* db : Databases(ctx.plan)) {
            const std::string id = plan::LogicalId(db->id);
            const std::string* host = (*stack)->Output(id + "Endpoint");
            const std::string* port = (*stack)->Output(id + "Port");
            if (host == nullptr || host->empty() || port == nullptr) {
                return StepResult::Failed("the stack has no " + id + "Endpoint/" + id + "Port output");
            }
            const int port_number = std::atoi(port->c_str());
            endpoints.push_back({{"role", "primary"}, {"host", *host}, {"port", port_number}});
            if (const std::string* replicas = (*stack)->Output(id + "ReplicaEndpoints")) {
                std::string_view rest = *replicas;
                while (!rest.empty()) {
                    const auto comma = rest.find(',');
                    std::string_view one = rest.substr(0, comma);
                    if (!one.empty()) endpoints.push_back({{"role", "replica"}, {"host", std::string(one)}, {"port", port_number}});
                    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
                }
            }
            if (const std::string* d = (*stack)->Output(id + "Database"); d && database.empty()) database = user = *d;
            if (const std::string* i = (*stack)->Output(id + "PrimaryInstanceId")) {
                instances.push_back(*i);
                if (std::get<plan::PostgresSpec>(db->spec).backups.enabled) backup_instances.push_back(*i);
            }
            if (const std::string* b = (*stack)->Output(id + "BackupBucket")) buckets.push_back(*b);
        }
        s["stack_id"] = (*stack)->id;
        s["connection"] = {{"endpoints", endpoints}, {"database", database}, {"user", user}};
        s["instance_ids"] = instances;
        s["backup_instance_ids"] = backup_instances;
        s["backup_buckets"] = buckets;
        ctx.save();
        ctx.event("info", "PostgreSQL is at " + endpoints[0]["host"].get<std::string>() + ":" +
                              std::to_string(endpoints[0]["port"].get<int>()) + " (database " + database + ")");
        return StepResult::Done();
    }

    AwsTargetOptions o_;
    std::shared_ptr<aws::CredentialsProvider> gateway_chain_;
    std::mutex mu_;
    std::map<std::string, std::shared_ptr<aws::CredentialsProvider>> per_user_;
};

// -------------------------------------------------------------------------------------------------------
// [SECTION] check

Health AwsTarget::Check(StepContext& ctx) {
    Health h;
    json& s = ctx.state;
    h.checks = json::object();
    if (!s.is_object() || Str(s, "stack_id").empty()) {
        h.reason = "not deployed";
        return h;
    }
    auto calls = Connect(ctx);
    if (!calls) {
        h.reason = "AWS credentials: " + Describe(calls.error());
        return h;
    }
    auto stack = cfn::DescribeStack(calls->ctx, Str(s, "stack_id"));
    if (!stack) {
        h.reason = "could not read the stack: " + Describe(stack.error());
        return h;
    }
    if (!*stack) {
        h.reason = "the stack no longer exists";
        return h;
    }
    h.checks["stack_status"] = (*stack)->status;
    const StackOutcome outcome = Classify((*stack)->status);
    if (outcome != StackOutcome::Succeeded && outcome != StackOutcome::UpdateRolledBack && outcome != StackOutcome::InProgress) {
        h.reason = "the stack is " + (*stack)->status;
        return h;
    }
    std::vector<std::string> ids;
    for (const auto& i : s.value("instance_ids", json::array())) ids.push_back(i.get<std::string>());
    json instances = json::array();
    if (!ids.empty()) {
        auto statuses = aws::ec2::DescribeInstanceStatus(calls->ctx, ids);
        if (!statuses) {
            h.reason = "could not read EC2 status checks: " + Describe(statuses.error());
            return h;
        }
        for (const auto& st : *statuses) {
            instances.push_back({{"id", st.instance_id}, {"state", st.state}, {"system", st.system_status},
                                 {"instance", st.instance_status}});
            if (h.reason.empty() && st.state != "running") h.reason = "server " + st.instance_id + " is " + st.state;
            if (h.reason.empty() && (st.system_status == "impaired" || st.instance_status == "impaired")) {
                h.reason = "EC2 status check failed on " + st.instance_id + " (system " + st.system_status +
                           ", instance " + st.instance_status + ")";
            }
        }
        if (h.reason.empty() && statuses->size() < ids.size()) h.reason = "EC2 does not know every server of the stack";
    }
    h.checks["instances"] = instances;
    if (h.reason.empty()) CheckPostgresFromGateway(ctx, h);
    h.ok = h.reason.empty();
    return h;
}

// The servers sit in the user's VPC; a gateway outside it cannot reach them, which says nothing about their
// health (EC2's status checks above do), so "not reachable from the gateway" is recorded without turning the
// light red. A server that answers but refuses the application role or the query does turn it red.
void AwsTarget::CheckPostgresFromGateway(StepContext& ctx, Health& h) {
    const json conn = ctx.state.value("connection", json::object());
    json results = json::array();
    for (const auto& e : conn.value("endpoints", json::array())) {
        const std::string host = e.value("host", ""), role = e.value("role", "");
        const int port = e.value("port", 0);
        if (host.empty() || port <= 0) continue;
        const auto r = CheckPostgres(host, port, conn.value("database", "app"), conn.value("user", "app"),
                                     ctx.secrets.db_password, o_.postgres_check_timeout_s);
        json one = {{"role", role}, {"host", host}, {"port", port}};
        switch (r.outcome) {
            case PgCheck::Outcome::Ok: one["result"] = "ok"; break;
            case PgCheck::Outcome::Unreachable: one["result"] = "not reachable from the gateway"; break;
            case PgCheck::Outcome::Failed:
                one["result"] = "failed";
                one["detail"] = r.detail;
                if (h.reason.empty()) {
                    h.reason = "PostgreSQL (" + role + ") at " + host + ":" + std::to_string(port) +
                               " answered the gateway but the check failed: " + r.detail;
                }
                break;
        }
        results.push_back(std::move(one));
    }
    h.checks["postgres"] = results;
}

// [SECTION] backup
//
// The first-boot script installs /usr/local/bin/cloudsketch-backup on every primary with backups on (a
// pg_basebackup into the stack's S3 bucket, then its restore check when the plan validates backups) and runs it
// from cron. On demand, the gateway runs the same script through SSM Run Command (AWS-RunShellScript) and
// follows the invocation. That needs the instance to be managed by Systems Manager: the SSM agent (Amazon Linux
// and Ubuntu images have it, Debian's do not) and the right to register, which the stack's instance role grants
// (AmazonSSMManagedInstanceCore). Without an agent SSM answers InvalidInstanceId and the backup fails saying so.

StepResult AwsTarget::Backup(StepContext& ctx, bool validate) {
    StartDeployment(ctx);
    json& s = ctx.state;
    bool any_backups = false;
    for (const plan::Component* db : Databases(ctx.plan)) {
        any_backups = any_backups || std::get<plan::PostgresSpec>(db->spec).backups.enabled;
    }
    if (!any_backups) return StepResult::Failed("backups are off for every database of this plan; turn them on and deploy");
    json ids = s.value("backup_instance_ids", s.value("instance_ids", json::array()));
    if (ids.empty()) return StepResult::Failed("no server of this plan is recorded; deploy it first");
    auto calls = Connect(ctx);
    if (!calls) return FromError(ctx, "AWS credentials", calls.error());
    const aws::CallContext& c = calls->ctx;
    if (Str(s, "backup_command_id").empty()) {
        std::vector<std::string> instances;
        for (const auto& i : ids) instances.push_back(i.get<std::string>());
        auto sent = aws::ssm::SendShellCommand(c, instances, {"/usr/local/bin/cloudsketch-backup"},
                                               "CloudSketch on-demand backup " + ctx.deployment_id, 3600);
        if (!sent) {
            if (sent.error().code == "InvalidInstanceId") {
                return StepResult::Failed(
                    "Systems Manager does not manage the server(s) " + ids.dump() + ", so the gateway cannot run their "
                    "backup script: their image needs the SSM agent (Amazon Linux 2023 and Ubuntu images have it, "
                    "Debian's do not), and a stack deployed before its instance role carried "
                    "AmazonSSMManagedInstanceCore needs a redeploy (or Default Host Management Configuration in "
                    "Systems Manager for " + c.region + "). Scheduled backups keep running from cron into the "
                    "stack's S3 bucket.");
            }
            return FromError(ctx, "starting the backup through SSM Run Command", sent.error());
        }
        s["backup_command_id"] = *sent;
        s["poll_ms"] = o_.poll_initial_ms;
        ctx.save();
        ctx.event("info", "backup started on " + std::to_string(instances.size()) + " server(s) through SSM Run Command "
                          "(command " + *sent + ")" + (validate ? "; the restore check runs as the plan configures it" : ""));
        return StepResult::Wait(o_.poll_initial_ms);
    }
    const std::string command = Str(s, "backup_command_id");
    for (const auto& i : ids) {
        const std::string instance = i.get<std::string>();
        auto inv = aws::ssm::GetCommandInvocation(c, command, instance);
        if (!inv) return FromError(ctx, "following the backup on " + instance, inv.error());
        if (!*inv) return StepResult::Wait(NextPoll(ctx, false));
        const auto& v = **inv;
        if (v.status == "Pending" || v.status == "InProgress" || v.status == "Delayed") {
            return StepResult::Wait(NextPoll(ctx, false));
        }
        if (v.status != "Success") {
            std::string why = v.standard_error.empty() ? v.status_details : v.standard_error;
            if (why.size() > 600) why = "…" + why.substr(why.size() - 600);
            return StepResult::Failed("the backup on " + instance + " ended " + v.status + " (exit " +
                                      std::to_string(v.response_code) + "): " + why);
        }
    }
    ctx.event("info", "backup finished on every server (" + ids.dump() + "); it is in the stack's S3 bucket");
    s.erase("backup_command_id");
    ctx.save();
    return StepResult::Done();
}

// -------------------------------------------------------------------------------------------------------
// [SECTION] destroy

StepResult AwsTarget::Destroy(StepContext& ctx, bool final_backup) {
    StartDeployment(ctx);
    json& s = ctx.state;
    auto calls = Connect(ctx);
    if (!calls) return FromError(ctx, "AWS credentials", calls.error());
    const aws::CallContext& c = calls->ctx;
    RemoveLeftovers(ctx, c);
    std::string phase = s.value("destroy_phase", "delete");
    if (phase == "delete") {
        if (final_backup) {
            ctx.event("info", "final backup: the scheduled backups and WAL archive stay in the retained S3 bucket");
        }
        std::string stack = Str(s, "stack_id");
        if (stack.empty()) {  // crashed before the id was stored, or never deployed: look it up by name
            auto found = cfn::DescribeStack(c, plan::StackName(ctx.plan));
            if (!found) return FromError(ctx, "looking for the stack", found.error());
            if (*found) stack = (*found)->id;
        }
        if (!stack.empty()) {
            s["stack_id"] = stack;
            auto del = cfn::DeleteStack(c, stack);
            if (!del) return FromError(ctx, "deleting the stack", del.error());
            ctx.event("info", "deleting stack " + plan::StackName(ctx.plan));
        }
        s["destroy_phase"] = phase = stack.empty() ? "parameters" : "deleting";
        s["poll_ms"] = o_.poll_initial_ms;
        ctx.save();
    }
    if (phase == "deleting") {
        const std::string stack_id = Str(s, "stack_id");
        auto events = cfn::DescribeStackEvents(c, stack_id, Str(s, "last_event_id"));
        bool moved = false;
        if (events && !events->empty()) {
            moved = true;
            for (auto it = events->rbegin(); it != events->rend(); ++it) {
                if (it->status.starts_with("DELETE_")) ctx.event(EventLevel(*it), DescribeEvent(*it));
                if (it->status == "DELETE_FAILED" && IsRootFailure(*it) && !s.contains("first_failure")) {
                    s["first_failure"] = it->logical_id + " (" + it->resource_type + "): " + PlainReason(it->reason);
                }
            }
            s["last_event_id"] = events->front().id;
        }
        auto stack = cfn::DescribeStack(c, stack_id);
        if (!stack) return FromError(ctx, "reading the stack", stack.error());
        const std::string status = *stack ? (*stack)->status : "DELETE_COMPLETE";
        if (status == "DELETE_FAILED") {
            return StepResult::Failed("the stack could not be deleted: " +
                                      (s.contains("first_failure") ? Str(s, "first_failure") : (*stack)->status_reason));
        }
        if (status != "DELETE_COMPLETE") return StepResult::Wait(NextPoll(ctx, moved));
        ctx.event("info", "stack deleted (DELETE_COMPLETE)");
        s["destroy_phase"] = phase = "parameters";
        ctx.save();
    }
    if (phase == "parameters") {
        json names = s.value("parameters", json::array());
        if (names.empty()) {
            for (const plan::Component* db : Databases(ctx.plan)) {
                names.push_back(plan::PasswordParameterName(ctx.plan, *db));
                names.push_back(plan::ReplicationPasswordParameterName(ctx.plan, *db));
            }
        }
        for (const auto& n : names) {
            auto gone = aws::ssm::DeleteParameter(c, n.get<std::string>());
            if (!gone) return FromError(ctx, "deleting parameter " + n.get<std::string>(), gone.error());
        }
        ctx.event("info", "deleted the password parameter(s) from SSM");
        for (const auto& b : s.value("backup_buckets", json::array())) {
            ctx.event("info", "kept the backup bucket " + b.get<std::string>() + " (delete it yourself when you no longer need the backups)");
        }
        for (const char* key : {"stack_id", "connection", "instance_ids", "parameters", "change_set_id", "phase"}) s.erase(key);
        s["destroy_phase"] = "done";
        ctx.save();
    }
    return StepResult::Done();
}

}  // namespace

aws::Result<DriftReport> DetectDrift(const AwsTargetOptions& o, const std::string& owner_id,
                                     const nlohmann::json& state, int wait_ms) {
    const std::string stack = state.is_object() ? Str(state, "stack_id") : "";
    const std::string region = state.is_object() ? Str(state, "region") : "";
    if (stack.empty() || region.empty()) return aws::MakeError(aws::kErrInvalidArgument, "the plan has no stack");
    std::shared_ptr<aws::CredentialsProvider> provider(aws::MakeDefaultCredentialsChain(o.env, o.now));
    if (o.user_role) {
        if (auto role = o.user_role(owner_id)) provider = AssumeUserRole(o, provider, owner_id, *role);
    }
    auto credentials = provider->Get();
    if (!credentials) return credentials.error();
    aws::HttpClient http(o.http);
    aws::CallContext c{&http, std::move(*credentials), region, o.env, o.now};
    auto id = cfn::DetectStackDrift(c, stack);
    if (!id) return id.error();
    DriftReport report;
    report.detection_id = *id;
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
    int pause_ms = std::min(o.poll_initial_ms, 1000);
    for (;;) {
        auto st = cfn::DescribeStackDriftDetectionStatus(c, *id);
        if (!st) return st.error();
        report.detection_status = st->detection_status;
        report.drift_status = st->drift_status;
        report.reason = st->reason;
        report.drifted_resources = st->drifted_resources;
        if (st->detection_status != "DETECTION_IN_PROGRESS" || std::chrono::steady_clock::now() >= until) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
        pause_ms = std::min(pause_ms * 2, 5000);
    }
    return report;
}

AwsTargetOptions AwsTargetOptionsFromEnv(aws::Env env) {
    AwsTargetOptions o;
    auto text = [&](const char* name) {
        auto it = env.find(name);
        return it == env.end() ? std::string() : it->second;
    };
    auto number = [&](const char* name, int fallback) {
        const std::string v = text(name);
        const int n = v.empty() ? 0 : std::atoi(v.c_str());
        return n > 0 ? n : fallback;
    };
    o.vpc_id = text("CS_AWS_VPC_ID");
    o.subnet_id = text("CS_AWS_SUBNET_ID");
    o.cfn_role_arn = text("CS_AWS_CFN_ROLE_ARN");
    o.template_bucket = text("CS_AWS_TEMPLATE_BUCKET");
    o.poll_initial_ms = number("CS_AWS_POLL_INITIAL_MS", o.poll_initial_ms);
    o.poll_max_ms = std::max(o.poll_initial_ms, number("CS_AWS_POLL_MAX_MS", o.poll_max_ms));
    o.env = std::move(env);
    return o;
}

std::unique_ptr<Target> MakeAwsTarget(AwsTargetOptions options) {
    return std::make_unique<AwsTarget>(std::move(options));
}

}  // namespace gw::deploy
