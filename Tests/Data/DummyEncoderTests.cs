using GraphDL.Data;
using NUnit.Framework;

namespace GraphDL.Tests.Data;

public class DummyEncoderTests
{
    private static readonly CsvTable Train = Csv.Parse("id,color,size,price\n1,red,S,10\n2,blue,M,20\n3,green,S,30\n4,blue,L,40\n", "train.csv");

    [Test]
    public void OneColumnPerSortedCategoryNamedAsPandasNamesThem()
    {
        var dummies = new DummyEncoder().FitTransform(Train, "color", "size");
        // pd.get_dummies(df, columns=['color', 'size']): the other columns first, then the dummies, categories sorted.
        Assert.That(dummies.Header, Is.EqualTo(new[] { "id", "price", "color_blue", "color_green", "color_red", "size_L", "size_M", "size_S" }));
        Assert.That(dummies.Rows[0], Is.EqualTo(new[] { "1", "10", "0", "0", "1", "0", "0", "1" }));
        Assert.That(dummies.Rows[3], Is.EqualTo(new[] { "4", "40", "1", "0", "0", "1", "0", "0" }));
        Assert.That(dummies.ToTensor().Shape, Is.EqualTo(new Shape(4, 8)));
    }

    [Test]
    public void DropFirstLeavesOutEachColumnsFirstCategory()
    {
        var encoder = new DummyEncoder(dropFirst: true);
        var dummies = encoder.FitTransform(Train, "color", "size");
        Assert.That(dummies.Header, Is.EqualTo(new[] { "id", "price", "color_green", "color_red", "size_M", "size_S" }));
        Assert.That(dummies.Rows[1], Is.EqualTo(new[] { "2", "20", "0", "0", "1", "0" }));   // blue, M
        Assert.That(encoder.Categories("color"), Is.EqualTo(new[] { "blue", "green", "red" }));
        Assert.That(encoder.DummyColumns, Is.EqualTo(new[] { "color_green", "color_red", "size_M", "size_S" }));
    }

    [Test]
    public void TestRowsGetTheTrainingRowsColumns()
    {
        var encoder = new DummyEncoder().Fit(Train, "color");
        var test = Csv.Parse("id,color,size,price\n5,red,M,50\n", "test.csv");
        var dummies = encoder.Transform(test);
        // blue and green do not occur in the test rows, yet their columns are there.
        Assert.That(dummies.Header, Is.EqualTo(new[] { "id", "size", "price", "color_blue", "color_green", "color_red" }));
        Assert.That(dummies.Rows[0], Is.EqualTo(new[] { "5", "M", "50", "0", "0", "1" }));
    }

    [Test]
    public void AnUnseenCategoryIsAnErrorNamingItsLine()
    {
        var encoder = new DummyEncoder().Fit(Train, "color");
        var test = Csv.Parse("id,color,size,price\n5,red,M,50\n6,purple,S,60\n", "test.csv");
        var e = Assert.Throws<CsvException>(() => encoder.Transform(test));
        Assert.That(e!.Message, Does.StartWith("test.csv, line 3, column 2 ('color'): the category 'purple' was not in the rows"));
        Assert.That(e.Message, Does.Contain("UnseenCategory.AllZero"));
    }

    [Test]
    public void AnUnseenCategoryCanBeARowOfZeros()
    {
        var encoder = new DummyEncoder(unseen: UnseenCategory.AllZero).Fit(Train, "color");
        var test = Csv.Parse("id,color,size,price\n6,purple,S,60\n7,green,S,70\n", "test.csv");
        var dummies = encoder.Transform(test);
        Assert.That(dummies.Rows[0].Skip(3), Is.EqualTo(new[] { "0", "0", "0" }));
        Assert.That(dummies.Rows[1].Skip(3), Is.EqualTo(new[] { "0", "1", "0" }));
    }

    [Test]
    public void AnEmptyCellIsMissingAndGetsZerosAsPandasNaN()
    {
        var table = Csv.Parse("n,kind\n1,a\n2,\n3,b\n");
        var dummies = DummyEncoder.GetDummies(table, dropFirst: false, "kind");
        Assert.That(dummies.Header, Is.EqualTo(new[] { "n", "kind_a", "kind_b" }));
        Assert.That(dummies.Rows[1], Is.EqualTo(new[] { "2", "0", "0" }));
    }

    [Test]
    public void WithNoColumnsNamedTheTextColumnsAreEncoded()
    {
        var dummies = new DummyEncoder().FitTransform(Train);
        Assert.That(dummies.Header, Is.EqualTo(new[] { "id", "price", "color_blue", "color_green", "color_red", "size_L", "size_M", "size_S" }));
    }

    [Test]
    public void TransformBeforeFitAndUnknownColumnsAreErrors()
    {
        Assert.Throws<InvalidOperationException>(() => new DummyEncoder().Transform(Train));
        var e = Assert.Throws<CsvException>(() => new DummyEncoder().Fit(Train, "colour"));
        Assert.That(e!.Message, Does.Contain("no column named 'colour'"));
        Assert.Throws<ArgumentException>(() => new DummyEncoder().Fit(Train, "color").Categories("size"));
    }

    [Test]
    public void AFailedFitKeepsTheEarlierOne()
    {
        var encoder = new DummyEncoder().Fit(Train, "color");
        Assert.Throws<CsvException>(() => encoder.Fit(Train, "size", "colour"));
        Assert.That(encoder.DummyColumns, Is.EqualTo(new[] { "color_blue", "color_green", "color_red" }));
    }

    [Test]
    public void ATableWithoutTextColumnsPassesThrough()
    {
        var numbers = Csv.Parse("a,b\n1,2\n3,4\n");
        var same = new DummyEncoder().FitTransform(numbers);
        Assert.That(same.Header, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(same.Rows[1], Is.EqualTo(new[] { "3", "4" }));
    }
}
