-- Adding a batch's outcome to its run (JobRunner): the run by primary key; counts are summed key
-- by key. Only while the run is RUNNING and not abandoned: a run whose lock connection was lost may
-- have been reaped (reap.sql) and its slot retaken meanwhile; it finds no row here and stops.
update job_runs set processed = processed + $2, batches = batches + 1,
  failed_batches = failed_batches + $3,
  counts = (select coalesce(jsonb_object_agg(k, v), '{}') from (
              select k, sum(v) as v from (
                select key as k, value::bigint as v from jsonb_each_text(job_runs.counts)
                union all
                select key, value::bigint from jsonb_each_text($4::jsonb)) x
              group by k) y)
where id = $1 and status = 'RUNNING' and not abandoned
