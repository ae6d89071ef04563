package io.campus.platform.common;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** One page of a listing; {@code next} is the cursor of the following page, or null at the end. */
@RegisterForReflection
public record Page<T>(List<T> items, String next) {}
