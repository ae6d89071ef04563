package io.campus.platform.jobs;

import io.campus.audit.AuditEvent;
import io.campus.audit.AuditLog;
import io.campus.auth.Caller;
import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.campus.platform.common.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admin: start a job now and follow its progress from any replica. */
@Path("/api/admin/jobs")
@Tag(name = "admin")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
public class JobAdminResource {

  private final JobRunner runner;
  private final PageSize pageSize;
  private final AuditLog audit;
  private final SecurityIdentity identity;

  public JobAdminResource(
      JobRunner runner, PageSize pageSize, AuditLog audit, SecurityIdentity identity) {
    this.runner = runner;
    this.pageSize = pageSize;
    this.audit = audit;
    this.identity = identity;
  }

  @POST
  @Path("/{job}/runs")
  @APIResponse(
      responseCode = "202",
      description = "Started; poll the run for its outcome",
      content = @Content(schema = @Schema(implementation = JobRun.class)))
  public Uni<Response> start(@PathParam("job") @Size(max = 60) String job) {
    if (!runner.knows(job)) {
      throw ProblemException.notFound("No job with this name.");
    }
    long actor = Caller.of(identity).id();
    return runner
        .trigger(job)
        .call(
            run ->
                audit.record(
                    AuditEvent.of(
                        actor,
                        AuditEvent.JOB_TRIGGERED,
                        "job",
                        job,
                        null,
                        java.util.Map.of("runId", run.id()))))
        .map(run -> Response.accepted(run).build());
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
