package io.campus.platform.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.campus.testsupport.CampusTestResources;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/** The JDBC datasource is Flyway's: it must not bring a blocking Hibernate ORM up beside it. */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class PersistenceUnitsTest {

  @Test
  void onlyTheReactivePersistenceUnitIsStarted() {
    assertThat(Arc.container().select(Mutiny.SessionFactory.class).isResolvable()).isTrue();
    assertThat(Arc.container().select(org.hibernate.SessionFactory.class).isResolvable()).isFalse();
    assertThat(Arc.container().select(jakarta.persistence.EntityManager.class).isResolvable())
        .isFalse();
  }
}
