package io.campus.dashboard;

import io.campus.user.UserView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class DashboardService {

  private final DashboardRepository dashboards;

  public DashboardService(DashboardRepository dashboards) {
    this.dashboards = dashboards;
  }

  /** Only ever the caller's own dashboard. */
  public Uni<DashboardDtos.Dashboard> mine(UserView caller) {
    return dashboards.load(caller.id());
  }
}
