package io.campus.user;

import io.campus.auth.Caller;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admin-only account management: promoting students to mentors or admins. */
@Path("/api/admin/users")
@Tag(name = "admin")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
public class UserAdminResource {

  @RegisterForReflection
  public record RoleChange(@NotNull Role role) {}

  private final UserService users;
  private final SecurityIdentity identity;

  public UserAdminResource(UserService users, SecurityIdentity identity) {
    this.users = users;
    this.identity = identity;
  }

  @PUT
  @Path("/{userId}/role")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<UserView> changeRole(
      @PathParam("userId") @Positive long userId, @Valid @NotNull RoleChange body) {
    return users.changeRole(userId, body.role(), Caller.of(identity).id());
  }

  /**
   * Disables an account: no login, all its sessions end at once. 409 for the last enabled admin.
   */
  @POST
  @Path("/{userId}/disable")
  public Uni<UserView> disable(@PathParam("userId") @Positive long userId) {
    return users.disable(userId, Caller.of(identity).id());
  }

  /** Enables a disabled account again. */
  @POST
  @Path("/{userId}/enable")
  public Uni<UserView> enable(@PathParam("userId") @Positive long userId) {
    return users.enable(userId, Caller.of(identity).id());
  }
}
