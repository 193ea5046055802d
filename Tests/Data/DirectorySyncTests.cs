using GraphDL.Data;
using NUnit.Framework;

namespace GraphDL.Tests.Data;

public class DirectorySyncTests
{
    [Test]
    public void ADirectoryIsFlushedOnLinuxAndAMissingOneIsNot()
    {
        var folder = Directory.CreateTempSubdirectory("graphdl-dirsync-").FullName;
        try
        {
            Assert.That(DirectorySync.Flush(folder), Is.EqualTo(!OperatingSystem.IsWindows()), "the C library's fsync confirmed it");
            Assert.That(DirectorySync.Flush(Path.Combine(folder, "absent")), Is.False);
        }
        finally
        {
            Directory.Delete(folder);
        }
    }
}
