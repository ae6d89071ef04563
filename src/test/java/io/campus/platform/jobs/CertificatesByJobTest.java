package io.campus.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.campus.achievement.AchievementRecalculation;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.Jobs;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class CertificatesByJobTest {

  @Inject TestData data;

  private void progress(long userId, long courseId, int percent) {
    data.execute(
        "insert into enrollments (user_id, course_id, progress_percent, status)"
            + " values ($1, $2, $3, case when $3 = 100 then 'COMPLETED' else 'ACTIVE' end)",
        Tuple.of(userId, courseId, percent));
    data.execute(
        "insert into user_stats (user_id) values ($1) on conflict do nothing", Tuple.of(userId));
  }

  private long certificates(long userId) {
    return data.count("select count(*) from user_certifications where user_id = $1", userId);
  }

  @Test
  void theAchievementJobIssuesEligibleCertificatesOnceAndCountsThem() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.CourseFixture course = data.publishedCourse(mentor.id(), 2);
    data.execute(
        "insert into certifications (course_id, name, min_progress, min_assessments,"
            + " min_average_score) values ($1, 'Certified', 100, 1, 70)",
        Tuple.of(course.id()));
    TestData.Account eligible = data.account(Role.STUDENT);
    TestData.Account lowScore = data.account(Role.STUDENT);
    TestData.Account unfinished = data.account(Role.STUDENT);
    TestData.Account revoked = data.account(Role.STUDENT);
    TestData.Account left = data.account(Role.STUDENT);
    for (TestData.Account a : new TestData.Account[] {eligible, lowScore, revoked, left}) {
      progress(a.id(), course.id(), 100);
    }
    progress(unfinished.id(), course.id(), 50);
    data.execute(
        "update enrollments set status = 'CANCELLED' where user_id = $1", Tuple.of(left.id()));
    for (TestData.Account a :
        new TestData.Account[] {eligible, lowScore, unfinished, revoked, left}) {
      data.execute(
          "insert into assessments (student_id, mentor_id, course_id, skill, score, assessed_on)"
              + " values ($1, $2, $3, 'sql', $4, current_date)",
          Tuple.of(a.id(), mentor.id(), course.id(), a == lowScore ? 40 : 90));
    }
    data.execute(
        "insert into user_certifications (user_id, certification_id, verification_code, revoked)"
            + " select $1, id, 'REVOKED' || $1, true from certifications where course_id = $2",
        Tuple.of(revoked.id(), course.id()));
    String admin = data.account(Role.ADMIN).token();

    JsonPath run = Jobs.runAndWait(admin, AchievementRecalculation.NAME);
    assertThat(run.getString("status")).isEqualTo("COMPLETED");
    // other tests' data may be eligible too: at least this one
    assertThat(run.getLong("counts.certificates")).isGreaterThanOrEqualTo(1);
    assertThat(certificates(eligible.id())).isEqualTo(1);
    assertThat(certificates(lowScore.id())).isZero();
    assertThat(certificates(unfinished.id())).isZero();
    assertThat(certificates(left.id())).isZero();
    // revoked stays revoked, never issued again
    assertThat(certificates(revoked.id())).isEqualTo(1);
    assertThat(
            data.count(
                "select count(*) from user_certifications where user_id = $1 and revoked",
                revoked.id()))
        .isEqualTo(1);
    String code =
        data.single(
                "select verification_code from user_certifications where user_id = $1",
                Tuple.of(eligible.id()))
            .getString(0);
    assertThat(code).matches("^[0-9A-HJKMNP-TV-Z]{16}$");
    assertThat(
            data.count(
                "select count(*) from activity_events where user_id = $1"
                    + " and type = 'CERTIFICATE_ISSUED'",
                eligible.id()))
        .isEqualTo(1);

    JsonPath again = Jobs.runAndWait(admin, AchievementRecalculation.NAME);
    assertThat(again.getLong("counts.certificates")).isZero();
    assertThat(again.getLong("counts.achievements")).isZero();
    assertThat(certificates(eligible.id())).isEqualTo(1);
  }
}
