package io.campus.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campus.platform.common.Cursor;
import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.campus.platform.common.ProblemException;
import io.campus.platform.common.Sql;
import io.campus.platform.common.Where;
import io.campus.platform.ops.ClientAddress;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.JDBCException;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Writes admin actions and security events: one row in {@code audit_log} (over the raw pool, its
 * own statement outside any transaction of the caller) and one JSON line at INFO on the logger
 * category {@code campus.audit}, so log shipping keeps a copy even when the database write fails.
 */
@ApplicationScoped
public class AuditLog {

  /** The logger category of the JSON lines. */
  public static final String CATEGORY = "campus.audit";

  private static final Logger LINES = Logger.getLogger(CATEGORY);
  private static final String RECORDED = "campus.audit.recorded";
  private static final Logger LOG = Logger.getLogger(AuditLog.class);
  private static final String INSERT =
      """
      insert into audit_log (at, actor_id, action, target_type, target_id, before, after, client)
      values ($1, $2, $3, $4, $5, $6::text::jsonb, $7::text::jsonb, $8)
      """;
  private static final String INSERT_IN_TRANSACTION =
      """
      insert into audit_log (at, actor_id, action, target_type, target_id, before, after, client)
      values (:at, cast(:actor as bigint), :action, :targetType, :targetId,
              cast(cast(:before as text) as jsonb), cast(cast(:after as text) as jsonb),
              cast(:client as text))
      """;
  // Newest first by id (primary key), or one action's (audit_log_action_id) or one actor's
  // (audit_log_actor_id, V10): the filter is filled per call.
  private static final String LIST =
      """
      select id, at, actor_id, action, target_type, target_id, before::text, after::text, client
      from audit_log
      where id < $1 /*{filter}*/
      order by id desc limit $2
      """;

  private final Pool pool;
  private final ObjectMapper mapper;
  private final ClientAddress clients;

  public AuditLog(Pool pool, ObjectMapper mapper, ClientAddress clients) {
    this.pool = pool;
    this.mapper = mapper;
    this.clients = clients;
  }

  /**
   * Logs the event and inserts its row; a failed insert fails the returned Uni (after an ERROR
   * line). Call it once the action succeeded.
   */
  public Uni<Void> record(AuditEvent event) {
    return record(event, clients.current());
  }

  private Uni<Void> record(AuditEvent event, String client) {
    Pending row = logged(event, client);
    return pool.preparedQuery(INSERT)
        .execute(
            Tuple.from(
                java.util.Arrays.asList(
                    row.at(),
                    event.actorId(),
                    event.action(),
                    event.targetType(),
                    event.targetId(),
                    row.before(),
                    row.after(),
                    row.client())))
        .onFailure()
        .invoke(e -> LOG.errorf(e, "Audit row not written for %s", event.action()))
        .replaceWithVoid();
  }

  /**
   * Logs the event and inserts its row in the caller's transaction, on its session: the action and
   * its row commit together, and an action whose row cannot be written fails without having
   * happened (an answered error after a done change would leave the admin guessing).
   */
  public Uni<Void> recordIn(Mutiny.Session session, AuditEvent event) {
    Pending row = logged(event, clients.current());
    return session
        .createNativeQuery(INSERT_IN_TRANSACTION)
        .setParameter("at", row.at())
        .setParameter("actor", event.actorId())
        .setParameter("action", event.action())
        .setParameter("targetType", event.targetType())
        .setParameter("targetId", event.targetId())
        .setParameter("before", row.before())
        .setParameter("after", row.after())
        .setParameter("client", row.client())
        .executeUpdate()
        .onFailure()
        .invoke(e -> LOG.errorf(e, "Audit row not written for %s", event.action()))
        // A row the database refuses (constraint, permission) is our failure, not bad input.
        .onFailure(e -> refusal(e) != null)
        .transform(
            e ->
                new ProblemException(
                    500,
                    "Internal Server Error",
                    "The change could not be recorded in the audit log, so it was not made.",
                    null,
                    null))
        .replaceWithVoid();
  }

