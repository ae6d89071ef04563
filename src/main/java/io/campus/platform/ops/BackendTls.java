package io.campus.platform.ops;

import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.SSLOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * TLS to PostgreSQL and Redis, from named configurations of the Quarkus TLS registry ({@code
 * quarkus.tls.<name>.trust-store.pem.certs=...}): {@code campus.ops.db.tls-configuration-name} for
 * every PostgreSQL client (the pool, the pipelined reads, the readiness probe, the read replica)
 * and {@code quarkus.redis.tls-configuration-name} for every Redis client (the data client and the
 * cache's pub/sub subscriber). Every client verifies the server certificate against that CA and the
 * server's host name against the certificate; the JVM trust store plays no part (a native
 * executable has none to speak of).
 *
 * <p>Unsafe settings stop the start-up with a message that says what to change: TLS requested
 * without a CA (unless the named configuration explicitly says {@code trust-all}), a named
 * configuration that turns host name verification off, {@code sslmode} weaker than {@code
 * verify-full}, a name that the registry does not know, and Flyway's JDBC URL asking for TLS
 * without {@code sslmode=verify-full} ({@link #checkJdbcUrl}).
 */
@Singleton
// Built at start-up so that a refused configuration stops the start-up, whatever uses it first.
@io.quarkus.runtime.Startup
public class BackendTls {

  private static final Logger LOG = Logger.getLogger(BackendTls.class);

  static final String DB_KEY = "campus.ops.db.tls-configuration-name";
  static final String REDIS_KEY = "quarkus.redis.tls-configuration-name";
  static final String VERIFY_HOST = "HTTPS";

  /** A TLS registry configuration and the name it was configured under. */
  public record Named(String name, TlsConfiguration config) {}

  private final Optional<Named> db;
  private final Optional<Named> redis;

  @Inject
  public BackendTls(
      TlsConfigurationRegistry registry,
      OpsConfig ops,
      @ConfigProperty(name = REDIS_KEY) Optional<String> redisName) {
    this(
        lookUp(registry, DB_KEY, ops.db().tlsConfigurationName()),
        lookUp(registry, REDIS_KEY, redisName));
  }

  public BackendTls(Optional<Named> db, Optional<Named> redis) {
    db.ifPresent(n -> check(DB_KEY, n));
    redis.ifPresent(n -> check(REDIS_KEY, n));
    this.db = db;
    this.redis = redis;
  }

  /** No TLS configuration at all: plain connections only (tests, dev mode). */
  public static BackendTls none() {
    return new BackendTls(Optional.empty(), Optional.empty());
  }

  public boolean postgresTls() {
    return db.isPresent();
  }

  private static Optional<Named> lookUp(
      TlsConfigurationRegistry registry, String key, Optional<String> name) {
    Optional<String> given = name.map(String::trim).filter(n -> !n.isEmpty());
    if (given.isEmpty()) {
      return Optional.empty();
    }
    TlsConfiguration config =
        registry
            .get(given.get())
            .orElseThrow(
                () ->
                    unsafe(
                        "%s=%s names no TLS configuration: configure quarkus.tls.%s.trust-store"
                            + ".pem.certs (the CA bundle that signed the server's certificate)",
                        key, given.get(), given.get()));
    return Optional.of(new Named(given.get(), config));
  }

  private static void check(String key, Named named) {
    TlsConfiguration config = named.config();
    if (config.isTrustAll()) {
      LOG.warnf(
          "%s=%s trusts every certificate (quarkus.tls.%s.trust-all=true): the server's identity"
              + " is NOT verified",
          key, named.name(), named.name());
      return;
    }
    if (config.getTrustStoreOptions() == null) {
      throw unsafe(
          "TLS configuration '%s' (%s) has no trust store: set quarkus.tls.%s.trust-store.pem.certs"
              + " to the CA bundle of the server (the JVM's trust store is not used)",
          named.name(), key, named.name());
    }
    String algorithm = config.getHostnameVerificationAlgorithm().orElse(VERIFY_HOST);
    if (!VERIFY_HOST.equalsIgnoreCase(algorithm)) {
      throw unsafe(
          "quarkus.tls.%s.hostname-verification-algorithm=%s turns host name verification off"
              + " (%s): remove it or set HTTPS",
          named.name(), algorithm, key);
    }
  }

  /**
   * Applies the PostgreSQL TLS configuration to a client's options (in place): {@code
   * sslmode=verify-full} with the configured CA and host name verification. Without a
   * configuration, options that ask for TLS are refused (nothing to verify the server with).
   */
  public PgConnectOptions postgres(PgConnectOptions options) {
    SslMode mode = options.getSslMode() == null ? SslMode.DISABLE : options.getSslMode();
    if (db.isEmpty()) {
      if (mode != SslMode.DISABLE) {
        throw unsafe(
            "PostgreSQL at %s uses sslmode=%s, but no CA is configured to verify it: set %s to a"
                + " quarkus.tls.<name> configuration with the server's CA bundle (then sslmode"
                + " verify-full applies)",
            options.getHost(), mode.value, DB_KEY);
      }
      return options;
    }
    if (mode != SslMode.DISABLE && mode != SslMode.VERIFY_FULL) {
      throw unsafe(
          "PostgreSQL at %s uses sslmode=%s, which does not verify the server's host name: use"
              + " sslmode=verify-full or leave sslmode out (%s turns on verify-full)",
          options.getHost(), mode.value, DB_KEY);
    }
    TlsConfiguration config = db.get().config();
    applyTrust(options, config);
    options.setHostnameVerificationAlgorithm(VERIFY_HOST);
    // verify-full needs trust options; trust-all (explicit, warned about) can only require TLS.
    options.setSslMode(config.isTrustAll() ? SslMode.REQUIRE : SslMode.VERIFY_FULL);
    return options;
  }

  /**
   * Applies the Redis TLS configuration to a client's options (in place) when its endpoints use
   * {@code rediss://}; refuses {@code rediss://} without a configuration and a configuration with
   * plain {@code redis://} endpoints (which would silently not use it).
   */
  public NetClientOptions redis(List<String> endpoints, NetClientOptions options) {
    if (verifiedRedis(endpoints, options, redis.map(Named::name))) {
      applyTrust(options, redis.get().config());
    }
    return options;
  }

  /**
   * The checks and host name verification that need only the configuration's name (the data client
   * is built before the TLS registry can be looked up; Quarkus applies the named trust store to it
   * itself): {@code rediss://} needs a name, a name needs {@code rediss://}, and TLS verifies the
   * host name. True when the endpoints use TLS.
   */
  static boolean verifiedRedis(
      List<String> endpoints, NetClientOptions options, Optional<String> configurationName) {
    boolean tls =
        endpoints.stream().anyMatch(e -> e.trim().toLowerCase(Locale.ROOT).startsWith("rediss:"));
    Optional<String> name = configurationName.map(String::trim).filter(n -> !n.isEmpty());
    if (name.isEmpty()) {
      if (tls) {
        throw unsafe(
            "Redis endpoints use TLS (rediss://) but no CA is configured to verify them: set %s to"
                + " a quarkus.tls.<name> configuration with the server's CA bundle",
            REDIS_KEY);
      }
      return false;
    }
    if (!tls) {
      throw unsafe(
          "%s=%s is set but the Redis endpoints use redis:// (no TLS): use rediss://",
          REDIS_KEY, name.get());
    }
    options.setSsl(true);
    options.setHostnameVerificationAlgorithm(VERIFY_HOST);
    return true;
  }

  private static void applyTrust(NetClientOptions options, TlsConfiguration config) {
    options.setTrustAll(config.isTrustAll());
    TrustOptions trust = config.getTrustStoreOptions();
    if (trust != null) {
      options.setTrustOptions(trust);
    }
    SSLOptions ssl = config.getSSLOptions();
    if (ssl != null) {
      options.setSslHandshakeTimeout(ssl.getSslHandshakeTimeout());
      options.setSslHandshakeTimeoutUnit(ssl.getSslHandshakeTimeoutUnit());
      if (ssl.getEnabledSecureTransportProtocols() != null
          && !ssl.getEnabledSecureTransportProtocols().isEmpty()) {
        options.setEnabledSecureTransportProtocols(ssl.getEnabledSecureTransportProtocols());
      }
    }
  }

  /**
   * Flyway connects over JDBC: when its URL asks for TLS ({@code ssl=true} or an {@code sslmode}
   * other than {@code disable}) it must be {@code sslmode=verify-full}, with no factory that skips
   * verification; and when the pool uses TLS, Flyway must too. {@code sslrootcert=<PEM file>} names
   * the CA (otherwise the driver reads {@code ~/.postgresql/root.crt}).
   */
  public static void checkJdbcUrl(String url, boolean poolUsesTls) {
    String query = url.contains("?") ? url.substring(url.indexOf('?') + 1) : "";
    String sslmode = null;
    String ssl = null;
    String factory = null;
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = pair.substring(eq + 1).trim();
      switch (key) {
        case "sslmode" -> sslmode = value.toLowerCase(Locale.ROOT);
        case "ssl" -> ssl = value.toLowerCase(Locale.ROOT);
        case "sslfactory" -> factory = value;
        default -> {}
      }
    }
    if (factory != null && !factory.endsWith("LibPQFactory")) {
      throw unsafe(
          "quarkus.datasource.jdbc.url sets sslfactory=%s: remove it (the driver's own factory"
              + " verifies the server with sslrootcert)",
          factory);
    }
    boolean wantsTls =
        (sslmode != null && !sslmode.equals("disable"))
            || (sslmode == null && ssl != null && !ssl.equals("false"));
    if (wantsTls && sslmode != null && !sslmode.equals("verify-full")) {
      throw unsafe(
          "quarkus.datasource.jdbc.url (Flyway) uses sslmode=%s, which does not verify the"
              + " server's host name: use sslmode=verify-full&sslrootcert=<CA bundle file>",
          sslmode);
    }
    if (poolUsesTls && !wantsTls) {
      throw unsafe(
          "The pool verifies PostgreSQL over TLS (%s) but quarkus.datasource.jdbc.url (Flyway)"
              + " does not use TLS: add sslmode=verify-full&sslrootcert=<CA bundle file>",
          DB_KEY);
    }
  }

  private static IllegalStateException unsafe(String format, Object... args) {
    return new IllegalStateException("Unsafe TLS settings: " + String.format(format, args));
  }
}
