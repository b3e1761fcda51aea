package io.sockethost.plugins.httplite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class HttpLiteSettingsTest {

    @Test
    void missingFieldsTakeTheDocumentedDefaults() {
        HttpLiteSettings s = new HttpLiteSettings(null, null, null, null, null, null, null, null, null, null, null, null);
        assertThat(s.root()).isEqualTo("www");
        assertThat(s.indexFile()).isEqualTo("index.html");
        assertThat(s.listDirectories()).isFalse();
        assertThat(s.accessLog()).isTrue();
        assertThat(s.headerTimeoutMillis()).isEqualTo(10_000);
        assertThat(s.keepAliveTimeoutMillis()).isEqualTo(5_000);
        assertThat(s.maxRequestLine()).isEqualTo(8192);
        assertThat(s.maxHeaderBytes()).isEqualTo(32768);
        assertThat(s.maxHeaders()).isEqualTo(100);
        assertThat(s.maxBodySize()).isEqualTo(1 << 20);
        assertThat(s.contentTypes()).isEmpty();
        assertThat(s.cacheFiles()).isTrue();
    }

    @Test
    void contentTypeExtensionsAreNormalised() {
        HttpLiteSettings s = new HttpLiteSettings(null, null, null, null, null, 0.0, null, null, null, null,
                Map.of(".MD", "text/markdown", "Log", "text/plain"), null);
        assertThat(s.contentTypes()).isEqualTo(Map.of("md", "text/markdown", "log", "text/plain"));
        assertThat(ContentTypes.of("README.md", s.contentTypes())).isEqualTo("text/markdown");
        assertThat(ContentTypes.of("a.HTML", s.contentTypes())).isEqualTo("text/html; charset=utf-8");
        assertThat(ContentTypes.of("noext", s.contentTypes())).isEqualTo(ContentTypes.DEFAULT);
        assertThat(ContentTypes.of("trailing.", s.contentTypes())).isEqualTo(ContentTypes.DEFAULT);
        assertThat(s.keepAliveTimeoutMillis()).isZero();
    }

    @Test
    void outOfRangeValuesNameTheField() {
        assertThatThrownBy(() -> new HttpLiteSettings(null, null, null, null, 0.0, null, null, null, null, null, null, null))
                .hasMessageStartingWith("headerTimeout");
        assertThatThrownBy(() -> new HttpLiteSettings(null, null, null, null, null, null, 10, null, null, null, null, null))
                .hasMessageStartingWith("maxRequestLine");
        assertThatThrownBy(() -> new HttpLiteSettings(null, "../x.html", null, null, null, null, null, null, null, null, null, null))
                .hasMessageStartingWith("indexFile");
        assertThatThrownBy(() -> new HttpLiteSettings(null, null, null, null, null, null, null, null, null, null,
                Map.of("x", "text/plain\r\nSet-Cookie: a"), null)).hasMessageStartingWith("contentTypes");
    }
}
