-- The global leaderboard (LeaderboardRepository.top, on the replica when there is one): top N from
-- leaderboard_rank_idx and the caller's row from leaderboard_user_uq (both V2) on the refreshed
-- materialized view; the caller's points from user_stats (primary key) when not ranked.
select r.refreshed_at, me.rank as my_rank, coalesce(me.points, us.points, 0) as my_points,
       top.user_id, top.display_name, top.points, top.rank
from leaderboard_refreshes r
  left join leaderboard me on me.user_id = $1
  left join user_stats us on us.user_id = $1
  left join lateral (
    select l.user_id, l.display_name, l.points, l.rank from leaderboard l
    order by l.rank, l.user_id
    limit $2) top on true
order by top.rank, top.user_id
