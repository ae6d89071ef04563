package io.campus.auth;

import com.github.benmanes.caffeine.cache.Cache;
import io.campus.platform.cache.CacheConfig;
import io.campus.platform.cache.LocalCaches;
import io.campus.platform.cache.RedisL2;
import io.campus.platform.cache.RedisReply;
import io.campus.platform.common.ProblemException;
import io.campus.platform.ops.ClientAddress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Locks an account's logins after repeated failures: {@code max-failures} wrong passwords lock it
 * for {@code lock}, each further failure doubles the lock up to {@code max-lock}. While locked
 * every attempt, even with the right password, gets a 429 with Retry-After, and the same answer
 * whether or not the account exists (the key is the email, not the user). A successful login clears
 * it.
 *
 * <p>The state lives in Redis (one script per attempt, atomic, behind the cache's timeout and
 * breaker) so every replica sees it; while Redis is down or slow each instance keeps its own copy
 * (Caffeine), which it also keeps up to date while Redis answers. No database statement is added.
 */
@ApplicationScoped
@Startup
public class LoginThrottle {

  private static final Logger LOG = Logger.getLogger(LoginThrottle.class);

  /** Remaining lock (ms; negative: none) and the failure count. */
  private static final String CHECK =
      "return {redis.call('PTTL', KEYS[2]), tonumber(redis.call('GET', KEYS[1]) or '0')}";

  /** Counts a failure; locks once the count reaches ARGV[1]. Returns the lock in ms (0: none). */
  private static final String FAIL =
      """
      local f = redis.call('INCR', KEYS[1])
      local n = tonumber(ARGV[1])
      local lock = 0
      if f >= n then
        lock = math.floor(math.min(tonumber(ARGV[2]) * 2 ^ math.min(f - n, 30), tonumber(ARGV[3])))
        redis.call('SET', KEYS[2], '1', 'PX', lock)
      end
      redis.call('PEXPIRE', KEYS[1], lock + tonumber(ARGV[4]))
      return lock""";

  private final RedisL2 redis;
  private final LoginThrottleConfig config;
  private final String prefix;
  private final Event<LoginLocked> locks;
  private final ClientAddress clients;
  private final Counter refused;
  private final Cache<String, Local> local;

  public LoginThrottle(
      RedisL2 redis,
      LoginThrottleConfig config,
      CacheConfig cache,
      Event<LoginLocked> locks,
      ClientAddress clients,
      MeterRegistry registry) {
    this.redis = redis;
    this.config = config;
    this.prefix = cache.keyPrefix() + "login:";
    this.locks = locks;
    this.clients = clients;
    // Attempts refused by a lock; failure and success are counted by AuthService.
    this.refused =
        Counter.builder("campus.auth.logins")
            .description("Login attempts by outcome")
            .tag("outcome", "locked")
            .register(registry);
    this.local =
        LocalCaches.builder()
            .maximumSize(config.localMaxSize())
            .expireAfterAccess(config.maxLock().plus(config.failureWindow()))
            .build();
  }

  /**
   * Normalised account key of a login email: each code point lower-cased on its own, as
   * PostgreSQL's {@code lower()} does. {@code String.toLowerCase} would not do: it turns İ into two
   * chars and a final Σ into ς, so such spellings, which the lookup takes for the same account,
   * would each count their failures apart. The login also refuses any account whose key differs
   * from the one it was given ({@link AuthService}), for letters only the database knows.
   */
  public static String accountKey(String email) {
    if (email == null) {
      return "";
    }
    StringBuilder key = new StringBuilder(email.length());
    email.trim().codePoints().map(Character::toLowerCase).forEach(key::appendCodePoint);
    return key.toString();
  }

  /**
   * Runs {@code attempt} unless the account is locked; counts a 401 from it as a failure and a
   * success as a reset.
   */
  public <T> Uni<T> guard(String email, Supplier<Uni<T>> attempt) {
    return guard(email, attempt, 401);
  }

  /**
   * Like {@link #guard(String, Supplier)} for another proof of the password (a password change
   * answers a wrong current password with {@code failureStatus}): the same account lock counts it.
   */
  public <T> Uni<T> guard(String email, Supplier<Uni<T>> attempt, int failureStatus) {
    if (!config.enabled()) {
      return attempt.get();
    }
    String account = accountKey(email);
    // read while this request is current: the lock's audit row is written off the request
    String client = clients.current();
    return state(account)
        .chain(
            state -> {
              if (state.lockedMillis() > 0) {
                refused.increment();
                LOG.debugf("Login refused: account locked for %d ms", state.lockedMillis());
                return Uni.createFrom().failure(lockedProblem(state.lockedMillis()));
              }
              return attempt
                  .get()
                  .call(
                      ignored -> {
                        // Redis is asked only when it counted failures; this instance's copy
                        // (kept while Redis was away) is always cleared.
                        local.invalidate(account);
                        return state.failures() > 0 ? reset(account) : Uni.createFrom().voidItem();
                      })
                  .onFailure(e -> e instanceof ProblemException p && p.status() == failureStatus)
                  .call(e -> failed(account, client));
            });
  }

