using NUnit.Framework;
namespace GraphDL.Tests;
public class SmokeTests { [Test] public void Works() => Assert.That(1, Is.EqualTo(1)); }
