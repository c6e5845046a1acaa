package mad.compat.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import mad.engine.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest
{
    @TempDir
    Path dir;

    @Test
    void shouldTreatOnlyDotConfCaseInsensitiveAsHocon()
    {
        assertThat(ConfigLoader.isHocon(Path.of("a/pipeline.conf"))).isTrue();
        assertThat(ConfigLoader.isHocon(Path.of("PIPELINE.CONF"))).isTrue();
        assertThat(ConfigLoader.isHocon(Path.of("pipeline.Conf"))).isTrue();
        assertThat(ConfigLoader.isHocon(Path.of("pipeline.conf~"))).isFalse();
        assertThat(ConfigLoader.isHocon(Path.of("pipeline.json"))).isFalse();
        assertThat(ConfigLoader.isHocon(Path.of("pipeline"))).isFalse();
    }

    @Test
    void shouldParseUpperCaseConfAsHocon()
    {
        final HoconSettings settings = TestFiles.load(dir, "P.CONF", "# comment\nname=x\n");
        assertThat(settings.string("name")).isEqualTo("x");
    }

    @Test
    void shouldResolveRelativeIncludeAgainstIncludingFile()
    {
        final HoconSettings settings = ConfigLoader.load(TestFiles.resource("include/main.conf"));
        assertThat(settings.string("name")).isEqualTo("included_pipeline");
        assertThat(settings.duration("idleTimeout").toMinutes()).isEqualTo(10);
    }

    @Test
    void shouldIgnoreMissingOptionalIncludeLikeMad()
    {
        final HoconSettings settings = TestFiles.load(dir, "a.conf", "include \"nothere.conf\"\nname=x\n");
        assertThat(settings.string("name")).isEqualTo("x");
    }

    @Test
    void shouldRejectMissingRequiredInclude()
    {
        final Path file = TestFiles.write(dir, "a.conf", "include required(\"nothere.conf\")\nname=x\n");
        final ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
        assertThat(e.file()).isEqualTo(file.toString());
        assertThat(e.reason()).contains("nothere.conf");
    }

    @Test
    void shouldFallBackToSystemPropertiesForSubstitutions()
    {
        final String property = "MADX_TEST_CAPTURE_BASE";
        System.setProperty(property, "http://example:1234");
        try
        {
            final HoconSettings settings = TestFiles.load(dir, "a.conf",
                    "base=\"http://default\"\nbase=${?" + property + "}\nuri=${base}\"/x\"\nhome=${user.home}\n");
            assertThat(settings.string("uri")).isEqualTo("http://example:1234/x");
            assertThat(settings.string("home")).isEqualTo(System.getProperty("user.home"));
        }
        finally
        {
            System.clearProperty(property);
        }
    }

    @Test
    void shouldKeepEarlierValueWhenOptionalSubstitutionIsUndefined()
    {
        final HoconSettings settings = TestFiles.load(dir, "a.conf",
                "base=\"http://default\"\nbase=${?MADX_TEST_SURELY_UNDEFINED_VAR}\n");
        assertThat(settings.string("base")).isEqualTo("http://default");
    }

    @Test
    void shouldLetSystemPropertiesFillMissingRootKeysLikeMad()
    {
        System.setProperty("madxTestRootKey", "fromJvm");
        try
        {
            final HoconSettings settings = TestFiles.load(dir, "a.conf", "name=x\n");
            assertThat(settings.string("madxTestRootKey")).isEqualTo("fromJvm");
            assertThat(settings.keys()).containsExactly("name");
        }
        finally
        {
            System.clearProperty("madxTestRootKey");
        }
    }

    @Test
    void shouldHandlePathKeysNullAndObjectMerging()
    {
        final HoconSettings settings = TestFiles.load(dir, "a.conf",
                "a.b.c=1\na { b { d = 2 } }\nn=null\n");
        assertThat(settings.child("a").child("b").integer("c")).isEqualTo(1);
        assertThat(settings.child("a").child("b").integer("d")).isEqualTo(2);
        assertThat(settings.has("n")).isFalse();
        assertThat(settings.string("n", "dflt")).isEqualTo("dflt");
    }

    @Test
    void shouldResolveRelativePathAgainstWorkingDirectory()
    {
        // Surefire runs in the module directory.
        final HoconSettings settings = ConfigLoader.load(Path.of("src/test/resources/madref/config.conf"));
        assertThat(settings.file()).isEqualTo(Path.of("src/test/resources/madref/config.conf").toAbsolutePath()
                .normalize().toString());
        assertThat(settings.string("httpHost")).isEqualTo("127.0.0.1");
    }

    @Test
    void shouldReportMissingFile()
    {
        final Path file = dir.resolve("absent.conf");
        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": file not found");
    }

    @Test
    void shouldReportDirectory()
    {
        assertThatThrownBy(() -> ConfigLoader.load(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("is a directory");
    }

    @Test
    void shouldReportSyntaxErrorWithLineNumber()
    {
        final Path file = TestFiles.write(dir, "bad.conf", "name=x\nperiods=[\"PT1S\",\n\nsinks=}\n");
        final ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
        assertThat(e.file()).isEqualTo(file.toString());
        assertThat(e.reason()).startsWith("line 4: ");
        assertThat(e.getMessage()).startsWith(file + ": line 4: ");
    }

    @Test
    void shouldReportUnresolvedSubstitutionWithLineNumber()
    {
        final Path file = TestFiles.write(dir, "bad.conf", "name=x\n\nuri=${nope}\"/x\"\n");
        final ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
        assertThat(e.reason()).startsWith("line 3: ").contains("${nope}");
    }

    @Test
    void shouldParseOtherNamesAsStrictJson()
    {
        final HoconSettings settings = TestFiles.load(dir, "p.json", "{\"name\": \"j\", \"x\": \"${nope}\"}");
        assertThat(settings.string("name")).isEqualTo("j");
        assertThat(settings.string("x")).isEqualTo("${nope}");
        assertThat(settings.keyOrder()).isEqualTo(KeyOrder.FILE);
    }

    @Test
    void shouldRejectHoconInJsonFile()
    {
        final Path file = TestFiles.write(dir, "pipeline.conf~", "# backup\nname=x\n");
        final ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
        assertThat(e.file()).isEqualTo(file.toString());
        assertThat(e.reason()).startsWith("line 1: ");
    }

    @Test
    void shouldRejectJsonComments()
    {
        final Path file = TestFiles.write(dir, "p.json", "{\"name\": \"j\"}\n// trailing\n");
        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 2");
    }
}
