namespace GraphDL.Backends.Cuda;

// Typed launches: each argument's address goes into the void** array cuLaunchKernel (and the emulator) read,
// so an argument's C# type must match the kernel parameter's C type (DevicePtr for a pointer, int, float, a
// [StructLayout(Sequential)] struct for a struct). Overloads rather than params keep a launch allocation-free.
public sealed partial class CudaBackend
{
    internal unsafe void Launch<T1>(string kernel, Dim3 grid, Dim3 block, T1 a1)
        where T1 : unmanaged
    {
        void** args = stackalloc void*[1];
        args[0] = &a1;
        Device.Launch(kernel, grid, block, args, 1);
    }

    internal unsafe void Launch<T1, T2>(string kernel, Dim3 grid, Dim3 block, T1 a1, T2 a2)
        where T1 : unmanaged where T2 : unmanaged
    {
        void** args = stackalloc void*[2];
        args[0] = &a1;
        args[1] = &a2;
        Device.Launch(kernel, grid, block, args, 2);
    }

    internal unsafe void Launch<T1, T2, T3>(string kernel, Dim3 grid, Dim3 block, T1 a1, T2 a2, T3 a3)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged
    {
        void** args = stackalloc void*[3];
        args[0] = &a1;
        args[1] = &a2;
        args[2] = &a3;
        Device.Launch(kernel, grid, block, args, 3);
    }

    internal unsafe void Launch<T1, T2, T3, T4>(string kernel, Dim3 grid, Dim3 block, T1 a1, T2 a2, T3 a3, T4 a4)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged where T4 : unmanaged
    {
        void** args = stackalloc void*[4];
        args[0] = &a1;
        args[1] = &a2;
        args[2] = &a3;
        args[3] = &a4;
        Device.Launch(kernel, grid, block, args, 4);
    }

