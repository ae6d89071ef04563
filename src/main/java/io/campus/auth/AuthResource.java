package io.campus.auth;

import io.campus.user.UserView;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/auth")
@Tag(name = "auth")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

  private final AuthService auth;
  private final SecurityIdentity identity;
  private final LoginThrottle throttle;

  public AuthResource(AuthService auth, SecurityIdentity identity, LoginThrottle throttle) {
    this.auth = auth;
    this.identity = identity;
    this.throttle = throttle;
  }

  @POST
  @Path("/register")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Response> register(@Valid @NotNull AuthDtos.RegisterRequest request) {
    return auth.register(request)
        .map(user -> Response.status(Response.Status.CREATED).entity(user).build());
  }

  @POST
  @Path("/login")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<AuthDtos.TokenResponse> login(@Valid @NotNull AuthDtos.LoginRequest request) {
    return throttle.guard(request.email(), () -> auth.login(request));
  }

  @POST
  @Path("/logout")
  @Authenticated
  public Uni<Response> logout(@HeaderParam("Authorization") String authorization) {
    return auth.logout(authorization).map(ignored -> Response.noContent().build());
  }

  @GET
  @Path("/me")
  @Authenticated
  @NonBlocking
  public UserView me() {
    return Caller.of(identity);
  }
}
