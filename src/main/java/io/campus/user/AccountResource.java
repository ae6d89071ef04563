package io.campus.user;

import io.campus.auth.Caller;
import io.campus.auth.LoginThrottle;
import io.campus.auth.PasswordPolicy;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Self-service on the caller's own account. */
@Path("/api/users/me")
@Tag(name = "users")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

  @RegisterForReflection
  public record ProfileUpdate(@DisplayName String displayName) {}

  /** Deleting the account takes its password again. */
  @RegisterForReflection
  public record DeletionRequest(@NotNull @Size(max = PasswordPolicy.MAX_BYTES) String password) {}

  private final UserService users;
  private final SecurityIdentity identity;
  private final AccountDeletionService deletion;
  private final DataExportRepository exports;
  private final AccountsConfig config;
  private final LoginThrottle throttle;

  public AccountResource(
      UserService users,
      SecurityIdentity identity,
      AccountDeletionService deletion,
      DataExportRepository exports,
      AccountsConfig config,
      LoginThrottle throttle) {
    this.users = users;
    this.identity = identity;
    this.deletion = deletion;
    this.exports = exports;
    this.config = config;
    this.throttle = throttle;
  }

  @PATCH
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<UserView> updateProfile(@Valid @NotNull ProfileUpdate body) {
    return users.updateProfile(Caller.of(identity).id(), body.displayName().strip());
  }

  /**
   * Deletes the caller's account: personal data anonymized, learning records kept without a name,
   * every session ended. A wrong password is a 403, the last enabled admin a 409; wrong passwords
   * count toward the login lock, and a locked account gets a 429.
   */
  @DELETE
  @Consumes(MediaType.APPLICATION_JSON)
  @APIResponse(responseCode = "204", description = "Deleted; every session ended")
  public Uni<Response> deleteAccount(@Valid @NotNull DeletionRequest body) {
    UserView caller = Caller.of(identity);
    // Guessing the password with a stolen session is guessing a login password.
    return throttle
        .guard(caller.email(), () -> deletion.delete(caller.id(), body.password()), 403)
        .replaceWith(Response.noContent().build());
  }

  /** Everything held about the caller as one JSON document, as a download. */
  @GET
  @Path("/export")
  public Uni<Response> export() {
    long userId = Caller.of(identity).id();
    return exports
        .export(userId, config.exportMaxItems())
        .map(
            json ->
                Response.ok(json, MediaType.APPLICATION_JSON)
                    .header("Content-Disposition", "attachment; filename=\"campus-export.json\"")
                    .header(HttpHeaders.CACHE_CONTROL, "private, no-store")
                    .build());
  }
}
