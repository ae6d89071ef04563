package io.campus.platform.common;

import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The conditions a listing adds per call — optional filters and the keyset condition of its cursor
 * — with the parameters they bind, numbered after the statement's fixed ones. {@link #sql()} is the
 * fragment for a slot of {@link Sql#fill}: each condition starts with {@code and}, so it follows
 * the statement's own conditions; "" when there are none. Every variant is its own statement with
 * its own plan, rather than one generic plan with {@code $n is null or ...} branches.
 */
public final class Where {

  /** The sort direction of a keyset: the next page is after ({@code >}) or before ({@code <}). */
  public enum Order {
    ASC(">"),
    DESC("<");

    private final String operator;

    Order(String operator) {
      this.operator = operator;
    }
  }

  /** How a cursor key is read back and bound; anything unreadable is the cursor's 400. */
  public enum Key {
    TIME(Cursor::timeKey, ""),
    LONG(Cursor::longKey, ""),
    // A day, kept in the cursor as its epoch day.
    DAY(Cursor::dayKey, ""),
    TEXT(value -> value, ""),
    // ts_rank is a real: the bound float is compared as one, or the equal rank is never equal.
    REAL(Cursor::floatKey, "::real");

    private final Function<String, Object> parse;
    private final String cast;

    Key(Function<String, Object> parse, String cast) {
      this.parse = parse;
      this.cast = cast;
    }
  }

  private final List<Object> params;
  private final StringBuilder sql = new StringBuilder();

  private Where(List<Object> params) {
    this.params = params;
  }

  /** Starts after the statement's fixed parameters, which are $1, $2, … in this order. */
  public static Where with(Object... fixed) {
    return new Where(new ArrayList<>(Arrays.asList(fixed)));
  }

  /** {@code and column = $n}, or nothing when {@code value} is null. */
  public Where eq(String column, Object value) {
    if (value != null) {
      condition(column + " = " + bind(value));
    }
    return this;
  }

  /**
   * The keyset condition of a cursor made by {@link Cursor#encode} for {@code ordering}: rows after
   * its keys in {@code order} over {@code columns} (one column per key, e.g. {@code
   * "c.published_at, c.id"}); nothing for the first page. A cursor of another listing, or
   * unreadable, is a 400.
   */
  public Where keyset(String cursor, String ordering, String columns, Order order, Key... keys) {
    List<String> values = Cursor.decode(cursor, ordering, keys.length);
    if (values == null) {
      return this;
    }
    List<String> placeholders = new ArrayList<>(keys.length);
    for (int i = 0; i < keys.length; i++) {
      placeholders.add(bind(keys[i].parse.apply(values.get(i))) + keys[i].cast);
    }
    condition(
        keys.length == 1
            ? columns + " " + order.operator + " " + placeholders.get(0)
            : "(" + columns + ") " + order.operator + " (" + String.join(", ", placeholders) + ")");
    return this;
  }

  /** Binds one more parameter (e.g. the limit after the conditions) and returns its {@code $n}. */
  public String bind(Object value) {
    params.add(value);
    return "$" + params.size();
  }

  /** The conditions added, for a slot of the statement: "" when none. */
  public String sql() {
    return sql.toString();
  }

  /** Every parameter: the fixed ones, then those of the conditions in the order added. */
  public Tuple tuple() {
    return Tuple.from(params);
  }

  private void condition(String condition) {
    if (sql.length() > 0) {
      sql.append(' ');
    }
    sql.append("and ").append(condition);
  }
}
