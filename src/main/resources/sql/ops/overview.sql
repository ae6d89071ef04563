-- The DB doctor's overview section (DbDoctor): database size, cache hit rate, the service's own
-- connections and its longest-running statements. No index: statistics views (pg_stat_database,
-- pg_stat_activity).
select current_database() as database, version() as version,
       pg_database_size(current_database()) as size_bytes,
       pg_size_pretty(pg_database_size(current_database())) as size,
       (select round(sum(blks_hit) * 100.0 / nullif(sum(blks_hit) + sum(blks_read), 0), 2)
          from pg_stat_database where datname = current_database()) as cache_hit_percent,
       (select coalesce(json_object_agg(coalesce(state, 'background'), n), '{}') from (
          select state, count(*) as n from pg_stat_activity
          where datname = current_database() and usename = current_user
          group by state) c) as connections,
       (select count(*) from pg_stat_activity
          where datname = current_database() and usename is distinct from current_user)
         as other_roles_connections,
       (select coalesce(json_agg(q), '[]') from (
          select pid, state, extract(epoch from now() - query_start)::numeric(12, 3) as seconds,
                 left(regexp_replace(query, '\s+', ' ', 'g'), 300) as query
          from pg_stat_activity
          where datname = current_database() and usename = current_user
            and state <> 'idle' and pid <> pg_backend_pid() and query_start is not null
          order by query_start limit 10) q) as longest_running
