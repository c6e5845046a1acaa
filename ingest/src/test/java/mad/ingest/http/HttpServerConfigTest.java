package mad.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HttpServerConfigTest
{
    @Test
    void shouldReadAkkaMaxContentLength()
    {
        assertThat(HttpServerConfig.parseMaxContentLength(null)).isEqualTo(8 * 1024 * 1024);
        assertThat(HttpServerConfig.parseMaxContentLength("infinite")).isEqualTo(64 * 1024 * 1024);
        assertThat(HttpServerConfig.parseMaxContentLength("8m")).isEqualTo(8 * 1024 * 1024);
        assertThat(HttpServerConfig.parseMaxContentLength("8MiB")).isEqualTo(8 * 1024 * 1024);
        assertThat(HttpServerConfig.parseMaxContentLength("8MB")).isEqualTo(8_000_000);
        assertThat(HttpServerConfig.parseMaxContentLength("1024")).isEqualTo(1024);
        assertThat(HttpServerConfig.parseMaxContentLength("512 k")).isEqualTo(512 * 1024);
        assertThat(HttpServerConfig.parseMaxContentLength("100g")).isEqualTo(Integer.MAX_VALUE);
        assertThatThrownBy(() -> HttpServerConfig.parseMaxContentLength("lots"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldExtractPathFromUri()
    {
        assertThat(HttpResponses.path("/ping")).isEqualTo("/ping");
        assertThat(HttpResponses.path("/ping?x=1")).isEqualTo("/ping");
        assertThat(HttpResponses.path("/a#frag")).isEqualTo("/a");
        assertThat(HttpResponses.path("http://host:7090/metrics/v3/application?x")).isEqualTo("/metrics/v3/application");
        assertThat(HttpResponses.path("http://host")).isEqualTo("/");
    }
}
