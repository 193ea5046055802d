using GraphDL.Data;
using NUnit.Framework;

namespace GraphDL.Tests.Data;

public class ScalerTests
{
    private static Tensor Matrix(double[,] values) => Tensor.FromArray(values);

    private static float[] Flat(double[,] values) => [.. values.Cast<double>().Select(v => (float)v)];

    [Test]
    public void MinMaxScalerMatchesSklearnsDocExample()
    {
        // sklearn.preprocessing.MinMaxScaler's docstring example.
        var data = Matrix(new double[,] { { -1, 2 }, { -0.5, 6 }, { 0, 10 }, { 1, 18 } });
        var scaler = new MinMaxScaler();
        scaler.Fit(data);
        Assert.That(scaler.DataMax, Is.EqualTo(new[] { 1.0, 18.0 }));
        Assert.That(scaler.DataMin, Is.EqualTo(new[] { -1.0, 2.0 }));
        Assert.That(scaler.Transform(data).ToArray<float>(), Is.EqualTo(Flat(new double[,] { { 0, 0 }, { 0.25, 0.25 }, { 0.5, 0.5 }, { 1, 1 } })));
        Assert.That(scaler.Transform(Matrix(new double[,] { { 2, 2 } })).ToArray<float>(), Is.EqualTo(new[] { 1.5f, 0f }));
    }

    [Test]
    public void MinMaxScalerMapsToTheFeatureRange()
    {
        var data = Matrix(new double[,] { { 0 }, { 5 }, { 10 } });
        var scaled = new MinMaxScaler((-1, 1)).FitTransform(data);
        Assert.That(scaled.ToArray<float>(), Is.EqualTo(new[] { -1f, 0f, 1f }));
    }

    [Test]
    public void TestRowsNeverInfluenceTheFit()
    {
        var train = Matrix(new double[,] { { 0, 100 }, { 10, 300 } });
        var test = Matrix(new double[,] { { -5, 400 }, { 20, 200 } });
        var scaler = new MinMaxScaler();
        var trainScaled = scaler.FitTransform(train);
        var testScaled = scaler.Transform(test);
        // The test rows are mapped by the training range, so they land outside [0, 1] where they lie outside it.
        Assert.That(testScaled.ToArray<float>(), Is.EqualTo(new[] { -0.5f, 1.5f, 2f, 0.5f }));
        // Transforming them changed nothing in the fit.
        Assert.That(scaler.DataMin, Is.EqualTo(new[] { 0.0, 100.0 }));
        Assert.That(scaler.DataMax, Is.EqualTo(new[] { 10.0, 300.0 }));
        Assert.That(scaler.Transform(train).ToArray<float>(), Is.EqualTo(trainScaled.ToArray<float>()));

        var standard = new StandardScaler();
        standard.Fit(train);
        standard.Transform(test);
        Assert.That(standard.Mean, Is.EqualTo(new[] { 5.0, 200.0 }));
        Assert.That(standard.Transform(test).ToArray<float>(), Is.EqualTo(new[] { -2f, 2f, 3f, 0f }));
    }

    [Test]
    public void StandardScalerMatchesSklearnsDocExample()
    {
        // sklearn.preprocessing.StandardScaler's docstring example.
        var data = Matrix(new double[,] { { 0, 0 }, { 0, 0 }, { 1, 1 }, { 1, 1 } });
        var scaler = new StandardScaler();
        scaler.Fit(data);
        Assert.That(scaler.Mean, Is.EqualTo(new[] { 0.5, 0.5 }));
        Assert.That(scaler.Variance, Is.EqualTo(new[] { 0.25, 0.25 }));
        Assert.That(scaler.Scale, Is.EqualTo(new[] { 0.5, 0.5 }));
        Assert.That(scaler.Transform(data).ToArray<float>(), Is.EqualTo(new[] { -1f, -1f, -1f, -1f, 1f, 1f, 1f, 1f }));
        Assert.That(scaler.Transform(Matrix(new double[,] { { 2, 2 } })).ToArray<float>(), Is.EqualTo(new[] { 3f, 3f }));
    }

