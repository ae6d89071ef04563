package io.campus.platform.ops;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A database write unit: the annotated {@code Uni}-returning method runs through {@link
 * DbGuard#write} (admission, the {@value DbGuard#WRITE_BREAKER} breaker and a timeout; never
 * retried). Put it outside the transaction boundary: it runs before {@code @WithTransaction}, so
 * the whole transaction is one admitted unit. Never call one inside another guarded unit.
 *
 * <p>Declare it on each method, never on a class: a class-level binding would add to a method's own
 * and run the unit through the guard twice.
 */
@InterceptorBinding
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface DbWrite {
  /**
   * The method runs one autocommit statement on {@link Pipelined#writes()}: it is admitted in that
   * client's lane, not behind the pool's units.
   */
  @Nonbinding
  boolean pipelined() default false;
}
