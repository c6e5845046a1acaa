package mad.emit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import mad.emit.MapSettings;
import mad.engine.config.ConfigException;

class HttpTargetTest
{
    @Test
    void shouldParseASinkUriOrNameTheUriKey()
    {
        final MapSettings settings = MapSettings.of("uri", "unused");

        assertThat(HttpTarget.parseUri(settings, "https://h:1/p?q")).isEqualTo(URI.create("https://h:1/p?q"));
        assertThatThrownBy(() -> HttpTarget.parseUri(settings, "http://h/a b"))
            .isInstanceOf(ConfigException.class).hasMessageContaining("uri: 'http://h/a b' is not a valid URI");
        assertThatThrownBy(() -> HttpTarget.parseUri(settings, "ftp://h/p"))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("uri: 'ftp://h/p' must be an absolute http:// or https:// URI");
        assertThatThrownBy(() -> HttpTarget.parseUri(settings, "/relative"))
            .isInstanceOf(ConfigException.class).hasMessageContaining("must be an absolute");
    }

    @Test
    void shouldUseDefaultPortsAndRootPath()
    {
        final HttpTarget plain = HttpTarget.of(URI.create("http://cagg.example"));
        final HttpTarget secure = HttpTarget.of(URI.create("HTTPS://cagg.example"));

        assertThat(plain.port()).isEqualTo(80);
        assertThat(plain.secure()).isFalse();
        assertThat(plain.requestTarget()).isEqualTo("/");
        assertThat(plain.hostHeader()).isEqualTo("cagg.example");
        assertThat(secure.port()).isEqualTo(443);
        assertThat(secure.secure()).isTrue();
    }

    @Test
    void shouldKeepRawPathQueryAndExplicitPort()
    {
        final HttpTarget target = HttpTarget.of(URI.create("http://h:7066/metrics/v1/data/persist%20x?a=b%26c"));

        assertThat(target.host()).isEqualTo("h");
        assertThat(target.port()).isEqualTo(7066);
        assertThat(target.requestTarget()).isEqualTo("/metrics/v1/data/persist%20x?a=b%26c");
        assertThat(target.hostHeader()).isEqualTo("h:7066");
    }

    @Test
    void shouldUnbracketIpv6ForSocketsOnly()
    {
        final HttpTarget target = HttpTarget.of(URI.create("http://[::1]:8080/p"));

        assertThat(target.host()).isEqualTo("::1");
        assertThat(target.hostHeader()).isEqualTo("[::1]:8080");
    }

    @Test
    void shouldBuildTheConstantRequestHead()
    {
        final HttpTarget target = HttpTarget.of(URI.create("http://127.0.0.1:7066/persist"));

        assertThat(new String(target.requestHead("application/protobuf"), StandardCharsets.US_ASCII)).isEqualTo(
            "POST /persist HTTP/1.1\r\nHost: 127.0.0.1:7066\r\nUser-Agent: madx\r\n"
                + "Content-Type: application/protobuf\r\nContent-Length: ");
    }

    @Test
    void shouldRejectOtherSchemesAndRelativeUris()
    {
        assertThatThrownBy(() -> HttpTarget.of(URI.create("ftp://h/x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpTarget.of(URI.create("/relative"))).isInstanceOf(IllegalArgumentException.class);
    }
}
