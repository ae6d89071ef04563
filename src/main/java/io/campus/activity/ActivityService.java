package io.campus.activity;

import io.campus.common.Page;
import io.campus.user.UserView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The activity feed is written by the statements that cause each event; this side only reads. */
@ApplicationScoped
public class ActivityService {

  private final ActivityRepository activity;

  public ActivityService(ActivityRepository activity) {
    this.activity = activity;
  }

  public Uni<Page<ActivityDtos.ActivityView>> mine(UserView caller, String cursor, int limit) {
    return activity.feed(caller.id(), cursor, limit);
  }
}