  /** The SQL state of an integrity or access error the database answered with, else null. */
  private static String refusal(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String state =
          t instanceof PgException pg
              ? pg.getSqlState()
              : t instanceof JDBCException jdbc ? jdbc.getSQLState() : null;
      if (state != null && (state.startsWith("23") || state.startsWith("42"))) {
        return state;
      }
    }
    return null;
  }

  /** An event's row, its JSON line already logged. */
  private record Pending(OffsetDateTime at, String before, String after, String client) {}

  private Pending logged(AuditEvent event, String client) {
    markRecorded();
    JsonNode before = tree(event.before());
    JsonNode after = tree(event.after());
    OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC);
    LINES.info(line(event, at, before, after, client));
    return new Pending(
        at,
        before == null ? null : before.toString(),
        after == null ? null : after.toString(),
        client);
  }

  /**
   * The same for security events (failed logins, locks): a failed insert is logged and never fails
   * the caller, whose request must get its own answer.
   */
  public Uni<Void> recordQuietly(AuditEvent event) {
    return recordQuietly(event, clients.current());
  }

  /** As {@link #recordQuietly(AuditEvent)}, off the request: {@code client} as it was seen. */
  public Uni<Void> recordQuietly(AuditEvent event, String client) {
    try {
      return record(event, client).onFailure().recoverWithNull();
    } catch (RuntimeException e) {
      LOG.errorf(e, "Audit event not recorded: %s", event.action());
      return Uni.createFrom().voidItem();
    }
  }

  /** Newest first, optionally only one action or one actor; keyset pagination on the id. */
  public Uni<Page<AuditEntry>> list(String action, Long actorId, String cursor, int limit) {
    String ordering = "audit:" + action + ":" + actorId;
    List<String> keys = Cursor.decode(cursor, ordering, 1);
    long before = keys == null ? Long.MAX_VALUE : Cursor.longKey(keys.get(0));
    Where where = Where.with(before, limit + 1).eq("action", action).eq("actor_id", actorId);
    return pool.preparedQuery(Sql.fill(LIST, "filter", where.sql()))
        .execute(where.tuple())
        .map(
            rows -> {
              List<AuditEntry> list = new ArrayList<>();
              for (Row row : rows) {
                list.add(entry(row));
              }
              return PageSize.of(list, limit, last -> Cursor.encode(ordering, last.id()));
            });
  }

  private AuditEntry entry(Row row) {
    return new AuditEntry(
        row.getLong(0),
        row.getOffsetDateTime(1),
        row.getLong(2),
        row.getString(3),
        row.getString(4),
        row.getString(5),
        parse(row.getString(6)),
        parse(row.getString(7)),
        row.getString(8));
  }

  private JsonNode parse(String json) {
    if (json == null) {
      return null;
    }
    try {
      return mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("audit_log holds invalid JSON", e);
    }
  }

  private JsonNode tree(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof JsonObject object) {
      return mapper.valueToTree(object.getMap());
    }
    if (value instanceof JsonArray array) {
      return mapper.valueToTree(array.getList());
    }
    return mapper.valueToTree(value);
  }

  private String line(
      AuditEvent event, OffsetDateTime at, JsonNode before, JsonNode after, String client) {
    ObjectNode line = mapper.createObjectNode();
    line.put("at", at.toString());
    if (event.actorId() == null) {
      line.putNull("actor");
    } else {
      line.put("actor", event.actorId());
    }
    line.put("action", event.action());
    line.put("targetType", event.targetType());
    line.put("targetId", event.targetId());
    line.set("before", before);
    line.set("after", after);
    line.put("client", client);
    return line.toString();
  }

  /**
   * Marks the current request as audited without a row: an admin action that changed nothing has no
   * before and after to record, and must not fall back to an {@code admin.write} row either.
   */
  public void nothingChanged() {
    markRecorded();
  }

  /** Whether an event of the current request was recorded already (by a specific hook). */
  boolean recordedInThisRequest() {
    RoutingContext current = currentRequest();
    return current != null && Boolean.TRUE.equals(current.get(RECORDED));
  }

  private void markRecorded() {
    RoutingContext current = currentRequest();
    if (current != null) {
      current.put(RECORDED, Boolean.TRUE);
    }
  }

  private RoutingContext currentRequest() {
    return clients.currentRequest();
  }
}
