using NUnit.Framework;

namespace GraphDL.Tests.Engine;

public class NumericsTests
{
    [Test]
    public void CheckNumericsPassesFiniteValuesThrough()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(3), "x");
        var y = g.CheckNumerics(g.Log(x), "log of x", "checked") * 2;
        var r = new Session(g).Run(y, new() { [x] = new float[] { 1, 2, 4 } });
        Assert.That(r.ToDoubles(), Is.EqualTo(new[] { 0, 2 * Math.Log(2), 2 * Math.Log(4) }).Within(1e-6));
    }

    [Test]
    public void CheckNumericsStopsAtNaNAndInfinityNamingItself()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(4), "x");
        var y = g.CheckNumerics(g.Log(x, "log"), "log of x", "checked");
        var e = Assert.Throws<RunException>(() => new Session(g).Run(y, new() { [x] = new float[] { -1, 0, 1, 2 } }));
        Assert.That(e!.Message, Is.EqualTo(
            "CheckNumerics 'checked': log of x: 'log' (4,) has NaN in 1 and Inf in 1 of 4 elements; its finite elements are in [0, 0.693147]."));
        Assert.That(e.Node!.Name, Is.EqualTo("checked"));
    }

    [Test]
    public void CheckNumericsChecksTheGradientToo()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(2), "x");
        var checkedX = g.CheckNumerics(x, "x");
        var loss = g.ReduceSum(g.Sqrt(checkedX));
        var dx = g.Gradient(loss, x)!.Value;
        // sqrt'(0) = 1 / (2 sqrt 0) = Inf: the forward value is fine, its gradient is not.
        var e = Assert.Throws<RunException>(() => new Session(g).Run(dx, new() { [x] = new float[] { 0, 4 } }));
        Assert.That(e!.Message, Does.Contain(": x (gradient): ").And.Contains("Inf in 1 of 2 elements"));
    }

    [Test]
    public void SessionCheckNumericsStopsAtTheFirstNodeThatProducesNaN()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(3), "x");
        var shifted = g.Sub(x, g.Constant(1f), "shifted");
        var logged = g.Log(shifted, "logged");          // the first bad value is born here
        var y = g.ReduceSum(g.Exp(logged), name: "total");
        using var session = new Session(g) { CheckNumerics = true };
        var e = Assert.Throws<RunException>(() => session.Run(y, new() { [x] = new float[] { 0.5f, 2, 3 } }));
        Assert.That(e!.Node!.Name, Is.EqualTo("logged"));
        Assert.That(e.Message, Is.EqualTo("Log 'logged' produced NaN in 1 of 3 elements from 'shifted' Float32 (3,) in [-0.5, 2]."));

        Assert.That((double)session.Run(y, new() { [x] = new float[] { 2, 3, 4 } }), Is.EqualTo(6).Within(1e-5), "finite runs pass");
        session.CheckNumerics = false;
        Assert.That(double.IsNaN((double)session.Run(y, new() { [x] = new float[] { 0.5f, 2, 3 } })), "off: the NaN flows through");
    }

    /// <summary>
    /// A plan bound without the check lets Log write over 'shifted', whose last reader it is; turned on, the check
    /// rebinds without that, so the message still gives the input's own range rather than the NaN written over it.
    /// </summary>
    [Test]
    public void TurningTheCheckOnLaterStillDescribesTheInputAsItWas()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(3), "x");
        var shifted = g.Sub(x, g.Constant(1f), "shifted");
        var y = g.ReduceSum(g.Exp(g.Log(shifted, "logged")), name: "total");
        using var session = new Session(g);
        for (int i = 0; i < 2; i++) session.Run(y, new() { [x] = new float[] { 2, 3, 4 } });
        Assert.That(session.Plans.Single().NodesWritingOverAnInput.Select(n => n.Name), Does.Contain("logged"), "unchecked, Log overwrites its input");

        session.CheckNumerics = true;
        var e = Assert.Throws<RunException>(() => session.Run(y, new() { [x] = new float[] { 0.5f, 2, 3 } }));
        Assert.That(e!.Message, Is.EqualTo("Log 'logged' produced NaN in 1 of 3 elements from 'shifted' Float32 (3,) in [-0.5, 2]."));
        Assert.That(session.Plans.Single().NodesWritingOverAnInput, Is.Empty);
    }

    [Test]
    public void CheckNumericsRefusesIntegers()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Int32, new Shape(3), "n");
        Assert.That(() => g.CheckNumerics(x, "n"), Throws.InstanceOf<Exception>().With.Message.Contains("Int32"));
    }
}
