-- A user's activity feed, newest first (ActivityRepository.feed, keyset pages):
-- activity_events_user_recent_idx (V1) in key order, subject names by primary key.
select e.id, e.type, e.subject_type, e.subject_id, /*{subjectName}*/ as subject_name, e.detail,
       e.created_at
from activity_events e
where e.user_id = $1 /*{keyset}*/
order by e.created_at desc, e.id desc
limit $2