    [Test]
    public void StandardScalerUsesThePopulationDeviation()
    {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population variance 4 (σ = 2); the sample one would be 32/7.
        var data = Matrix(new double[,] { { 2 }, { 4 }, { 4 }, { 4 }, { 5 }, { 5 }, { 7 }, { 9 } });
        var scaler = new StandardScaler();
        var scaled = scaler.FitTransform(data).ToArray<float>();
        Assert.That(scaler.Variance[0], Is.EqualTo(4.0));
        Assert.That(scaler.Scale[0], Is.EqualTo(2.0));
        Assert.That(scaled, Is.EqualTo(new[] { -1.5f, -0.5f, -0.5f, -0.5f, 0f, 0f, 1f, 2f }));
    }

    [Test]
    public void ConstantColumnsMapAsSklearnsDoWithoutDividingByZero()
    {
        var data = Matrix(new double[,] { { 3, 1 }, { 3, 2 }, { 3, 3 } });
        var minMax = new MinMaxScaler().FitTransform(data).ToArray<float>();
        Assert.That(minMax, Is.EqualTo(new[] { 0f, 0f, 0f, 0.5f, 0f, 1f }));
        var shifted = new MinMaxScaler((-1, 1)).FitTransform(data).ToArray<float>();
        Assert.That(shifted.Where((_, i) => i % 2 == 0), Is.All.EqualTo(-1f));

        var standard = new StandardScaler();
        var z = standard.FitTransform(data).ToArray<float>();
        Assert.That(standard.Scale[0], Is.EqualTo(1.0));
        Assert.That(z.Where((_, i) => i % 2 == 0), Is.All.EqualTo(0f));
        Assert.That(z.All(float.IsFinite), Is.True);
    }

    [Test]
    public void InverseTransformGivesTheOriginalValuesBack()
    {
        var data = Matrix(new double[,] { { -1, 2, 7 }, { -0.5, 6, 7 }, { 0, 10, 7 }, { 1, 18, 7 } });
        foreach (ColumnScaler scaler in new ColumnScaler[] { new MinMaxScaler(), new MinMaxScaler((-3, 5)), new StandardScaler() })
        {
            var back = scaler.InverseTransform(scaler.FitTransform(data)).ToArray<float>();
            Assert.That(back, Is.EqualTo(Flat(new double[,] { { -1, 2, 7 }, { -0.5, 6, 7 }, { 0, 10, 7 }, { 1, 18, 7 } })).Within(1e-6), scaler.GetType().Name);
        }
    }

    [Test]
    public void TransformBeforeFitIsAnError()
    {
        var data = Matrix(new double[,] { { 1, 2 } });
        var e = Assert.Throws<InvalidOperationException>(() => new MinMaxScaler().Transform(data));
        Assert.That(e!.Message, Does.Contain("MinMaxScaler is not fitted").And.Contain("Fit"));
        Assert.Throws<InvalidOperationException>(() => new StandardScaler().InverseTransform(data));
    }

    [Test]
    public void ADifferentColumnCountIsAnError()
    {
        var scaler = new StandardScaler();
        scaler.Fit(Matrix(new double[,] { { 1, 2 }, { 3, 4 } }));
        var e = Assert.Throws<ShapeException>(() => scaler.Transform(Matrix(new double[,] { { 1, 2, 3 } })));
        Assert.That(e!.Message, Does.Contain("3 columns").And.Contain("fitted on 2"));
        Assert.Throws<ShapeException>(() => scaler.Transform(Tensor.FromFlat(new float[] { 1, 2 }, new Shape(2))));
    }

    [Test]
    public void AnEmptyFeatureRangeIsAnError()
    {
        Assert.Throws<ArgumentException>(() => new MinMaxScaler((1, 1)));
        Assert.Throws<ArgumentException>(() => new MinMaxScaler((2, 0)));
    }
}
