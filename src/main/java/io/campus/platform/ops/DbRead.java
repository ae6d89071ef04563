package io.campus.platform.ops;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A database read unit: the annotated {@code Uni}-returning method runs through {@link
 * DbGuard#read} (admission, the {@value DbGuard#READ_BREAKER} breaker, a timeout, and retries on
 * connection-level failures, each retry invoking the method anew). Only for idempotent methods that
 * are a whole unit on their own: never call one inside another guarded unit or transaction. Every
 * public {@code Uni} method of a {@code *Repository} carries this or {@link DbWrite}
 * (RepositoryResilienceTest checks it).
 *
 * <p>Declare it on each method, never on a class: a class-level binding would add to a method's own
 * and run the unit through the guard twice.
 */
@InterceptorBinding
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface DbRead {
  /**
   * The method runs one statement on {@link Pipelined#reads()}: it is admitted in that client's
   * lane, not behind the pool's units.
   */
  @Nonbinding
  boolean pipelined() default false;
}
