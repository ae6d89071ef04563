package io.campus.deploy;

import io.campus.platform.devsupport.EmbeddedServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A free port for the management interface of the packaged application under test, so runs of
 * several checkouts on one machine never fight over 9000.
 */
public class ManagementPortResource implements QuarkusTestResourceLifecycleManager {

  private static volatile int port;

  static int port() {
    return port;
  }

  @Override
  public Map<String, String> start() {
    try {
      port = EmbeddedServers.freePort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.of("quarkus.management.port", Integer.toString(port));
  }

  @Override
  public void stop() {}
}
