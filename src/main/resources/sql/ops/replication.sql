-- The DB doctor's replication section (DbDoctor): whether this is a replica, its lag, and the
-- replicas of a primary. No index: pg_stat_replication.
select pg_is_in_recovery() as is_replica,
       case when pg_is_in_recovery()
            then extract(epoch from now() - pg_last_xact_replay_timestamp()) end as lag_seconds,
       (select coalesce(json_agg(r), '[]') from (
          select application_name, client_addr::text, state, sync_state,
                 pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) as lag_bytes
          from pg_stat_replication) r) as replicas