  static ProblemException lockedProblem(long millis) {
    return new ProblemException(
        429,
        "Too Many Requests",
        "Too many failed logins for this account; retry after the given delay.",
        null,
        (int) Math.max(1, (millis + 999) / 1000));
  }

  record State(long lockedMillis, long failures) {}

  /** The account's lock and failure count, from Redis or, while it is away, this instance. */
  Uni<State> state(String account) {
    return redis
        .send(script(CHECK, account))
        .map(
            reply -> {
              if (reply.available() && reply.response() != null) {
                Response r = reply.response();
                return new State(r.get(0).toLong(), r.get(1).toLong());
              }
              return localState(account);
            });
  }

  /** Counts a failure; starts (or lengthens) the lock once there are enough. Never fails. */
  Uni<Void> failed(String account, String client) {
    long localLock = localFailure(account);
    return redis
        .send(
            script(FAIL, account)
                .arg(config.maxFailures())
                .arg(config.lock().toMillis())
                .arg(config.maxLock().toMillis())
                .arg(config.failureWindow().toMillis()))
        .map(reply -> redisOr(reply, localLock))
        .onFailure()
        .recoverWithItem(localLock)
        .invoke(lock -> lockStarted(account, lock, client))
        .replaceWithVoid();
  }

  private static long redisOr(RedisReply reply, long localLock) {
    return reply.available() && reply.response() != null ? reply.response().toLong() : localLock;
  }

  /** A correct password: the account starts afresh everywhere. Never fails. */
  Uni<Void> reset(String account) {
    local.invalidate(account);
    return redis
        .send(Request.cmd(Command.DEL).arg(key(account, "f")).arg(key(account, "l")))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  private void lockStarted(String account, long lockMillis, String client) {
    if (lockMillis <= 0) {
      return;
    }
    Duration lockedFor = Duration.ofMillis(lockMillis);
    // never the email typed: the audit row (auth.login-locked) names the account, hashed
    LOG.infof("Login locked for %s after repeated failures from %s", lockedFor, client);
    LoginLocked event = new LoginLocked(account, lockedFor, client);
    locks.fire(event);
    locks.fireAsync(event);
  }

  private Request script(String script, String account) {
    return Request.cmd(Command.EVAL)
        .arg(script)
        .arg(2)
        .arg(key(account, "f"))
        .arg(key(account, "l"));
  }

  /** Hashed, so Redis holds no email; the braces keep both keys in one cluster slot. */
  private String key(String account, String part) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(account.getBytes(StandardCharsets.UTF_8));
      return prefix + "{" + HexFormat.of().formatHex(digest, 0, 16) + "}:" + part;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private State localState(String account) {
    Local state = local.getIfPresent(account);
    return state == null ? new State(0, 0) : state.state(System.nanoTime());
  }

  private long localFailure(String account) {
    return local.get(account, k -> new Local()).fail(System.nanoTime(), config);
  }

  /** One account's failures and lock as this instance saw them. */
  private static final class Local {
    private long failures;
    private long lockedUntil;
    private long forgetAt;

    synchronized State state(long now) {
      if (failures > 0 && now - forgetAt > 0) {
        failures = 0;
      }
      long locked = (lockedUntil - now) / 1_000_000;
      return new State(locked > 0 ? locked : 0, failures);
    }

    synchronized long fail(long now, LoginThrottleConfig config) {
      if (failures > 0 && now - forgetAt > 0) {
        failures = 0;
      }
      failures++;
      long lock = 0;
      if (failures >= config.maxFailures()) {
        long exponent = Math.min(failures - config.maxFailures(), 30);
        lock = Math.min(config.lock().toMillis() << exponent, config.maxLock().toMillis());
        if (lock <= 0) {
          lock = config.maxLock().toMillis();
        }
        lockedUntil = now + lock * 1_000_000;
      }
      forgetAt = now + (lock + config.failureWindow().toMillis()) * 1_000_000;
      return lock;
    }
  }
}
