-- The DB doctor's database-wide slow queries (DbDoctor): the service role's 20 costliest
-- statements. No index: the pg_stat_statements view.
select left(regexp_replace(query, '\s+', ' ', 'g'), 300) as query, calls,
       round(total_exec_time::numeric, 1) as total_ms,
       round(mean_exec_time::numeric, 2) as mean_ms, rows
from pg_stat_statements
where dbid = (select oid from pg_database where datname = current_database())
  and userid = (select oid from pg_roles where rolname = current_user)
order by total_exec_time desc limit 20
