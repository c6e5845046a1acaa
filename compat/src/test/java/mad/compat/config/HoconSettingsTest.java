package mad.compat.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import mad.engine.config.ConfigException;
import mad.engine.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HoconSettingsTest
{
    @TempDir
    Path dir;

    private HoconSettings conf(final String text)
    {
        return TestFiles.load(dir, "t.conf", text);
    }

    @Test
    void shouldCoerceNumbersGivenAsStrings()
    {
        final HoconSettings s = conf("port=\"2003\"\nspaced=\" 7 \"\nbig=\"12345678901\"\nd=\"1.5\"\nf=2003.7\n");
        assertThat(s.integer("port")).isEqualTo(2003);
        assertThat(s.integer("spaced")).isEqualTo(7);
        assertThat(s.longValue("big", 0)).isEqualTo(12345678901L);
        assertThat(s.doubleValue("d", 0)).isEqualTo(1.5);
        assertThat(s.integer("f")).isEqualTo(2003);
    }

    @Test
    void shouldRejectNonIntegers()
    {
        final HoconSettings s = conf("a=\"2003.0\"\nb=true\nc=99999999999\nd=[1]\n");
        assertThatThrownBy(() -> s.integer("a")).isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("a: expected an integer but found \"2003.0\"");
        assertThatThrownBy(() -> s.integer("b")).hasMessageContaining("b: expected an integer but found true");
        assertThatThrownBy(() -> s.integer("c")).hasMessageContaining("c: expected an integer but 99999999999 is out");
        assertThatThrownBy(() -> s.integer("d")).hasMessageContaining("d: expected an integer but found a list");
    }

    @Test
    void shouldBindBooleansLikeJackson()
    {
        final HoconSettings s = conf("a=true\nb=\"True\"\nc=\"false\"\nd=1\ne=0\nf=yes\ng=on\nh=\"TRUE\"\n");
        assertThat(s.bool("a", false)).isTrue();
        assertThat(s.bool("b", false)).isTrue();
        assertThat(s.bool("c", true)).isFalse();
        assertThat(s.bool("d", false)).isTrue();
        assertThat(s.bool("e", true)).isFalse();
        assertThat(s.bool("absent", true)).isTrue();
        assertThatThrownBy(() -> s.bool("f", false)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("f: expected a boolean (true or false) but found \"yes\"");
        assertThatThrownBy(() -> s.bool("g", false)).hasMessageContaining("\"on\"");
        assertThatThrownBy(() -> s.bool("h", false)).hasMessageContaining("\"TRUE\"");
    }

    @Test
    void shouldBindDurationsLikeJacksonJsr310()
    {
        final HoconSettings s = conf("a=\"PT1S\"\nb=\"PT0.5S\"\nc=5\nd=0.5\ne=\" pt5m \"\n");
        assertThat(s.duration("a")).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.duration("b")).isEqualTo(Duration.ofMillis(500));
        assertThat(s.duration("c")).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.duration("d")).isEqualTo(Duration.ofMillis(500));
        assertThat(s.duration("e")).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.duration("absent", Duration.ofHours(1))).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void shouldRejectHoconAndMalformedDurations()
    {
        final HoconSettings s = conf("a=5m\nb=\"PT\"\nc=\"5\"\nd { x = 1 }\n");
        assertThatThrownBy(() -> s.duration("a")).isInstanceOf(ConfigException.class)
                .hasMessageContaining(": a: expected an ISO-8601 duration")
                .hasMessageContaining("found \"5m\"")
                .hasMessageContaining("HOCON durations like \"5m\" are not accepted");
        assertThatThrownBy(() -> s.duration("b")).hasMessageContaining("b: expected an ISO-8601 duration")
                .hasMessageContaining("\"PT\"");
        assertThatThrownBy(() -> s.duration("c")).hasMessageContaining("\"5\"");
        assertThatThrownBy(() -> s.duration("d")).hasMessageContaining("found an object (line 4)");
    }

    @Test
    void shouldRenderScalarsAsStrings()
    {
        final HoconSettings s = conf("a=5\nb=true\nc=1.50\nd=[\"x\", 2, false]\ne { x = 1 }\n");
        assertThat(s.string("a")).isEqualTo("5");
        assertThat(s.string("b")).isEqualTo("true");
        // Typesafe (1.3.3 in MAD and 1.4.10 here) renders a resolved 1.50 as 1.5, so that is what MAD binds.
        assertThat(s.string("c")).isEqualTo("1.5");
        assertThat(s.stringList("d", null)).containsExactly("x", "2", "false");
        assertThatThrownBy(() -> s.string("e")).hasMessageContaining("e: expected a string but found an object");
        assertThatThrownBy(() -> s.stringList("a", null)).hasMessageContaining("a: expected a list but found 5");
    }

    @Test
    void shouldNameMissingRequiredKey()
    {
        final HoconSettings s = conf("x { y { } }\n");
        assertThatThrownBy(() -> s.string("name")).isInstanceOf(ConfigException.class)
                .hasMessage(s.file() + ": name: is required");
        assertThatThrownBy(() -> s.child("x").child("y").integer("port"))
                .hasMessage(s.file() + ": x.y.port: is required");
        assertThatThrownBy(() -> s.child("missing")).hasMessage(s.file() + ": missing: is required");
    }

    @Test
    void shouldNameListElementsInPaths()
    {
        final HoconSettings s = conf("sources=[{a=1},{b=2},{parser={type=x, port=nope}}]\nbad=[{a=1}, 3]\n");
        final List<Settings> sources = s.children("sources");
        assertThat(sources).hasSize(3);
        final Settings parser = sources.get(2).child("parser");
        assertThat(parser.path()).isEqualTo("sources[2].parser");
        assertThat(parser.string("type")).isEqualTo("x");
        assertThatThrownBy(() -> parser.integer("port"))
                .hasMessage(s.file() + ": sources[2].parser.port: expected an integer but found \"nope\"");
        assertThat(parser.error(null, "boom").keyPath()).isEqualTo("sources[2].parser");
        assertThatThrownBy(() -> s.children("bad")).hasMessageContaining("bad[1]: expected an object but found 3");
        assertThat(s.children("absent")).isEmpty();
    }

    @Test
    void shouldKeepQuotedDottedKeysAsOneKeyInRenderedOrder()
    {
        final HoconSettings s = conf("m {\n  \"zeta.*\"=[tp95]\n  \"^special\\\\..*\"=[tp95, min]\n"
                + "  \"alpha.*\"=[max]\n  \"10\"=[n]\n  \"9\"=[n]\n}\n"
                + "tags { z = 1, a = \"x\", \"b.c\" = true }\n");
        // Typesafe's render order, which is what MAD's Jackson sees: digit keys numerically, then String order.
        assertThat(s.stringListMap("m").keySet())
                .containsExactly("9", "10", "^special\\..*", "alpha.*", "zeta.*");
        assertThat(s.stringListMap("m").get("^special\\..*")).containsExactly("tp95", "min");
        assertThat(s.stringMap("tags")).containsExactly(
                java.util.Map.entry("a", "x"), java.util.Map.entry("b.c", "true"), java.util.Map.entry("z", "1"));
    }

    @Test
    void shouldKeepFileOrderForJson()
    {
        final HoconSettings s = TestFiles.load(dir, "t.json",
                "{\"m\": {\n\"zeta.*\": [\"tp95\"],\n\"^special\\\\..*\": [\"min\"],\n\"alpha.*\": [\"max\"]\n}}");
        assertThat(s.stringListMap("m").keySet()).containsExactly("zeta.*", "^special\\..*", "alpha.*");
    }

    @Test
    void shouldNameBadMapEntries()
    {
        final HoconSettings s = conf("m { \"a.b\" = 1 }\n");
        assertThatThrownBy(() -> s.stringListMap("m")).hasMessageContaining("m.\"a.b\": expected a list but found 1");
    }
}
