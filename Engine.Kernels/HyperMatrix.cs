namespace Engine.Kernels;

/// <summary>
/// One generated matrix of a hyper-layer call (<see cref="IBackend.HyperLayer"/>): W = act(U·H·V + B) with U [Rows, inner],
/// V [outer, Cols], B and W [Rows, Cols], all contiguous row-major. <see cref="Activation"/> is one whose derivative the
/// backward reads from W (identity, ReLU, leaky ReLU with slope <see cref="Alpha"/> &gt; 0, sigmoid, tanh).
/// </summary>
public readonly record struct HyperMatrix(BufferView U, BufferView V, BufferView B, BufferView W, int Rows, int Cols, UnaryOp Activation, double Alpha);

/// <summary>The gradients of one <see cref="HyperMatrix"/>: dW read; dU, dV and dB overwritten, each null when not wanted.</summary>
public readonly record struct HyperMatrixGradient(BufferView DW, BufferView? DU, BufferView? DV, BufferView? DB);
