-- The DB doctor's index section (DbDoctor): unused and duplicate indexes, and large tables read
-- by sequential scans ($1: the smallest table worth an index). No index: catalogue and statistics
-- views (pg_stat_user_indexes, pg_index, pg_stat_user_tables).
select
  (select coalesce(json_agg(u), '[]') from (
     select s.relname as table, s.indexrelname as index, s.idx_scan as scans,
            pg_size_pretty(pg_relation_size(s.indexrelid)) as size
     from pg_stat_user_indexes s join pg_index i on i.indexrelid = s.indexrelid
     where s.idx_scan = 0 and not i.indisunique and not i.indisprimary
     order by pg_relation_size(s.indexrelid) desc) u) as unused,
  (select coalesce(json_agg(d), '[]') from (
     select a.indrelid::regclass::text as table, a.indexrelid::regclass::text as index,
            b.indexrelid::regclass::text as covered_by
     from pg_index a join pg_index b on a.indrelid = b.indrelid
       and a.indexrelid <> b.indexrelid
       and (b.indkey::text = a.indkey::text
            or b.indkey::text like a.indkey::text || ' %')
       and a.indpred is null and b.indpred is null
       and not a.indisunique and not a.indisprimary
     join pg_class c on c.oid = a.indrelid
     join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public') d) as duplicate,
  (select coalesce(json_agg(t), '[]') from (
     select relname as table, seq_scan, seq_tup_read, idx_scan, n_live_tup as rows,
            'Sequential scans read ' || coalesce(seq_tup_read / nullif(seq_scan, 0), 0)
              || ' rows each on average: add an index matching the WHERE and ORDER BY of'
              || ' the queries on ' || relname || ' (see slow-queries)' as suggestion
     from pg_stat_user_tables
     where n_live_tup >= $1 and seq_scan > coalesce(idx_scan, 0)
     order by seq_tup_read desc limit 20) t) as sequential_scans
