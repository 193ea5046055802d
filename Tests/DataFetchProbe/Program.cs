using System.Globalization;
using System.Security.Cryptography;
using GraphDL.Data;

// CACHE MIRROR NAME BYTES SHA256
//   Fetches the file NAME (BYTES bytes uncompressed, that SHA-256) into CACHE with MnistFetcher, from MIRROR only,
//   and prints "sha256 HEX" of the bytes it was handed. A DataUnavailableException's message goes to standard error,
//   with exit code 1.
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: CACHE MIRROR NAME BYTES SHA256");
    return 2;
}
var file = new DataFile(args[2], long.Parse(args[3], CultureInfo.InvariantCulture), args[4]);
var fetcher = new MnistFetcher(args[0]) { Mirrors = [args[1]], UseNpm = false, ResponseTimeout = TimeSpan.FromSeconds(20) };
try
{
    byte[] content = fetcher.Fetch([file])[file.Name];
    Console.WriteLine($"sha256 {Convert.ToHexStringLower(SHA256.HashData(content))}");
    return 0;
}
catch (DataUnavailableException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
