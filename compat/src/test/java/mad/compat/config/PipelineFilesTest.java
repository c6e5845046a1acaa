package mad.compat.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineFilesTest
{
    @TempDir
    Path dir;

    @Test
    void shouldCreateMissingDirectory()
    {
        final Path pipelines = dir.resolve("config/pipelines");
        assertThat(PipelineFiles.list(pipelines)).isEmpty();
        assertThat(pipelines).isDirectory();
    }

    @Test
    void shouldListEveryEntrySortedByName() throws IOException
    {
        TestFiles.write(dir, "b.conf", "name=b\n");
        TestFiles.write(dir, "a.json", "{}");
        TestFiles.write(dir, ".hidden", "x");
        TestFiles.write(dir, "b.conf~", "name=b\n");
        Files.createDirectory(dir.resolve("sub"));
        TestFiles.write(dir, "sub/nested.conf", "name=n\n");
        final List<Path> entries = PipelineFiles.list(dir);
        assertThat(entries).extracting(p -> p.getFileName().toString())
                .containsExactly(".hidden", "a.json", "b.conf", "b.conf~", "sub");
    }

    @Test
    void shouldFingerprintContent()
    {
        final Path file = TestFiles.write(dir, "p.conf", "name=p\n");
        final String first = PipelineFiles.fingerprint(file);
        assertThat(first).hasSize(32).isEqualTo(PipelineFiles.fingerprint(file));
        TestFiles.write(dir, "p.conf", "name=q\n");
        assertThat(PipelineFiles.fingerprint(file)).isNotEqualTo(first);
        // the empty input: length 0, CRC-32C 0, Adler-32 1 (its initial value), as a check of the encoding.
        assertThat(PipelineFiles.fingerprint(TestFiles.write(dir, "empty", "")))
                .isEqualTo("0000000000000000" + "00000000" + "00000001");
        assertThat(PipelineFiles.scan(dir)).extracting(PipelineFiles.Entry::fingerprint)
                .containsExactly("0000000000000000" + "00000000" + "00000001", PipelineFiles.fingerprint(file));
        assertThat(PipelineFiles.fingerprint(dir)).isEqualTo(PipelineFiles.DIRECTORY_FINGERPRINT);
    }
}
