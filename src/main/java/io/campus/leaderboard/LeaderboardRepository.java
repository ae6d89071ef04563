package io.campus.leaderboard;

import io.campus.platform.common.Sql;
import io.campus.platform.ops.DbRead;
import io.campus.platform.ops.ReadReplica;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the precomputed leaderboard view (see V2 migration): top N from leaderboard_rank_idx and
 * the caller's row from leaderboard_user_uq, one statement.
 */
@ApplicationScoped
public class LeaderboardRepository {

  private static final String TOP = Sql.load("leaderboard/top");

  /** The rows of one read: refresh time, the caller's standing and the top entries. */
  public record Snapshot(
      OffsetDateTime asOf, LeaderboardDtos.Standing me, List<LeaderboardDtos.Entry> top) {}

  private final ReadReplica replica;

  public LeaderboardRepository(ReadReplica replica) {
    this.replica = replica;
  }

  /**
   * The refreshed view (already up to a refresh interval old, with its refresh time): read from the
   * replica when there is one.
   */
  @DbRead
  public Uni<Snapshot> top(long userId, int limit) {
    return replica
        .read(client -> client.preparedQuery(TOP).execute(Tuple.of(userId, limit)))
        .map(
            rows -> {
              OffsetDateTime asOf = null;
              LeaderboardDtos.Standing me = new LeaderboardDtos.Standing(userId, null, 0);
              List<LeaderboardDtos.Entry> top = new ArrayList<>(rows.size());
              for (Row row : rows) {
                asOf = row.getOffsetDateTime("refreshed_at");
                me =
                    new LeaderboardDtos.Standing(
                        userId, row.getInteger("my_rank"), row.getInteger("my_points"));
                if (row.getLong("user_id") != null) {
                  top.add(
                      new LeaderboardDtos.Entry(
                          row.getLong("user_id"),
                          row.getString("display_name"),
                          row.getInteger("points"),
                          row.getInteger("rank")));
                }
              }
              return new Snapshot(asOf, me, top);
            });
  }
}
