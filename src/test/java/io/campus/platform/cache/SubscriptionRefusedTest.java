package io.campus.platform.cache;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A SUBSCRIBE that Redis refuses (here an ACL without the channel; a wrong password alike) leaves
 * the instance unsubscribed, so readiness reports the cache as degraded and the subscription is
 * tried again. The client completes SUBSCRIBE once it is written and delivers the refusal as a
 * message, so an unchecked subscription counted as established.
 */
@QuarkusTest
@TestProfile(SubscriptionRefusedTest.NoChannelPermission.class)
class SubscriptionRefusedTest {

  public static class NoChannelPermission extends OwnRedisResources.Profile {
    @Override
    protected Map<String, String> redis() {
      return Map.of(OwnRedisResources.SETTING, "user default on nopass ~* resetchannels +@all");
    }
  }

  @Inject TwoLevelCache cache;

  @Test
  void aRefusedSubscriptionIsNotTakenForOne() {
    Awaitility.await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !cache.subscribed());
  }
}
