-- A lesson completion writes its progress row, the enrollment and the student's stats. Each index
-- on a table costs an entry per new row version, and an index on a changed column rules out a
-- heap-only (HOT) update, which adds no index entries at all. These two served no query:
-- user_stats_points_idx only ordered the leaderboard view's refresh, which sorts the rows with
-- points once a minute instead; lesson_progress_user_status_idx put the status, which every
-- completion and undo changes, in an index that no statement reads (a user's progress is found
-- through lesson_progress_user_id_lesson_id_key).
drop index user_stats_points_idx;
drop index lesson_progress_user_status_idx;
