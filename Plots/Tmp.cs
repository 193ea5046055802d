namespace GraphDL.Plots; public static class Placeholder0 {}
