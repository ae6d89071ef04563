-- Defining an achievement (AchievementRepository.create). Always one row: the new achievement, or
-- none (id null) when the code is taken (achievements_code_key) or the catalogue already holds $7
-- achievements, which bounds the points a user can earn from them (AchievementDtos). Concurrent
-- definitions may pass the count together; the bound leaves room for that.
with catalogue as (select count(*) as size from achievements),
ins as (
  insert into achievements as a (code, name, description, rule_type, threshold, points)
  select $1::text, $2::text, $3::text, $4::text, $5::integer, $6::integer
  from catalogue where catalogue.size < $7
  on conflict (code) do nothing
  returning a.id, a.code, a.name, a.description, a.rule_type, a.threshold, a.points)
select catalogue.size >= $7 as catalogue_full, ins.*
from catalogue left join ins on true
