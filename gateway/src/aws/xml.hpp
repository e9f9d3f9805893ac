#pragma once
// A read-only view of an XML document through libxml2, for AWS query-protocol responses (STS,
// CloudFormation) and their error documents. Never parses by hand; never loads DTDs, external entities
// or anything from the network.
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/result.hpp"

namespace gw::aws {

class XmlDocument {
public:
    // Parses text; fails with MalformedResponse on anything libxml2 rejects (or an empty document).
    static Result<XmlDocument> Parse(std::string_view text);

    // Text content of the first element (document order) whose tail of element names equals `path`, ignoring
    // namespaces: {"Error", "Code"} finds <Error><Code> anywhere. nullopt when there is none.
    std::optional<std::string> FindText(std::initializer_list<std::string_view> path) const;
    // Every element (document order) whose tail of element names equals `path`, each flattened into a
    // record: the text of every leaf element below it keyed by its dotted path relative to that element
    // ("ResourceChange.Action"). A repeated leaf path keeps its last text. For lists such as
    // <StackEvents><member>…</member>…</StackEvents>.
    using Record = std::map<std::string, std::string>;
    std::vector<Record> FindAll(std::initializer_list<std::string_view> path) const;
    // Local name of the root element.
    std::string RootName() const;

private:
    struct Deleter {
        void operator()(void* doc) const;
    };
    std::unique_ptr<void, Deleter> doc_;  // an xmlDoc*; void keeps libxml2's headers out of ours
};

}  // namespace gw::aws
