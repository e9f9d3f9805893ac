// Liveness, readiness, the OpenAPI document and the web app's front page.
#include "http_util.hpp"
#include "routes.hpp"
#include "static_site.hpp"

namespace gw {

void HandleHealthz(RouteContext& ctx) { ReplyJson(ctx.res, 200, {{"status", "ok"}}); }

void HandleReadyz(RouteContext& ctx) {
    if (ctx.services.store.Ping()) {
        ReplyJson(ctx.res, 200, {{"status", "ok"}});
    } else {
        ReplyJson(ctx.res, 503, {{"status", "unavailable"}, {"reason", "The database does not answer."}});
    }
}

void HandleOpenApi(RouteContext& ctx) {
    static const std::string document = OpenApiDocument().dump(2);
    ctx.res.status = 200;
    ctx.res.set_content(document, kJsonType);
}

void HandleSiteIndex(RouteContext& ctx) { ctx.services.site.Serve(ctx.req, ctx.res); }

}  // namespace gw
