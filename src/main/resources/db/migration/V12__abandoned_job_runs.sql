-- A run whose instance died (killed, out of memory, rolled out) stays RUNNING: JobRunner marks it
-- FAILED and abandoned once nobody holds its job's advisory lock (sql/jobs/reap.sql). An abandoned
-- run no longer holds its scheduled slot, so that slot can run again: slots are unique among the
-- runs not abandoned only.
alter table job_runs add column abandoned boolean not null default false;
alter table job_runs drop constraint job_runs_job_scheduled_for_key;
create unique index job_runs_slot_key on job_runs (job, scheduled_for) where not abandoned;
-- the runs still RUNNING, looked at before every claim
create index job_runs_running_idx on job_runs (job) where status = 'RUNNING';
