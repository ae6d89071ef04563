package io.campus.platform.cache;

import io.campus.blackbox.OsProcesses;
import io.campus.platform.devsupport.EmbeddedServers;
import io.campus.testsupport.CampusTestResources;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import redis.embedded.RedisServer;

/**
 * Like {@link CampusTestResources}, but the service gets a Redis of its own on a free port, which a
 * test may stop and start again. The machine's shared Redis is never touched. With the init
 * argument {@value #PASSWORD} that Redis requires the password, and the service is given it as
 * {@code quarkus.redis.password}; {@value #SETTING} is one more line of that Redis's configuration.
 * A test may also freeze that Redis (SIGSTOP) and thaw it.
 */
public class OwnRedisResources extends CampusTestResources {

  public static final String PASSWORD = "password";
  public static final String SETTING = "setting";

  private static int port;
  private static String password;
  private static String setting;
  private static RedisServer server;

  /**
   * A test profile that gives the service this Redis instead of the shared one, started with the
   * init arguments of {@link #redis()}.
   */
  public static class Profile implements QuarkusTestProfile {
    protected Map<String, String> redis() {
      return Map.of();
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(OwnRedisResources.class, redis()));
    }

    @Override
    public boolean disableGlobalTestResources() {
      return true;
    }
  }

  @Override
  public void init(Map<String, String> initArgs) {
    password = initArgs.get(PASSWORD);
    setting = initArgs.get(SETTING);
  }

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new java.util.HashMap<>(super.start());
    try {
      port = EmbeddedServers.freePort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    startRedis();
    config.put("quarkus.redis.hosts", "redis://127.0.0.1:" + port);
    if (password != null) {
      config.put("quarkus.redis.password", password);
    }
    return config;
  }

  public static synchronized void startRedis() {
    try {
      server =
          RedisServer.newRedisServer()
              .bind("127.0.0.1")
              .port(port)
              .settingIf(password != null, "requirepass " + password)
              .settingIf(setting != null, setting)
              .build();
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static synchronized void stopRedis() {
    try {
      if (server != null) {
        server.stop();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGSTOP: connections stay open and nothing answers, as during a stall of the server. */
  public static synchronized void freezeRedis() {
    OsProcesses.signal("STOP", List.of(serverPid()));
  }

  public static synchronized void thawRedis() {
    OsProcesses.signal("CONT", List.of(serverPid()));
  }

  /** The server's process, which the library keeps to itself. */
  private static long serverPid() {
    try {
      java.lang.reflect.Field process =
          redis.embedded.RedisInstance.class.getDeclaredField("process");
      process.setAccessible(true);
      return ((Process) process.get(server)).pid();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot find the Redis process", e);
    }
  }

  @Override
  public void stop() {
    stopRedis();
    super.stop();
  }
}
