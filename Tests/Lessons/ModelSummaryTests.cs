using NUnit.Framework;

namespace GraphDL.Tests.Lessons;

public class ModelSummaryTests
{
    [Test]
    public void CountsEveryModelsParametersAsKerasDoes()
    {
        var result = LessonHarness.RunAndExpectPass("ModelSummary");

        Assert.That(result.Figure("seed 003 total params").Ours, Is.EqualTo(25_670.0));
        Assert.That(result.Figure("seed 000 churn total params").Ours, Is.EqualTo(8_257.0));
        Assert.That(result.Figure("VGG-16 total params").Ours, Is.EqualTo(138_357_544.0));

        // VGG-16 worked out here from configuration D alone: 3 x 3 convolutions with biases, then three dense layers.
        int[] convs = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512];
        long count = 0;
        int channels = 3;
        foreach (int filters in convs)
        {
            count += 3L * 3 * channels * filters + filters;
            channels = filters;
        }
        int flat = 224 / 32 * (224 / 32) * 512;
        count += (long)flat * 4096 + 4096 + 4096L * 4096 + 4096 + 4096L * 1000 + 1000;
        Assert.That(count, Is.EqualTo(138_357_544));
        Assert.That(result.Figure("VGG-16 fc1 params").Ours, Is.EqualTo((double)flat * 4096 + 4096));

        // Configurations A to E worked out here from the paper's table: each convolution is (filters, kernel size).
        (int, int)[] a = [(64, 3), (128, 3), (256, 3), (256, 3), (512, 3), (512, 3), (512, 3), (512, 3)];
        (int, int)[] b = [(64, 3), (64, 3), (128, 3), (128, 3), (256, 3), (256, 3), (512, 3), (512, 3), (512, 3), (512, 3)];
        (int, int)[] c = [(64, 3), (64, 3), (128, 3), (128, 3), (256, 3), (256, 3), (256, 1), (512, 3), (512, 3), (512, 1), (512, 3), (512, 3), (512, 1)];
        (int, int)[] e = [(64, 3), (64, 3), (128, 3), (128, 3), (256, 3), (256, 3), (256, 3), (256, 3),
            (512, 3), (512, 3), (512, 3), (512, 3), (512, 3), (512, 3), (512, 3), (512, 3)];
        foreach (var (name, convolutions) in new[] { ("A", a), ("B", b), ("C", c), ("E", e) })
        {
            long expected = VggCount(convolutions);
            Assert.That(result.Figure($"VGG {name}: parameters").Ours, Is.EqualTo((double)expected), name);
            Assert.That(result.Figure($"VGG {name}: weight layers").Ours, Is.EqualTo(convolutions.Length + 3.0), name);
        }
        Assert.That(VggCount(e), Is.EqualTo(143_667_240));
        Assert.That(result.Figure("VGG E (VGG-19): parameters").Ours, Is.EqualTo(143_667_240.0));
        Assert.That(result.Figure("VGG D built from the table: parameters").Ours, Is.EqualTo((double)count));
        // A-LRN: A with a local response normalization, which has no weights, after its first convolution.
        Assert.That(result.Figure("VGG A-LRN: parameters, equal to A's").Ours, Is.EqualTo((double)VggCount(a)));
        Assert.That(VggCount(a), Is.EqualTo(132_863_336));
        Assert.That(result.Figure("VGG A-LRN: weight layers").Ours, Is.EqualTo(a.Length + 3.0));
        Assert.That(result.Figure("VGG A-LRN: parameters, millions (rounded)").Ours, Is.EqualTo(133.0));
        Assert.That(result.Figure("VGG A-LRN: LRN layers (after block1_conv1)").Ours, Is.EqualTo(1.0));

        // Seed 000's minibatch slide: a million samples in batches of a thousand.
        Assert.That(result.Figure("1 epoch of 1,000,000 samples at batch size 1,000: iterations").Ours, Is.EqualTo(1_000_000.0 / 1_000));

        // Building the graph of 138 million parameters allocates well under a megabyte: no value exists yet.
        Assert.That((double)result.Figure("VGG-16 graph: bytes allocated to build it and count").Ours!, Is.LessThan(4.0 * count / 100));

        string tables = File.ReadAllText(LessonHarness.OutFile("ModelSummary", "summaries.txt"));
        Assert.That(tables, Does.StartWith(
            "Model: \"sequential\"\n" +
            "_________________________________________________________________\n" +
            " Layer (type)                Output Shape              Param #   \n" +
            "=================================================================\n" +
            " dense (Dense)               (None, 32)                25120     \n" +
            "                                                                 \n" +
            " dense_1 (Dense)             (None, 10)                330       \n"));
        Assert.That(tables, Does.Contain(" fc1 (Dense)                 (None, 4096)              102764544 \n"));
        Assert.That(tables, Does.Contain("Total params: 138,357,544\n"));
        Assert.That(tables, Does.Contain("Total params: 8,257\n"));

        var png = File.ReadAllBytes(LessonHarness.OutFile("ModelSummary", "vgg16_params.png"));
        Assert.That(png.Take(4), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }));
    }

    // Convolutions with biases and "same" padding, five 2 x 2 pools (224 / 32 = 7), then FC-4096, FC-4096, FC-1000.
    private static long VggCount((int Filters, int Kernel)[] convolutions)
    {
        long count = 0;
        int channels = 3;
        foreach (var (filters, kernel) in convolutions)
        {
            count += (long)kernel * kernel * channels * filters + filters;
            channels = filters;
        }
        return count + 7L * 7 * 512 * 4096 + 4096 + 4096L * 4096 + 4096 + 4096L * 1000 + 1000;
    }
}
