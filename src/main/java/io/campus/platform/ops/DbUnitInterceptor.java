package io.campus.platform.ops;

import io.quarkus.arc.ArcInvocationContext;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.util.function.Supplier;

/**
 * Routes {@link DbRead} and {@link DbWrite} methods through {@link DbGuard}. The method is invoked
 * only when the guard admits the unit (on subscription, not at the call), and once per attempt, so
 * a retried read opens its own statement, session or transaction each time and never shares one
 * with another attempt. Runs before the Panache session and transaction interceptors (priority
 * 200), so an admitted unit holds its transaction, not the other way round.
 */
final class DbUnitInterceptor {

  static final int PRIORITY = Interceptor.Priority.PLATFORM_BEFORE + 100;

  private DbUnitInterceptor() {}

  /** The method's own Uni, made on demand (once per subscription, so once per attempt). */
  static Supplier<Uni<Object>> unit(InvocationContext context) {
    if (!Uni.class.isAssignableFrom(context.getMethod().getReturnType())) {
      throw new IllegalStateException(
          "@DbRead and @DbWrite apply to methods returning Uni: " + context.getMethod());
    }
    return () -> {
      try {
        @SuppressWarnings("unchecked")
        Uni<Object> uni = (Uni<Object>) context.proceed();
        return uni;
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  @DbRead
  @Interceptor
  @Priority(PRIORITY)
  static class Read {
    private final DbGuard db;

    @Inject
    Read(DbGuard db) {
      this.db = db;
    }

    @AroundInvoke
    Object guard(InvocationContext context) {
      DbRead unit = ArcInvocationContext.findIterceptorBinding(context, DbRead.class);
      return db.read(
          unit != null && unit.pipelined() ? DbGuard.Lane.PIPELINED_READS : DbGuard.Lane.POOL,
          unit(context));
    }
  }

  @DbWrite
  @Interceptor
  @Priority(PRIORITY)
  static class Write {
    private final DbGuard db;

    @Inject
    Write(DbGuard db) {
      this.db = db;
    }

    @AroundInvoke
    Object guard(InvocationContext context) {
      DbWrite unit = ArcInvocationContext.findIterceptorBinding(context, DbWrite.class);
      return db.write(
          unit != null && unit.pipelined() ? DbGuard.Lane.PIPELINED_WRITES : DbGuard.Lane.POOL,
          unit(context));
    }
  }
}
