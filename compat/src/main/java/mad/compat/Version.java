package mad.compat;

/**
 * What {@code /status} reports: the build version from the jar manifest and the git commit the launcher passes as
 * {@code -Dmadx.sha}.
 */
final class Version
{
    static final String VERSION = versionOrDefault();
    static final String SHA = System.getProperty("madx.sha", "unknown");

    private Version()
    {
    }

    private static String versionOrDefault()
    {
        final String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
