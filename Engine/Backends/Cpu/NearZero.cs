using System.Numerics;

namespace GraphDL.Backends.Cpu;

/// <summary>
/// ln(1 + x) and eˣ - 1 to within a few ulps for x near 0, where the plain formulas lose x's digits: 1 + 1e-10
/// keeps only 6 of x's 16 significant digits in Float64, and e^1e-10 - 1 cancels the same way.
/// </summary>
internal static class NearZero
{
    /// <summary>
    /// ln(1 + x) by Kahan's correction (Goldberg, "What every computer scientist should know about floating-point
    /// arithmetic", theorem 4): u = 1 + x is rounded, but u - 1 is exact, so ln(u) · x / (u - 1) scales ln(u) by
    /// the ratio of the x meant to the x that was added.
    /// </summary>
    public static T Log1p<T>(T x) where T : IFloatingPointIeee754<T>
    {
        T u = T.One + x;
        if (u == T.One) return x;                  // |x| under half an ulp of 1, where ln(1 + x) = x (and -0 stays -0)
        if (T.IsPositiveInfinity(u)) return u;     // x / (u - 1) would be ∞ / ∞
        return T.Log(u) * (x / (u - T.One));
    }

    /// <summary>
    /// eˣ - 1 by the same correction run the other way (Higham, "Accuracy and Stability of Numerical Algorithms",
    /// §1.14.1): u = eˣ is rounded, u - 1 is exact, and ln(u) is the x that u actually belongs to.
    /// </summary>
    public static T Expm1<T>(T x) where T : IFloatingPointIeee754<T>
    {
        T u = T.Exp(x);
        if (u == T.One) return x;                  // |x| under half an ulp of 1, where eˣ - 1 = x (and -0 stays -0)
        T uMinusOne = u - T.One;
        if (uMinusOne == -T.One) return uMinusOne; // eˣ is below 1's last digit: the result is -1 to full precision
        if (T.IsPositiveInfinity(u)) return u;
        // x / ln(u) first: (u - 1) · x could overflow where the result does not.
        return uMinusOne * (x / T.Log(u));
    }
}
