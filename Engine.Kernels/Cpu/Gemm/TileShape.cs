namespace Engine.Kernels.Cpu.Gemm;

/// <summary>A register tile's size as compile-time constants: the JIT specialises a kernel per shape struct.</summary>
internal interface ITileShape
{
    static abstract int Rows { get; }

    static abstract int Vectors { get; }
}

internal readonly struct Tile4x2 : ITileShape { public static int Rows => 4; public static int Vectors => 2; }
internal readonly struct Tile6x2 : ITileShape { public static int Rows => 6; public static int Vectors => 2; }
internal readonly struct Tile8x2 : ITileShape { public static int Rows => 8; public static int Vectors => 2; }
internal readonly struct Tile10x2 : ITileShape { public static int Rows => 10; public static int Vectors => 2; }
internal readonly struct Tile12x2 : ITileShape { public static int Rows => 12; public static int Vectors => 2; }
internal readonly struct Tile14x2 : ITileShape { public static int Rows => 14; public static int Vectors => 2; }
internal readonly struct Tile4x1 : ITileShape { public static int Rows => 4; public static int Vectors => 1; }
internal readonly struct Tile6x1 : ITileShape { public static int Rows => 6; public static int Vectors => 1; }
internal readonly struct Tile8x1 : ITileShape { public static int Rows => 8; public static int Vectors => 1; }
internal readonly struct Tile10x1 : ITileShape { public static int Rows => 10; public static int Vectors => 1; }
internal readonly struct Tile12x1 : ITileShape { public static int Rows => 12; public static int Vectors => 1; }
internal readonly struct Tile14x1 : ITileShape { public static int Rows => 14; public static int Vectors => 1; }
