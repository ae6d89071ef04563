package io.campus.achievement;

import com.fasterxml.jackson.core.type.TypeReference;
import io.campus.platform.cache.CacheKey;
import io.campus.platform.cache.CacheSpec;
import io.campus.platform.cache.CacheTags;
import io.campus.platform.cache.TwoLevelCache;
import io.campus.platform.common.Page;
import io.campus.platform.ops.AfterCommit;
import io.campus.user.UserView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The achievement catalogue and progress. Awards are not made here: they are folded into every
 * statement that changes user_stats (see {@link io.campus.progress.AwardSql}).
 */
@ApplicationScoped
public class AchievementService {

  private static final Logger LOG = Logger.getLogger(AchievementService.class);

  static final CacheSpec<Page<AchievementDtos.AchievementView>> CATALOGUE =
      CacheSpec.of("achievements", new TypeReference<Page<AchievementDtos.AchievementView>>() {});

  private final AchievementRepository achievements;
  private final TwoLevelCache cache;

  public AchievementService(AchievementRepository achievements, TwoLevelCache cache) {
    this.achievements = achievements;
    this.cache = cache;
  }

  public Uni<Page<AchievementDtos.AchievementView>> catalogue(String cursor, int limit) {
    return cache
        .version(CacheTags.ACHIEVEMENTS)
        .chain(
            version ->
                cache.get(
                    CATALOGUE,
                    CacheKey.of(version, cursor, limit),
                    () -> achievements.catalogue(cursor, limit)));
  }

  /**
   * A new achievement is awarded to each user at their next stats change that meets it, not
   * retroactively: that would scan every user's stats.
   */
  public Uni<AchievementDtos.AchievementView> create(
      AchievementDtos.CreateAchievement request, UserView admin) {
    return AfterCommit.then(achievements.create(request), a -> cache.bump(CacheTags.ACHIEVEMENTS))
        .invoke(a -> LOG.infof("Achievement %s defined by user %d", a.code(), admin.id()));
  }

  public Uni<Page<AchievementDtos.AchievementProgress>> mine(
      UserView caller, String cursor, int limit) {
    return achievements.mine(caller.id(), cursor, limit);
  }
}
