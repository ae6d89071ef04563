package io.campus.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;

/** One row of the audit log as admins read it. */
@RegisterForReflection
public record AuditEntry(
    long id,
    OffsetDateTime at,
    Long actorId,
    String action,
    String targetType,
    String targetId,
    JsonNode before,
    JsonNode after,
    String client) {}
