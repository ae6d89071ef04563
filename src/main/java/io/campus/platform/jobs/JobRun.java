package io.campus.platform.jobs;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A run of a job as any replica reports it; {@code counts} sums what its batches wrote (e.g.
 * certificates issued).
 */
@RegisterForReflection
public record JobRun(
    long id,
    String job,
    String trigger,
    String status,
    String instance,
    long processed,
    int batches,
    int failedBatches,
    String detail,
    Map<String, Long> counts,
    OffsetDateTime scheduledFor,
    OffsetDateTime startedAt,
    OffsetDateTime finishedAt) {}
