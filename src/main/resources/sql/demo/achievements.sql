-- Demo data (DemoDataGenerator): the achievement catalogue, one row per rule type at least;
-- existing codes kept (achievements_code_key).
insert into achievements (code, name, description, rule_type, threshold, points) values
  ('FIRST_LESSON', 'First steps', 'Complete your first lesson', 'LESSONS_COMPLETED', 1, 5),
  ('TEN_LESSONS', 'Getting serious', 'Complete 10 lessons', 'LESSONS_COMPLETED', 10, 20),
  ('HUNDRED_LESSONS', 'Centurion', 'Complete 100 lessons', 'LESSONS_COMPLETED', 100, 100),
  ('FIRST_COURSE', 'Graduate', 'Complete a course', 'COURSES_COMPLETED', 1, 50),
  ('FIVE_COURSES', 'Scholar', 'Complete 5 courses', 'COURSES_COMPLETED', 5, 150),
  ('STREAK_7', 'On a roll', 'Learn 7 days in a row', 'STREAK_DAYS', 7, 30),
  ('POINTS_1000', 'High scorer', 'Earn 1000 points', 'POINTS', 1000, 0),
  ('FIRST_ASSESSMENT', 'Assessed', 'Receive a mentor assessment', 'ASSESSMENTS_RECEIVED', 1, 10),
  ('EXPLORER', 'Explorer', 'Enroll in 3 courses', 'ENROLLMENTS', 3, 10)
on conflict (code) do nothing
