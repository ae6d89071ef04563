-- Runs whose instance died (JobRunner.reap): RUNNING while nobody holds their job's advisory lock
-- in this database. claim.sql commits a RUNNING row only with the lock taken and a run records its
-- outcome before it unlocks, so such a run will never finish: it is marked FAILED and abandoned,
-- which frees its scheduled slot (job_runs_slot_key, V12). If the holder records its outcome
-- meanwhile, the re-checked status keeps that row out. The runs by job_runs_running_idx (V12); a
-- bigint advisory key shows in pg_locks as classid (high half) and objid (low half), objsubid 1.
-- retake: a scheduled run of its job's latest slot, to be run again unless attempts (the slot's
-- abandoned runs, this one included; by job_runs_job_recent_idx, V3, evaluated for reaped rows only)
-- reached campus.jobs.max-attempts (JobRunner decides).
update job_runs r set status = 'FAILED', abandoned = true, finished_at = now(),
  detail = 'abandoned: instance ' || r.instance || ' stopped before the run ended'
where r.status = 'RUNNING'
  and not exists (
    select 1 from pg_locks l
    where l.locktype = 'advisory' and l.objsubid = 1 and l.granted
      and l.database = (select oid from pg_database where datname = current_database())
      and ((l.classid::bigint << 32) | l.objid::bigint) = hashtext('campus-job:' || r.job))
returning r.id, r.job, r.instance, r.scheduled_for,
  r.trigger = 'SCHEDULE' and not exists (
    select 1 from job_runs later
    where later.job = r.job and later.scheduled_for > r.scheduled_for and not later.abandoned)
  as retake,
  (select count(*) from job_runs a
   where a.job = r.job and a.scheduled_for = r.scheduled_for and (a.abandoned or a.id = r.id))
  as attempts
