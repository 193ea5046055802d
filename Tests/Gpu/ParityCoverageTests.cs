using System.Reflection;
using GraphDL.Backends.Cpu;
using GraphDL.GpuCheck;
using NUnit.Framework;

namespace GraphDL.Tests.Gpu;

/// <summary>
/// A device primitive without a parity case is a kernel nobody compares with the CPU. Each case is run on the
/// CPU backend behind a proxy that records which <see cref="IBackend"/> methods it calls; every method must
/// be called by at least one case. Methods are matched by name, so a change of signature keeps its cases.
/// </summary>
public class ParityCoverageTests
{
    [Test]
    public void EveryBackendMethodHasAParityCase()
    {
        var recorder = DispatchProxy.Create<IBackend, RecordingBackend>();
        var called = ((RecordingBackend)(object)recorder).Called;
        foreach (var parity in ParityCases.All) parity.Run(recorder);

        var uncovered = typeof(IBackend).GetMethods()
            .Where(m => !m.IsSpecialName)   // property getters are not primitives
            .Select(m => m.Name)
            .Where(name => !called.Contains(name))
            .Distinct().Order().ToList();
        Assert.That(called, Is.Not.Empty, "the proxy saw no calls, so the check below would prove nothing");
        Assert.That(uncovered, Is.Empty, "IBackend methods that no case in Tests/GpuCheck/Cases calls");
    }

    /// <summary>Forwards every call to the CPU backend and keeps the method's name.</summary>
    public class RecordingBackend : DispatchProxy
    {
        public HashSet<string> Called { get; } = [];

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            Called.Add(targetMethod.Name);
            try
            {
                return targetMethod.Invoke(CpuBackend.Instance, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }
        }
    }
}
