-- Fragment, not a statement: the name of an event's subject for an activity_events row aliased e
-- (activity/feed.sql, dashboard/dashboard.sql). One lookup by primary key per event shown, so the
-- feed stays a single statement. The subject types are the names of ActivityType.Subject, filled in
-- at class load.
case e.subject_type
  when '/*{course}*/' then (select c.title from courses c where c.id = e.subject_id)
  when '/*{lesson}*/' then (select l.title from lessons l where l.id = e.subject_id)
  when '/*{achievement}*/' then (select a.name from achievements a where a.id = e.subject_id)
  when '/*{certificate}*/' then (select ce.name from user_certifications uc
                           join certifications ce on ce.id = uc.certification_id
                           where uc.id = e.subject_id)
end
