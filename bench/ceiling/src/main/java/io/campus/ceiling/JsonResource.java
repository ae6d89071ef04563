package io.campus.ceiling;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;

/** The floor server's GET /json, through Quarkus REST: same bytes, same content type. */
@Path("/json")
public class JsonResource {

  // Pre-rendered, so the figure is the HTTP stack's cost, not a JSON serializer's.
  private static final byte[] HELLO =
      "{\"message\":\"Hello, World!\"}".getBytes(StandardCharsets.UTF_8);

  // On the event loop like Campus's reactive endpoints; a plain return type would default to a
  // worker thread.
  @GET
  @NonBlocking
  @Produces(MediaType.APPLICATION_JSON)
  public byte[] json() {
    return HELLO;
  }
}
