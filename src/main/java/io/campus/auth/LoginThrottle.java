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
 * <p>The state lives in Redis (atomic scripts, behind the cache's timeout and breaker) so every
 * replica sees it, and an attempt takes its place among the failures before its password is
 * checked, so attempts sent at once get no more tries than attempts in a row; while Redis is down
 * or slow each instance keeps its own copy (Caffeine), which it also keeps up to date while Redis
 * answers. No database statement is added.
 */
@ApplicationScoped
@Startup
public class LoginThrottle {

  private static final Logger LOG = Logger.getLogger(LoginThrottle.class);

  /** A pending attempt whose instance never settled it stops counting after this long. */
  private static final Duration PENDING_AT_MOST = Duration.ofMinutes(1);

  /** Remaining lock (ms; negative: none) and the failure count. */
  private static final String CHECK =
      "return {redis.call('PTTL', KEYS[2]), tonumber(redis.call('GET', KEYS[1]) or '0')}";

  /**
   * Lets an attempt check its password, unless the account is locked or enough attempts are being
   * checked already to lock it should they fail (ARGV[1] max failures less the failures so far; one
   * at a time once that many failed): attempts sent at once get no more tries than attempts in a
   * row. The attempt is counted as pending (KEYS[3], ARGV[2] ms at most) until FAIL or SETTLE.
   * Returns the lock in ms (positive: refused; one second while the pending ones settle) and the
   * failure count.
   */
  private static final String CLAIM =
      """
      local f = tonumber(redis.call('GET', KEYS[1]) or '0')
      local lock = redis.call('PTTL', KEYS[2])
      if lock > 0 then return {lock, f} end
      local pending = tonumber(redis.call('GET', KEYS[3]) or '0')
      if pending >= math.max(tonumber(ARGV[1]) - f, 1) then return {1000, f} end
      redis.call('INCR', KEYS[3])
      redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[2]))
      return {0, f}""";

  /**
   * An attempt ended without a wrong password (ARGV[1] 1: the right one, which clears the account's
   * failures and lock); ARGV[2] 1: it was claimed by CLAIM, and is no longer pending.
   */
  private static final String SETTLE =
      """
      if ARGV[2] == '1' and tonumber(redis.call('GET', KEYS[3]) or '0') > 0 then
        redis.call('DECR', KEYS[3])
      end
      if ARGV[1] == '1' then redis.call('DEL', KEYS[1], KEYS[2]) end
      return 0""";

  /**
   * Counts a failure (settling a claimed attempt, ARGV[5] 1); locks once the count reaches ARGV[1].
   * Returns the lock in ms (0: none).
   */
  private static final String FAIL =
      """
      if ARGV[5] == '1' and tonumber(redis.call('GET', KEYS[3]) or '0') > 0 then
        redis.call('DECR', KEYS[3])
      end
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
    return claim(account)
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
                        // this instance's copy (kept while Redis was away) is always cleared
                        local.invalidate(account);
                        return state.claimed() || state.failures() > 0
                            ? settle(account, true, state.claimed())
                            : Uni.createFrom().voidItem();
                      })
                  .onFailure(e -> isWrongPassword(e, failureStatus))
                  .call(e -> failed(account, client, state.claimed()))
                  .onFailure(e -> state.claimed() && !isWrongPassword(e, failureStatus))
                  .call(e -> settle(account, false, true));
            });
  }

  private static boolean isWrongPassword(Throwable e, int failureStatus) {
    return e instanceof ProblemException p && p.status() == failureStatus;
  }

  static ProblemException lockedProblem(long millis) {
    return new ProblemException(
        429,
        "Too Many Requests",
        "Too many failed logins for this account; retry after the given delay.",
        null,
        (int) Math.max(1, (millis + 999) / 1000));
  }

  /** An account's lock and failures; {@code claimed}: the attempt is counted pending in Redis. */
  record State(long lockedMillis, long failures, boolean claimed) {
    State(long lockedMillis, long failures) {
      this(lockedMillis, failures, false);
    }
  }

  /**
   * Lets an attempt go ahead (counted pending in Redis) or refuses it with the time to wait; while
   * Redis is away, this instance's own count decides.
   */
  Uni<State> claim(String account) {
    return redis
        .send(script(CLAIM, account).arg(config.maxFailures()).arg(PENDING_AT_MOST.toMillis()))
        .map(
            reply -> {
              if (reply.available() && reply.response() != null) {
                Response r = reply.response();
                long locked = r.get(0).toLong();
                return new State(locked, r.get(1).toLong(), locked <= 0);
              }
              return localState(account);
            });
  }

  /**
   * An attempt ended without a wrong password; {@code right}: the right one, {@code claimed}: it
   * was counted pending in Redis.
   */
  Uni<Void> settle(String account, boolean right, boolean claimed) {
    if (right) {
      local.invalidate(account);
    }
    return redis
        .send(script(SETTLE, account).arg(right ? 1 : 0).arg(claimed ? 1 : 0))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

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
  Uni<Void> failed(String account, String client, boolean claimed) {
    long localLock = localFailure(account);
    return redis
        .send(
            script(FAIL, account)
                .arg(config.maxFailures())
                .arg(config.lock().toMillis())
                .arg(config.maxLock().toMillis())
                .arg(config.failureWindow().toMillis())
                .arg(claimed ? 1 : 0))
        .map(reply -> redisOr(reply, localLock))
        .onFailure()
        .recoverWithItem(localLock)
        .invoke(lock -> lockStarted(account, lock, client))
        .replaceWithVoid();
  }

  private static long redisOr(RedisReply reply, long localLock) {
    return reply.available() && reply.response() != null ? reply.response().toLong() : localLock;
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
        .arg(3)
        .arg(key(account, "f"))
        .arg(key(account, "l"))
        .arg(key(account, "p"));
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
