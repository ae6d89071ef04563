package io.campus.platform.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.resteasy.reactive.RestResponse;
import org.junit.jupiter.api.Test;

/** A shared cached value is rendered once; every response writes the same bytes. */
class HttpCachingTest {

  record Course(String slug, int lessons) {}

  private final AtomicInteger renderings = new AtomicInteger();

  private final HttpCaching caching =
      new HttpCaching(
          new ObjectMapper()
              .registerModule(
                  new SimpleModule()
                      .addSerializer(
                          new StdSerializer<>(Course.class) {
                            @Override
                            public void serialize(
                                Course c, JsonGenerator json, SerializerProvider provider)
                                throws IOException {
                              renderings.incrementAndGet();
                              json.writeStartObject();
                              json.writeStringField("slug", c.slug());
                              json.writeNumberField("lessons", c.lessons());
                              json.writeEndObject();
                            }
                          })));

  /** A request without preconditions. */
  private static final Request FRESH =
      (Request)
          Proxy.newProxyInstance(
              HttpCachingTest.class.getClassLoader(),
              new Class<?>[] {Request.class},
              (proxy, method, args) -> null);

  @Test
  void aSharedValueIsRenderedOnceAndServedAsJsonBytesWithAStableTag() {
    Course course = new Course("java-basics", 12);
    RestResponse<byte[]> first = caching.conditional(FRESH, course, 60);
    RestResponse<byte[]> second = caching.conditional(FRESH, course, 60);

    assertThat(renderings).hasValue(1);
    assertThat(first.getEntity()).isSameAs(second.getEntity());
    assertThat(new String(first.getEntity(), StandardCharsets.UTF_8))
        .isEqualTo("{\"slug\":\"java-basics\",\"lessons\":12}");
    EntityTag tag = first.getEntityTag();
    assertThat(tag.isWeak()).isTrue();
    assertThat(caching.conditional(FRESH, new Course("java-basics", 12), 60).getEntityTag())
        .as("equal content, equal tag, on any instance")
        .isEqualTo(tag);
    assertThat(caching.conditional(FRESH, new Course("java-basics", 13), 60).getEntityTag())
        .isNotEqualTo(tag);
  }

  @Test
  void oneCallersCachedValueIsRenderedOnceWithoutPublicHeaders() {
    Course mine = new Course("my-progress", 3);
    RestResponse<byte[]> first = caching.personal(mine);
    RestResponse<byte[]> second = caching.personal(mine);

    assertThat(renderings).hasValue(1);
    assertThat(first.getEntity()).isSameAs(second.getEntity());
    assertThat(new String(first.getEntity(), StandardCharsets.UTF_8))
        .isEqualTo("{\"slug\":\"my-progress\",\"lessons\":3}");
    assertThat(first.getStatus()).isEqualTo(200);
    assertThat(first.getHeaders()).doesNotContainKeys(HttpHeaders.ETAG, HttpHeaders.CACHE_CONTROL);

    caching.personal(new Course("my-progress", 3));
    assertThat(renderings).as("another instance is another value").hasValue(2);
  }
}
