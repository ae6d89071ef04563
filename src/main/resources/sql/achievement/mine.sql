-- Every achievement (a page by achievements primary key) with the user's counter for its rule and
-- the award, if any (AchievementRepository.mine): the stats row is read once by user_stats primary
-- key, the award by user_achievements primary key. The rule's counter (progress/AwardSql.ruleValue)
-- fills the slot.
select a.id, a.code, a.name, a.description, a.rule_type, a.threshold, a.points,
       coalesce(/*{rule_value}*/, 0) as current, ua.awarded_at
from achievements a
  left join user_stats s on s.user_id = $1
  left join user_achievements ua on ua.user_id = $1 and ua.achievement_id = a.id
where a.id > $2
order by a.id
limit $3
