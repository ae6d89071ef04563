package io.campus.jobs;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;

/** A run of a job as any replica reports it. */
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
    OffsetDateTime scheduledFor,
    OffsetDateTime startedAt,
    OffsetDateTime finishedAt) {}
