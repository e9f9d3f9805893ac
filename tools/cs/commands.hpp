#pragma once
// One function per `cs` subcommand, each in its own cmd_<name>.cpp. Each takes the arguments after
// the subcommand name and returns the process exit code (0 ok, 1 the input has problems, 2 usage error).
#include <string>
#include <vector>

namespace cs {

using Args = std::vector<std::string>;

int RunValidate(const Args& args);   // cs validate FILE|-   : diagnostics, exit 1 if any error
int RunNormalize(const Args& args);  // cs normalize FILE|-  : the full cs-json form, canonical bytes
int RunRender(const Args& args);     // cs render FILE|-    : the CloudFormation template, exit 1 on errors
int RunTune(const Args& args);       // cs tune --memory 8GB ... : PGTune's postgresql.conf (or ALTER SYSTEM) text
int RunCatalog(const Args& args);    // cs catalog --cloud C --region R [--min-vcpus N --min-memory GiB] : types and prices
int RunCost(const Args& args);       // cs cost [--json] FILE|- : monthly cost estimate of a plan

}  // namespace cs
