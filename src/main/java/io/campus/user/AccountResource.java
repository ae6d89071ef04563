package io.campus.user;

import io.campus.auth.Caller;
import io.campus.common.ProblemException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Self-service on the caller's own account. */
@Path("/api/users/me")
@Tag(name = "users")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

  /** Display names: 1-100 characters, no control characters. */
  @RegisterForReflection
  public record ProfileUpdate(
      @NotBlank @Size(max = 100) @Pattern(regexp = "[^\\p{Cntrl}]*") String displayName) {}

  private final UserService users;
  private final SecurityIdentity identity;

  public AccountResource(UserService users, SecurityIdentity identity) {
    this.users = users;
    this.identity = identity;
  }

  @PATCH
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<UserView> updateProfile(@Valid @NotNull ProfileUpdate update) {
    String name = update.displayName().strip();
    if (name.isEmpty()) {
      throw ProblemException.invalidField("displayName", "must not be blank");
    }
    return users.updateProfile(Caller.of(identity).id(), name);
  }
}
