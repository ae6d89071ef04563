-- Everything held about one user as one JSON document (DataExportRepository.export). Each list
-- section holds at most $2 items, newest first, and says whether it was cut (it numbers at most
-- $2 + 1 rows). Each reads the user's rows through the user's index on that table (V1):
-- enrollments_user_recent_idx, lesson_progress_user_id_lesson_id_key, assessments_student_recent_idx,
-- assessments_mentor_recent_idx, user_certifications_user_idx, user_achievements_user_recent_idx,
-- activity_events_user_recent_idx, sessions_user_idx, and for mentor assignments
-- mentor_assignments_mentor_id_student_id_key (the student side has only the partial
-- mentor_assignments_student_active_idx; a user has few rows there). Secrets (password hash,
-- token hashes) are never selected.
select json_build_object(
  'exportedAt', now(),
  'profile', (
    select json_build_object('id', u.id, 'email', u.email, 'displayName', u.display_name,
                             'role', u.role, 'createdAt', u.created_at,
                             'emailConfirmedAt', u.email_confirmed_at)
    from users u where u.id = $1),
  'stats', (
    select json_build_object('points', s.points, 'lessonsCompleted', s.lessons_completed,
                             'coursesCompleted', s.courses_completed,
                             'enrollments', s.enrollments,
                             'assessmentsReceived', s.assessments_received,
                             'currentStreak', s.current_streak,
                             'longestStreak', s.longest_streak,
                             'lastActiveOn', s.last_active_on)
    from user_stats s where s.user_id = $1),
  'enrollments', (
    select json_build_object('items', coalesce(json_agg(x.j order by x.n) filter (where x.n <= $2),
                                               '[]'::json),
                             'truncated', count(*) > $2)
    from (select json_build_object('courseId', e.course_id, 'courseSlug', c.slug,
                  'courseTitle', c.title, 'status', e.status,
                  'completedLessons', e.completed_lessons,
                  'progressPercent', e.progress_percent, 'enrolledAt', e.enrolled_at,
                  'lastActivityAt', e.last_activity_at, 'completedAt', e.completed_at,
                  'lastLessonId', e.last_lesson_id, 'lastOpenedAt', e.last_opened_at) as j,
                 row_number() over (order by e.enrolled_at desc, e.id desc) as n
          from enrollments e join courses c on c.id = e.course_id where e.user_id = $1
          order by e.enrolled_at desc, e.id desc limit $2 + 1) x),
  'lessonProgress', (
    select json_build_object('items', coalesce(json_agg(x.j order by x.n) filter (where x.n <= $2),
                                               '[]'::json),
                             'truncated', count(*) > $2)
    from (select json_build_object('lessonId', p.lesson_id, 'lessonTitle', l.title,
                  'courseId', p.course_id, 'status', p.status,
                  'completedAt', p.completed_at) as j,
                 row_number() over (order by p.id desc) as n
          from lesson_progress p join lessons l on l.id = p.lesson_id where p.user_id = $1
          order by p.id desc limit $2 + 1) x),
  'assessmentsReceived', (
    select json_build_object('items', coalesce(json_agg(x.j order by x.n) filter (where x.n <= $2),
                                               '[]'::json),
                             'truncated', count(*) > $2)
    from (select json_build_object('id', a.id, 'mentorId', a.mentor_id, 'courseId', a.course_id,
                  'skill', a.skill, 'score', a.score, 'feedback', a.feedback,
                  'assessedOn', a.assessed_on, 'createdAt', a.created_at) as j,
                 row_number() over (order by a.assessed_on desc, a.id desc) as n
          from assessments a where a.student_id = $1
          order by a.assessed_on desc, a.id desc limit $2 + 1) x),
  'assessmentsGiven', (
    select json_build_object('items', coalesce(json_agg(x.j order by x.n) filter (where x.n <= $2),
                                               '[]'::json),
                             'truncated', count(*) > $2)
    from (select json_build_object('id', a.id, 'studentId', a.student_id, 'courseId', a.course_id,
                  'skill', a.skill, 'score', a.score, 'feedback', a.feedback,
                  'assessedOn', a.assessed_on, 'createdAt', a.created_at) as j,
                 row_number() over (order by a.assessed_on desc, a.id desc) as n
          from assessments a where a.mentor_id = $1
          order by a.assessed_on desc, a.id desc limit $2 + 1) x),
  'certificates', (
    select json_build_object('items', coalesce(json_agg(x.j order by x.n) filter (where x.n <= $2),
                                               '[]'::json),
                             'truncated', count(*) > $2)
    from (select json_build_object('id', uc.id, 'certification', ce.name,
                  'courseId', ce.course_id, 'verificationCode', uc.verification_code,
                  'issuedAt', uc.issued_at, 'revoked', uc.revoked) as j,
                 row_number() over (order by uc.issued_at desc, uc.id desc) as n
          from user_certifications uc join certifications ce on ce.id = uc.certification_id
          where uc.user_id = $1
          order by uc.issued_at desc, uc.id desc limit $2 + 1) x),
  'achievements', (
    select json_build_object('items', coalesce(json_agg(x.j order by x.n) filter (where x.n <= $2),
                                               '[]'::json),
                             'truncated', count(*) > $2)
    from (select json_build_object('code', a.code, 'name', a.name, 'points', a.points,
                  'awardedAt', ua.awarded_at) as j,
                 row_number() over (order by ua.awarded_at desc, ua.achievement_id desc) as n
          from user_achievements ua join achievements a on a.id = ua.achievement_id
          where ua.user_id = $1
          order by ua.awarded_at desc, ua.achievement_id desc limit $2 + 1) x),
  'activity', (
    select json_build_object('items', coalesce(json_agg(x.j order by x.n) filter (where x.n <= $2),
                                               '[]'::json),
                             'truncated', count(*) > $2)
    from (select json_build_object('id', ev.id, 'type', ev.type, 'subjectType', ev.subject_type,
                  'subjectId', ev.subject_id, 'detail', ev.detail,
                  'createdAt', ev.created_at) as j,
                 row_number() over (order by ev.created_at desc, ev.id desc) as n
          from activity_events ev where ev.user_id = $1
          order by ev.created_at desc, ev.id desc limit $2 + 1) x),
  'sessions', (
    select json_build_object('items', coalesce(json_agg(x.j order by x.n) filter (where x.n <= $2),
                                               '[]'::json),
                             'truncated', count(*) > $2)
    from (select json_build_object('id', se.id, 'createdAt', se.created_at,
                  'lastUsedAt', se.last_used_at, 'expiresAt', se.expires_at,
                  'userAgent', se.user_agent) as j,
                 row_number() over (order by se.created_at desc, se.id desc) as n
          from sessions se where se.user_id = $1
          order by se.created_at desc, se.id desc limit $2 + 1) x),
  'mentorAssignments', (
    select json_build_object('items', coalesce(json_agg(x.j order by x.n) filter (where x.n <= $2),
                                               '[]'::json),
                             'truncated', count(*) > $2)
    from (select json_build_object('mentorId', ma.mentor_id, 'studentId', ma.student_id,
                  'asMentor', ma.mentor_id = $1, 'active', ma.active,
                  'assignedAt', ma.assigned_at) as j,
                 row_number() over (order by ma.assigned_at desc, ma.id desc) as n
          from mentor_assignments ma where ma.mentor_id = $1 or ma.student_id = $1
          order by ma.assigned_at desc, ma.id desc limit $2 + 1) x))::text as export
