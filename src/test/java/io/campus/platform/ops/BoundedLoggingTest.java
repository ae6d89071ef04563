package io.campus.platform.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.campus.testsupport.CampusTestResources;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.handlers.WriterHandler;
import org.junit.jupiter.api.Test;

/**
 * The running service's log output stays bounded under a flood of one error, like the {@code Result
 * is already complete} error the Vert.x SQL pool logs for every rejected request
 * (eclipse-vertx/vertx-sql-client#1706).
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class BoundedLoggingTest {

  @Test
  void aFloodOfOneErrorReachesTheConsoleOnlyAFewTimes() {
    List<Handler> writers = new ArrayList<>();
    for (Handler h : LogContext.getLogContext().getLogger("").getHandlers()) {
      collect(h, writers);
    }
    assertThat(writers).isNotEmpty();
    for (Handler writer : writers) {
      long written = 0;
      for (int i = 0; i < 5_000; i++) {
        ExtLogRecord record =
            new ExtLogRecord(
                Level.ERROR,
                "Unhandled exception",
                ExtLogRecord.FormatStyle.NO_FORMAT,
                BoundedLoggingTest.class.getName());
        record.setLoggerName("io.vertx.core.impl.ContextImpl");
        record.setThrown(new IllegalStateException("Result is already complete"));
        if (writer.isLoggable(record)) {
          written++;
        }
      }
      assertThat(written).as(writer.getClass().getName()).isLessThanOrEqualTo(10);
    }
  }

  @Test
  void anAnswerNobodyWaitsForAnyMoreIsNoErrorWhileAnyOtherDroppedFailureIs() {
    List<ExtLogRecord> errors = new ArrayList<>();
    ExtHandler capture =
        new ExtHandler() {
          @Override
          protected void doPublish(ExtLogRecord record) {
            if (record.getLevel().intValue() >= Level.ERROR.intValue()) {
              synchronized (errors) {
                errors.add(record);
              }
            }
          }
        };
    org.jboss.logmanager.Logger root = LogContext.getLogContext().getLogger("");
    root.addHandler(capture);
    try {
      // What Mutiny does with the failure of a request cancelled by its departed client.
      Infrastructure.handleDroppedException(DbGuard.overloaded());
      synchronized (errors) {
        assertThat(errors).isEmpty();
      }

      IllegalStateException bug = new IllegalStateException("a dropped failure of another kind");
      Infrastructure.handleDroppedException(bug);
      synchronized (errors) {
        assertThat(errors).extracting(ExtLogRecord::getThrown).containsExactly(bug);
      }
    } finally {
      root.removeHandler(capture);
    }
  }

  /** The handlers that write to a stream or file; Quarkus wraps them in delegating handlers. */
  private static void collect(Handler handler, List<Handler> into) {
    if (handler instanceof WriterHandler) {
      into.add(handler);
    }
    if (handler instanceof ExtHandler ext) {
      for (Handler child : ext.getHandlers()) {
        collect(child, into);
      }
    }
  }
}
