#include "aws/xml.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <mutex>
#include <vector>

namespace gw::aws {
namespace {

std::string_view Name(const xmlNode* n) { return reinterpret_cast<const char*>(n->name); }

// True when n is named path[last], its parent path[last-1], and so on.
bool TailMatches(const xmlNode* n, std::initializer_list<std::string_view> path) {
    for (auto it = path.end(); it != path.begin();) {
        --it;
        if (n == nullptr || n->type != XML_ELEMENT_NODE || Name(n) != *it) return false;
        n = n->parent;
    }
    return true;
}

const xmlNode* FindFirst(const xmlNode* n, std::initializer_list<std::string_view> path) {
    for (; n != nullptr; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        if (TailMatches(n, path)) return n;
        if (const xmlNode* found = FindFirst(n->children, path)) return found;
    }
    return nullptr;
}

void CollectAll(const xmlNode* n, std::initializer_list<std::string_view> path, std::vector<const xmlNode*>& out) {
    for (; n != nullptr; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        if (TailMatches(n, path)) out.push_back(n);
        CollectAll(n->children, path, out);
    }
}

bool HasElementChildren(const xmlNode* n) {
    for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) return true;
    }
    return false;
}

void Flatten(const xmlNode* n, const std::string& prefix, XmlDocument::Record& out) {
    for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        std::string key = prefix.empty() ? std::string(Name(c)) : prefix + "." + std::string(Name(c));
        if (HasElementChildren(c)) {
            Flatten(c, key, out);
        } else {
            xmlChar* content = xmlNodeGetContent(c);
            out[key] = content ? reinterpret_cast<const char*>(content) : "";
            xmlFree(content);
        }
    }
}

}  // namespace

void XmlDocument::Deleter::operator()(void* doc) const { xmlFreeDoc(static_cast<xmlDoc*>(doc)); }

Result<XmlDocument> XmlDocument::Parse(std::string_view text) {
    static std::once_flag init;
    std::call_once(init, [] { xmlInitParser(); });  // libxml2 wants this once before threads parse
    // No XML_PARSE_NOENT / DTDLOAD: entities stay unexpanded and nothing external is fetched (XXE).
    xmlDoc* doc = xmlReadMemory(text.data(), static_cast<int>(text.size()), "aws.xml", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc == nullptr || xmlDocGetRootElement(doc) == nullptr) {
        if (doc != nullptr) xmlFreeDoc(doc);
        return MakeError(kErrMalformedResponse, "response is not well-formed XML");
    }
    XmlDocument out;
    out.doc_.reset(doc);
    return out;
}

std::optional<std::string> XmlDocument::FindText(std::initializer_list<std::string_view> path) const {
    const xmlNode* root = xmlDocGetRootElement(static_cast<xmlDoc*>(doc_.get()));
    const xmlNode* n = FindFirst(root, path);
    if (n == nullptr) return std::nullopt;
    xmlChar* content = xmlNodeGetContent(n);
    std::string out = content ? reinterpret_cast<const char*>(content) : "";
    xmlFree(content);
    return out;
}

std::vector<XmlDocument::Record> XmlDocument::FindAll(std::initializer_list<std::string_view> path) const {
    std::vector<const xmlNode*> nodes;
    CollectAll(xmlDocGetRootElement(static_cast<xmlDoc*>(doc_.get())), path, nodes);
    std::vector<Record> out;
    out.reserve(nodes.size());
    for (const xmlNode* n : nodes) Flatten(n, "", out.emplace_back());
    return out;
}

std::string XmlDocument::RootName() const {
    const xmlNode* root = xmlDocGetRootElement(static_cast<xmlDoc*>(doc_.get()));
    return std::string(Name(root));
}

}  // namespace gw::aws
