package io.campus.testsupport;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A transaction of another client, open on its own connection: what it writes (or locks) stays
 * uncommitted while a request under test runs into it, so a test decides the order in which two
 * changes meet. {@link TestData#otherTransaction()} opens one.
 */
public final class OtherTransaction implements AutoCloseable {

  private final SqlConnection connection;
  private final Transaction tx;
  private final TestData data;
  private final ExecutorService requests = Executors.newSingleThreadExecutor();

  OtherTransaction(Pool pool, TestData data) {
    this.connection = pool.getConnection().await().indefinitely();
    this.tx = connection.begin().await().indefinitely();
    this.data = data;
  }

  /** Runs {@code sql} in this transaction, uncommitted. */
  public OtherTransaction run(String sql, Object... params) {
    connection.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely();
    return this;
  }

  /** {@link #commitOnceWaiting(Callable, Runnable)} with nothing to do meanwhile. */
  public <T> T commitOnceWaiting(Callable<T> request) throws Exception {
    return commitOnceWaiting(request, () -> {});
  }

  /**
   * Sends {@code request} from another thread; once it waits on a lock of this database (or has
   * answered without waiting: the race the test is about was not met), runs {@code meanwhile} and
   * commits this transaction. Returns what the request returned.
   */
  public <T> T commitOnceWaiting(Callable<T> request, Runnable meanwhile) throws Exception {
    Future<T> answer = requests.submit(request);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                answer.isDone()
                    || data.count(
                            "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                                + " and datname = current_database()")
                        > 0);
    meanwhile.run();
    tx.commit().await().indefinitely();
    return answer.get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    requests.shutdownNow();
    connection.close().await().indefinitely();
  }
}
