-- Leaderboard ranks are computed by a periodic refresh (LeaderboardRefresher), so a request reads a
-- few index entries instead of ranking every user. Only users with points are ranked.
create materialized view leaderboard as
select s.user_id, u.display_name, s.points, rank() over (order by s.points desc)::integer as rank
from user_stats s
join users u on u.id = s.user_id
where s.points > 0;
-- my rank; also required by REFRESH MATERIALIZED VIEW CONCURRENTLY
create unique index leaderboard_user_uq on leaderboard (user_id);
-- top N by rank
create index leaderboard_rank_idx on leaderboard (rank, user_id);

-- When the leaderboard was last refreshed: a single row, updated in the refresh's transaction.
create table leaderboard_refreshes (
    id           boolean primary key default true check (id),
    refreshed_at timestamptz not null
);
insert into leaderboard_refreshes (refreshed_at) values (now());
