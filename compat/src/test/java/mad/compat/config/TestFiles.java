package mad.compat.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test helpers: the copied MAD reference files and small files written into a temporary directory.
 */
final class TestFiles
{
    private TestFiles()
    {
    }

    static Path resource(final String name)
    {
        final URL url = TestFiles.class.getResource("/madref/" + name);
        if (url == null)
        {
            throw new IllegalArgumentException("no test resource madref/" + name);
        }
        try
        {
            return Path.of(url.toURI());
        }
        catch (final URISyntaxException e)
        {
            throw new IllegalArgumentException(e);
        }
    }

    static Path write(final Path directory, final String name, final String content)
    {
        try
        {
            final Path file = directory.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return file;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    static HoconSettings load(final Path directory, final String name, final String content)
    {
        return ConfigLoader.load(write(directory, name, content));
    }
}
