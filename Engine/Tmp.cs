namespace GraphDL; public static class Placeholder0 {}
