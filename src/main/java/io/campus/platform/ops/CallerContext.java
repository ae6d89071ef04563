package io.campus.platform.ops;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Answers on the Vert.x context a call was made from: the request's session and its response belong
 * there. An answer that already arrives there goes on within the same task; only one that arrives
 * elsewhere (another loop, a timer or worker thread) is handed over, in a task on the caller's
 * context. Handing every answer over would cost each call an extra pass of a loop that, under load,
 * serves hundreds of connections per pass.
 */
public final class CallerContext {

  private CallerContext() {}

  /** {@code answer}, delivered on {@code origin}; unchanged when there is no caller's context. */
  public static <T> Uni<T> answerOn(Context origin, Uni<T> answer) {
    if (origin == null) {
      return answer;
    }
    return answer.emitOn(
        task -> {
          if (Vertx.currentContext() == origin) {
            task.run();
          } else {
            origin.runOnContext(ignored -> task.run());
          }
        });
  }
}
