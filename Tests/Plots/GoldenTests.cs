using System.Security.Cryptography;
using GraphDL.Plots;
using NUnit.Framework;

namespace GraphDL.Tests.Plots;

/// <summary>
/// SHA-256 of the PNG bytes of a few fixed figures, so that any change to the rendering shows up here.
/// After an intended change, look at out/gallery/ and paste the new hashes printed by the failure.
/// </summary>
public class GoldenTests
{
    private static readonly Dictionary<string, string> Expected = new()
    {
        ["line_fit"] = "81774efb10fa44b4620adb936f607dd273effb533902cd37bf4576ac21cbfa1a",
        ["confusion_matrix"] = "e1a60631e25f5ad98ab30e89043a61da1aabd4e309032ad4a55f30dd957e4266",
        ["digits_grid"] = "f22712f85adb4ebfa42a24bfcfa0956befe3b8b82f645beaf0e97b65f3991adc",
        ["training_curves"] = "cb82fcc873776b410e0aaf76078e0ebeebf7da1dfd10128f16329a6774a1eb91",
    };

    [TestCaseSource(nameof(Names))]
    public void PngBytesMatchTheGoldenHash(string name)
    {
        var e = Gallery.All.Single(x => x.Name == name);
        var bytes = e.Build().GetImageBytes(e.Width, e.Height);
        var again = e.Build().GetImageBytes(e.Width, e.Height);
        Assert.That(again, Is.EqualTo(bytes), "the same input gives the same bytes");
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(bytes)), Is.EqualTo(Expected[name]), name);
    }

    private static IEnumerable<string> Names() => Expected.Keys;
}
