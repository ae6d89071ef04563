-- Claiming a run (JobRunner.claim), on the connection that then holds the job's advisory lock for
-- the whole run. The lock is tried in the inserting statement, so a RUNNING row is committed only
-- while its run holds the lock: a RUNNING row whose lock nobody holds is a run whose instance died
-- (reap.sql). Without the lock the run is recorded SKIPPED at once. A scheduled slot is claimed
-- once among the runs not abandoned (job_runs_slot_key, V12); ADMIN runs have no slot. A slot
-- recorded SKIPPED by a replica that lost the lock to this very claim (or to a run since ended) was
-- run by nobody: holding the lock, this claim takes it over.
with lk as materialized (
  select pg_try_advisory_lock(hashtext('campus-job:' || $1)) as locked),
ins as (
  insert into job_runs (job, scheduled_for, trigger, status, instance, detail, finished_at)
  select $1, $2, $3, case when lk.locked then 'RUNNING' else 'SKIPPED' end, $4,
         case when lk.locked then '' else 'another run holds the job''s lock' end,
         case when lk.locked then null else now() end
  from lk
  on conflict (job, scheduled_for) where not abandoned do update
    set status = 'RUNNING', instance = excluded.instance, detail = '', finished_at = null,
        started_at = now()
    where job_runs.status = 'SKIPPED' and excluded.status = 'RUNNING'
  returning /*{columns}*/)
select lk.locked, ins.* from lk left join ins on true
