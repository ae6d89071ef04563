package io.campus.jobs;

import io.campus.common.Page;
import io.campus.common.PageSize;
import io.campus.common.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admin: start a job now and follow its progress from any replica. */
@Path("/api/admin/jobs")
@Tag(name = "admin")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
public class JobAdminResource {

  private final JobRunner runner;
  private final PageSize pageSize;

  public JobAdminResource(JobRunner runner, PageSize pageSize) {
    this.runner = runner;
    this.pageSize = pageSize;
  }

  @POST
  @Path("/{job}/runs")
  public Uni<Response> start(@PathParam("job") @Size(max = 60) String job) {
    if (!runner.knows(job)) {
      throw ProblemException.notFound("No job with this name.");
    }
    return runner.trigger(job).map(run -> Response.accepted(run).build());
  }

  @GET
  @Path("/runs/{id}")
  public Uni<JobRun> run(@PathParam("id") @Positive long id) {
    return runner
        .find(id)
        .map(
            run -> {
              if (run == null) {
                throw ProblemException.notFound("No job run with this id.");
              }
              return run;
            });
  }

  @GET
  @Path("/runs")
  public Uni<Page<JobRun>> runs(
      @QueryParam("job") @Size(max = 60) String job,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") String limit) {
    return runner.list(job, cursor, pageSize.resolve(limit));
  }
}
