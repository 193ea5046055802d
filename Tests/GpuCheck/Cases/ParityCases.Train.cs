namespace GraphDL.GpuCheck;

public static partial class ParityCases
{
    /// <summary>
    /// Three steps of every optimizer update (each with its own gradient) on a variable that is not a multiple of
    /// a block, comparing the variable and every slot after the last step.
    /// </summary>
    public static IEnumerable<ParityCase> Train()
    {
        const string family = "Train";
        var shape = new Shape(37, 29);
        const int Steps = 3;

        yield return new(family, "ApplyGradientDescent, 3 steps", be =>
        {
            var w = Kit.On(be, Kit.Random(shape, 1));
            for (int step = 0; step < Steps; step++) be.ApplyGradientDescent(w, Hyper(be, 0.1), Grad(be, step));
            return [w];
        });

        foreach (bool nesterov in new[] { false, true })
            yield return new(family, $"ApplyMomentum{(nesterov ? " (Nesterov)" : "")}, 3 steps", be =>
            {
                var w = Kit.On(be, Kit.Random(shape, 1));
                var accum = Kit.On(be, new Tensor(shape));
                for (int step = 0; step < Steps; step++) be.ApplyMomentum(w, accum, Hyper(be, 0.05), Grad(be, step), Hyper(be, 0.9), nesterov);
                return [w, accum];
            });

        yield return new(family, "ApplyAdagrad, 3 steps", be =>
        {
            var w = Kit.On(be, Kit.Random(shape, 1));
            var accum = Kit.On(be, Tensor.Filled(shape, DType.Float32, 0.1));
            for (int step = 0; step < Steps; step++) be.ApplyAdagrad(w, accum, Hyper(be, 0.05), Grad(be, step));
            return [w, accum];
        });

        foreach (bool centered in new[] { false, true })
            foreach (double momentum in new[] { 0.0, 0.9 })
                yield return new(family, $"ApplyRmsProp{(centered ? " (centered)" : "")}, momentum {momentum}, 3 steps", be =>
                {
                    var w = Kit.On(be, Kit.Random(shape, 1));
                    var ms = Kit.On(be, Tensor.Filled(shape, DType.Float32, 1));
                    var mom = Kit.On(be, new Tensor(shape));
                    var mg = centered ? Kit.On(be, new Tensor(shape)) : null;
                    for (int step = 0; step < Steps; step++) be.ApplyRmsProp(w, ms, mom, mg, Hyper(be, 0.01), Hyper(be, 0.9), Hyper(be, momentum), Hyper(be, 1e-10), Grad(be, step));
                    return mg is null ? [w, ms, mom] : [w, ms, mom, mg];
                });

        yield return new(family, "ApplyAdam, 3 steps with the bias-corrected rate from the powers", be =>
        {
            const double beta1 = 0.9, beta2 = 0.999;
            var w = Kit.On(be, Kit.Random(shape, 1));
            var m = Kit.On(be, new Tensor(shape));
            var v = Kit.On(be, new Tensor(shape));
            for (int step = 1; step <= Steps; step++)
                be.ApplyAdam(w, m, v, Hyper(be, Math.Pow(beta1, step)), Hyper(be, Math.Pow(beta2, step)), Hyper(be, 0.01),
                    Hyper(be, beta1), Hyper(be, beta2), Hyper(be, 1e-8), Grad(be, step));
            return [w, m, v];
        });

        yield return new(family, "ApplyAdam on one element", be =>
        {
            var w = Kit.On(be, Kit.Random(new Shape(1), 2));
            var m = Kit.On(be, new Tensor(new Shape(1)));
            var v = Kit.On(be, new Tensor(new Shape(1)));
            be.ApplyAdam(w, m, v, Hyper(be, 0.9), Hyper(be, 0.999), Hyper(be, 0.001), Hyper(be, 0.9), Hyper(be, 0.999), Hyper(be, 1e-7),
                Kit.On(be, Kit.Random(new Shape(1), 3)));
            return [w, m, v];
        });

        yield return new(family, "ApplyAdadelta, 3 steps", be =>
        {
            var w = Kit.On(be, Kit.Random(shape, 1));
            var accum = Kit.On(be, new Tensor(shape));
            var accumUpdate = Kit.On(be, new Tensor(shape));
            for (int step = 0; step < Steps; step++)
                be.ApplyAdadelta(w, accum, accumUpdate, Hyper(be, 0.5), Hyper(be, 0.95), Hyper(be, 1e-6), Grad(be, step));
            return [w, accum, accumUpdate];
        });

        yield return new(family, "ApplyAdaMax, 3 steps with the bias-corrected rate from the power", be =>
        {
            const double beta1 = 0.9;
            var w = Kit.On(be, Kit.Random(shape, 1));
            var m = Kit.On(be, new Tensor(shape));
            var u = Kit.On(be, new Tensor(shape));
            for (int step = 1; step <= Steps; step++)
                be.ApplyAdaMax(w, m, u, Hyper(be, Math.Pow(beta1, step)), Hyper(be, 0.01), Hyper(be, beta1), Hyper(be, 0.999), Hyper(be, 1e-7), Grad(be, step));
            return [w, m, u];
        });

        yield return new(family, "ApplyAdaMax with a NaN, a zero and a negative zero in the gradient", be =>
        {
            var small = new Shape(4);
            var w = Kit.On(be, Kit.Random(small, 1));
            var m = Kit.On(be, new Tensor(small));
            var u = Kit.On(be, new Tensor(small));
            var grad = Kit.On(be, Tensor.FromFlat(new[] { float.NaN, 0f, -0f, -1.5f }, small));
            be.ApplyAdaMax(w, m, u, Hyper(be, 0.9), Hyper(be, 0.01), Hyper(be, 0.9), Hyper(be, 0.999), Hyper(be, 1e-7), grad);
            return [w, m, u];
        });

        yield return new(family, "ApplyNadam, 3 steps with Keras's momentum schedule", be =>
        {
            const double beta1 = 0.9, beta2 = 0.999;
            var w = Kit.On(be, Kit.Random(shape, 1));
            var m = Kit.On(be, new Tensor(shape));
            var v = Kit.On(be, new Tensor(shape));
            double schedule = 1;
            for (int step = 1; step <= Steps; step++)
            {
                double mu = beta1 * (1 - 0.5 * Math.Pow(0.96, 0.004 * step)), nextMu = beta1 * (1 - 0.5 * Math.Pow(0.96, 0.004 * (step + 1)));
                be.ApplyNadam(w, m, v, Hyper(be, schedule), Hyper(be, mu), Hyper(be, nextMu), Hyper(be, Math.Pow(beta2, step)), Hyper(be, 0.01),
                    Hyper(be, beta1), Hyper(be, beta2), Hyper(be, 1e-7), Grad(be, step));
                schedule *= mu;
            }
            return [w, m, v];
        });

        Tensor Grad(IBackend be, int step) => Kit.On(be, Kit.Random(shape, 100 + step, -2, 2));

        // A hyperparameter is a Float32 scalar in the backend's memory, as the optimizers hand it over.
        static Tensor Hyper(IBackend be, double value) => Kit.On(be, Tensor.Scalar((float)value));
    }
}
