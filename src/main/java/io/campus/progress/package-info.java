/**
 * The side effects of learning, with one owner: a user's stats and streaks (user_stats), activity
 * feed (activity_events) and achievements (user_achievements) are written only by SQL from this
 * package. Writes elsewhere compose its fragments as data-modifying CTEs into their own single
 * statement, so each change stays atomic and one round trip. ProgressOwnershipTest enforces it.
 */
package io.campus.progress;