    internal unsafe void Launch<T1, T2, T3, T4, T5>(string kernel, Dim3 grid, Dim3 block, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged where T4 : unmanaged where T5 : unmanaged
    {
        void** args = stackalloc void*[5];
        args[0] = &a1;
        args[1] = &a2;
        args[2] = &a3;
        args[3] = &a4;
        args[4] = &a5;
        Device.Launch(kernel, grid, block, args, 5);
    }

    internal unsafe void Launch<T1, T2, T3, T4, T5, T6>(string kernel, Dim3 grid, Dim3 block, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged where T4 : unmanaged where T5 : unmanaged where T6 : unmanaged
    {
        void** args = stackalloc void*[6];
        args[0] = &a1;
        args[1] = &a2;
        args[2] = &a3;
        args[3] = &a4;
        args[4] = &a5;
        args[5] = &a6;
        Device.Launch(kernel, grid, block, args, 6);
    }

    internal unsafe void Launch<T1, T2, T3, T4, T5, T6, T7>(string kernel, Dim3 grid, Dim3 block, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged where T4 : unmanaged where T5 : unmanaged where T6 : unmanaged where T7 : unmanaged
    {
        void** args = stackalloc void*[7];
        args[0] = &a1;
        args[1] = &a2;
        args[2] = &a3;
        args[3] = &a4;
        args[4] = &a5;
        args[5] = &a6;
        args[6] = &a7;
        Device.Launch(kernel, grid, block, args, 7);
    }

    internal unsafe void Launch<T1, T2, T3, T4, T5, T6, T7, T8>(string kernel, Dim3 grid, Dim3 block, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged where T4 : unmanaged where T5 : unmanaged where T6 : unmanaged where T7 : unmanaged where T8 : unmanaged
    {
        void** args = stackalloc void*[8];
        args[0] = &a1;
        args[1] = &a2;
        args[2] = &a3;
        args[3] = &a4;
        args[4] = &a5;
        args[5] = &a6;
        args[6] = &a7;
        args[7] = &a8;
        Device.Launch(kernel, grid, block, args, 8);
    }

    internal unsafe void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9>(string kernel, Dim3 grid, Dim3 block, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged where T4 : unmanaged where T5 : unmanaged where T6 : unmanaged where T7 : unmanaged where T8 : unmanaged where T9 : unmanaged
    {
        void** args = stackalloc void*[9];
        args[0] = &a1;
        args[1] = &a2;
        args[2] = &a3;
        args[3] = &a4;
        args[4] = &a5;
        args[5] = &a6;
        args[6] = &a7;
        args[7] = &a8;
        args[8] = &a9;
        Device.Launch(kernel, grid, block, args, 9);
    }

    internal unsafe void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>(string kernel, Dim3 grid, Dim3 block, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged where T4 : unmanaged where T5 : unmanaged where T6 : unmanaged where T7 : unmanaged where T8 : unmanaged where T9 : unmanaged where T10 : unmanaged
    {
        void** args = stackalloc void*[10];
        args[0] = &a1;
        args[1] = &a2;
        args[2] = &a3;
        args[3] = &a4;
        args[4] = &a5;
        args[5] = &a6;
        args[6] = &a7;
        args[7] = &a8;
        args[8] = &a9;
        args[9] = &a10;
        Device.Launch(kernel, grid, block, args, 10);
    }

    internal unsafe void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>(string kernel, Dim3 grid, Dim3 block, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged where T4 : unmanaged where T5 : unmanaged where T6 : unmanaged where T7 : unmanaged where T8 : unmanaged where T9 : unmanaged where T10 : unmanaged where T11 : unmanaged
    {
        void** args = stackalloc void*[11];
        args[0] = &a1;
        args[1] = &a2;
        args[2] = &a3;
        args[3] = &a4;
        args[4] = &a5;
        args[5] = &a6;
        args[6] = &a7;
        args[7] = &a8;
        args[8] = &a9;
        args[9] = &a10;
        args[10] = &a11;
        Device.Launch(kernel, grid, block, args, 11);
    }

    internal unsafe void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>(string kernel, Dim3 grid, Dim3 block, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged where T4 : unmanaged where T5 : unmanaged where T6 : unmanaged where T7 : unmanaged where T8 : unmanaged where T9 : unmanaged where T10 : unmanaged where T11 : unmanaged where T12 : unmanaged
    {
        void** args = stackalloc void*[12];
        args[0] = &a1;
        args[1] = &a2;
        args[2] = &a3;
        args[3] = &a4;
        args[4] = &a5;
        args[5] = &a6;
        args[6] = &a7;
        args[7] = &a8;
        args[8] = &a9;
        args[9] = &a10;
        args[10] = &a11;
        args[11] = &a12;
        Device.Launch(kernel, grid, block, args, 12);
    }

    internal unsafe void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13>(string kernel, Dim3 grid, Dim3 block, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged where T4 : unmanaged where T5 : unmanaged where T6 : unmanaged where T7 : unmanaged where T8 : unmanaged where T9 : unmanaged where T10 : unmanaged where T11 : unmanaged where T12 : unmanaged where T13 : unmanaged
    {
        void** args = stackalloc void*[13];
        args[0] = &a1;
        args[1] = &a2;
        args[2] = &a3;
        args[3] = &a4;
        args[4] = &a5;
        args[5] = &a6;
        args[6] = &a7;
        args[7] = &a8;
        args[8] = &a9;
        args[9] = &a10;
        args[10] = &a11;
        args[11] = &a12;
        args[12] = &a13;
        Device.Launch(kernel, grid, block, args, 13);
    }

    internal unsafe void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14>(string kernel, Dim3 grid, Dim3 block, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged where T4 : unmanaged where T5 : unmanaged where T6 : unmanaged where T7 : unmanaged where T8 : unmanaged where T9 : unmanaged where T10 : unmanaged where T11 : unmanaged where T12 : unmanaged where T13 : unmanaged where T14 : unmanaged
    {
        void** args = stackalloc void*[14];
        args[0] = &a1;
        args[1] = &a2;
        args[2] = &a3;
        args[3] = &a4;
        args[4] = &a5;
        args[5] = &a6;
        args[6] = &a7;
        args[7] = &a8;
        args[8] = &a9;
        args[9] = &a10;
        args[10] = &a11;
        args[11] = &a12;
        args[12] = &a13;
        args[13] = &a14;
        Device.Launch(kernel, grid, block, args, 14);
    }
}
