package io.campus.jobs;

import io.campus.progress.StreakReset;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** When each job runs; every replica fires, the runner makes sure one of them does the work. */
@ApplicationScoped
public class JobSchedules {

  private final JobRunner runner;

  public JobSchedules(JobRunner runner) {
    this.runner = runner;
  }

  @Scheduled(
      identity = AchievementRecalculation.NAME,
      cron = "${campus.jobs.achievements.cron:0 30 2 * * ?}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> achievements(ScheduledExecution execution) {
    return run(AchievementRecalculation.NAME, execution);
  }

  @Scheduled(
      identity = StreakReset.NAME,
      cron = "${campus.jobs.streak-reset.cron:0 5 0 * * ?}",
      timeZone = "UTC",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> streaks(ScheduledExecution execution) {
    return run(StreakReset.NAME, execution);
  }

  @Scheduled(
      identity = ExpiredDataCleanup.NAME,
      every = "${campus.jobs.session-cleanup.every:10m}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> cleanup(ScheduledExecution execution) {
    return run(ExpiredDataCleanup.NAME, execution);
  }

  private Uni<Void> run(String job, ScheduledExecution execution) {
    return runner
        .runScheduled(job, execution.getScheduledFireTime())
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }
}
