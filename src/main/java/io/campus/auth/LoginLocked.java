package io.campus.auth;

import java.time.Duration;

/**
 * CDI event: an account's logins are locked from now on for {@code lockedFor}, after repeated
 * failures. {@code accountKey} is the normalised email ({@link LoginThrottle#accountKey}), whether
 * or not such an account exists; {@code client} is the address whose failure started the lock (null
 * when unknown). Fired once per lock, both synchronously ({@code @Observes}: keep it non-blocking,
 * it runs on the event loop) and asynchronously ({@code @ObservesAsync}).
 */
public record LoginLocked(String accountKey, Duration lockedFor, String client) {}
