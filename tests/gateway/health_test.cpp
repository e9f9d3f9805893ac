#include "gateway_fixture.hpp"

namespace gw::test {
namespace {

TEST_F(GatewayTest, HealthzAndReadyzAnswer) {
    auto health = Get("/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    EXPECT_EQ(Body(health)["status"], "ok");
    auto ready = Get("/readyz");
    ASSERT_TRUE(ready);
    EXPECT_EQ(ready->status, 200);
}

}  // namespace
}  // namespace gw::test
