namespace GraphDL.Data;

/// <summary>MNIST's two parts: 60,000 training images and 10,000 test images with their labels.</summary>
public sealed record MnistData(DataSet Train, DataSet Test);

/// <summary>
/// The MNIST handwritten digits, loaded the way the slides' <c>input_data.read_data_sets("MNIST_data/", one_hot=True)</c>
/// loads them: each image a row of 784 float32 pixels scaled to [0, 1], each label a one-hot row of 10.
/// The four IDX files are kept in a cache directory and fetched by <see cref="MnistFetcher"/> when missing.
/// </summary>
public static class Mnist
{
    /// <summary>The environment variable that moves the data cache: MNIST then lives in <c>$GRAPHDL_DATA/mnist</c>.</summary>
    public const string DataDirVariable = DataCache.RootVariable;

    /// <summary>Width and height of an image.</summary>
    public const int ImageSide = 28;

    /// <summary>Pixels per image, the length of a row of <see cref="DataSet.Features"/>.</summary>
    public const int Pixels = ImageSide * ImageSide;

    /// <summary>The ten digits.</summary>
    public const int Classes = 10;

    /// <summary>The 60,000 training images, 28x28 bytes each, with the size and SHA-256 the fetcher checks.</summary>
    public static DataFile TrainImages { get; } = new("train-images-idx3-ubyte", 47_040_016, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db");
    /// <summary>The 60,000 training labels, one byte (0-9) each.</summary>
    public static DataFile TrainLabels { get; } = new("train-labels-idx1-ubyte", 60_008, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5");
    /// <summary>The 10,000 test images, 28x28 bytes each.</summary>
    public static DataFile TestImages { get; } = new("t10k-images-idx3-ubyte", 7_840_016, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7");
    /// <summary>The 10,000 test labels, one byte (0-9) each.</summary>
    public static DataFile TestLabels { get; } = new("t10k-labels-idx1-ubyte", 10_008, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    /// <summary>The four files MNIST is published as.</summary>
    public static IReadOnlyList<DataFile> Files { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>
    /// Where MNIST is cached unless told otherwise: <c>$GRAPHDL_DATA/mnist</c> when that variable is set,
    /// else <c>~/.graphdl/data/mnist</c>.
    /// </summary>
    public static string DefaultDataDir => DataCache.Folder("mnist");

    /// <summary>
    /// Loads the training and test sets from <paramref name="dataDir"/> (default <see cref="DefaultDataDir"/>),
    /// fetching and verifying the files first when they are not there.
    /// </summary>
    /// <param name="dataDir">The cache directory to use instead of the default.</param>
    /// <param name="log">Receives progress lines (downloads, rejected files); null for silence.</param>
    /// <param name="seed">Seeds the batch shuffling of both sets, like read_data_sets' seed.</param>
    /// <exception cref="DataUnavailableException">The files are not in the cache and no source could provide them.</exception>
    public static MnistData Load(string? dataDir = null, Action<string>? log = null, int seed = 0)
    {
        var fetcher = new MnistFetcher(dataDir ?? DefaultDataDir, log);
        var files = fetcher.Fetch(Files);
        var train = ToDataSet(Idx.Parse(files[TrainImages.Name], TrainImages.Name), Idx.Parse(files[TrainLabels.Name], TrainLabels.Name), seed);
        var test = ToDataSet(Idx.Parse(files[TestImages.Name], TestImages.Name), Idx.Parse(files[TestLabels.Name], TestLabels.Name), seed);
        log?.Invoke($"MNIST from {fetcher.CacheDir}: {train.Count:N0} training and {test.Count:N0} test images");
        return new MnistData(train, test);
    }

    /// <summary>
    /// A data set from IDX images (n, 28, 28) and labels (n): pixels become float32 in [0, 1], labels one-hot rows.
    /// </summary>
    public static DataSet ToDataSet(IdxArray images, IdxArray labels, int seed = 0)
    {
        if (images.Dims is not [var n, ImageSide, ImageSide])
            throw new InvalidDataException($"MNIST images must have dimensions nx{ImageSide}x{ImageSide}, these have {string.Join('x', images.Dims)}.");
        if (labels.Dims is not [var labelCount] || labelCount != n)
            throw new InvalidDataException($"MNIST labels must be one per image ({n}), these have dimensions {string.Join('x', labels.Dims)}.");

        // TF1 multiplies the float32 pixels by 1/255 in float32; doing the same keeps every value a float32 TF1 would have.
        // The pixels stay bytes until a batch reads them: 47 MB for the training set instead of 188.
        const float scale = 1f / 255;

        var classIds = new int[n];
        for (int i = 0; i < n; i++)
        {
            classIds[i] = labels.Data[i];
            if (classIds[i] >= Classes) throw new InvalidDataException($"MNIST label {i} is {classIds[i]}, not a digit.");
        }
        return DataSet.FromBytes(images.Data, new Shape(n, Pixels), scale, OneHotEncoding.Encode(classIds, Classes), seed, classIds);
    }
}
