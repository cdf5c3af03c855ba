// Shared by every kernel family. The program is built once per element type with -DREAL=float or
// -DREAL=double; HAS_FP64 is defined when the device reports cl_khr_fp64. Views arrive as a buffer
// plus an element offset (xo, yo, ...), so kernels index x[xo + i].

#ifdef HAS_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double acc_t;   // accumulator of reductions returned to the host (Sum, SumOfSquares)
typedef double rng_t;   // Philox uniforms and Box-Muller, as the CPU computes them
#else
typedef float acc_t;
typedef float rng_t;
#endif

// NOTE: no a*b+c -> fma contraction (OpenCL C allows it by default); the CPU backend never fuses,
// and keeping the two apart would turn bitwise-equal kernels into merely close ones.
#pragma OPENCL FP_CONTRACT OFF

typedef REAL real;

#define LANES 64        // work-group size of the row reductions (one group per row)

// UnaryOp codes, in the order of Engine.Kernels.UnaryOp.
#define OP_NEG 0
#define OP_EXP 1
#define OP_LOG 2
#define OP_SQRT 3
#define OP_SQUARE 4
#define OP_POW 5
#define OP_ABS 6
#define OP_CLAMP 7
#define OP_RELU 8
#define OP_LEAKY_RELU 9
#define OP_SIGMOID 10
#define OP_TANH 11
#define OP_SOFTPLUS 12
#define OP_LOG_SIGMOID 13
#define OP_AFFINE 14
#define OP_IDENTITY 15

// max/min that propagate NaN like .NET's Math.Max/Min (OpenCL's fmax/fmin drop it).
inline real max_nan(real a, real b) { return (isnan(a) || a > b) ? a : (isnan(b) ? b : (a == b ? (signbit(a) ? b : a) : b)); }
inline real min_nan(real a, real b) { return (isnan(a) || a < b) ? a : (isnan(b) ? b : (a == b ? (signbit(a) ? a : b) : b)); }

// softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|): never overflows.
inline real softplus_r(real x) { return max_nan(x, (real)0) + log1p(exp(-fabs(x))); }

// sigmoid(x) = 1 / (1 + e^-x), evaluated on the side where the exponential cannot overflow.
inline real sigmoid_r(real x)
{
    if (x >= (real)0) {
        return (real)1 / ((real)1 + exp(-x));
    }
    real e = exp(x);
    return e / ((real)1 + e);
}

// y = f(x; p0, p1) for every UnaryOp (see UnaryOp.cs for the formulas).
inline real unary_f(int op, real x, real p0, real p1)
{
    switch (op) {
        case OP_NEG: return -x;
        case OP_EXP: return exp(x);
        case OP_LOG: return log(x);
        case OP_SQRT: return sqrt(x);
        case OP_SQUARE: return x * x;
        case OP_POW: return pow(x, p0);
        case OP_ABS: return fabs(x);
        case OP_CLAMP: return min_nan(max_nan(x, p0), p1);
        case OP_RELU: return max_nan(x, (real)0);
        case OP_LEAKY_RELU: return x > (real)0 ? x : p0 * x;
        case OP_SIGMOID: return (real)1 / ((real)1 + exp(-x));
        case OP_TANH: return tanh(x);
        case OP_SOFTPLUS: return softplus_r(x);
        case OP_LOG_SIGMOID: return -softplus_r(-x);
        case OP_AFFINE: return x * p0 + p1;
        default: return x;
    }
}

// dx = dy * f'(x), from whichever of x and the forward output y is cheaper.
inline real unary_df(int op, real x, real y, real dy, real p0, real p1)
{
    switch (op) {
        case OP_NEG: return -dy;
        case OP_EXP: return dy * y;
        case OP_LOG: return dy / x;
        case OP_SQRT: return dy * (real)0.5f / y;
        case OP_SQUARE: return dy * (real)2 * x;
        case OP_POW: return dy * p0 * pow(x, p0 - (real)1);
        case OP_ABS: return x > (real)0 ? dy : (x < (real)0 ? -dy : (real)0); // NOTE: 0 at x = 0, as PyTorch
        case OP_CLAMP: return (x >= p0 && x <= p1) ? dy : (real)0;
        case OP_RELU: return x > (real)0 ? dy : (real)0;                       // NOTE: relu'(0) = 0
        case OP_LEAKY_RELU: return x > (real)0 ? dy : p0 * dy;
        case OP_SIGMOID: return dy * y * ((real)1 - y);
        case OP_TANH: return dy * (((real)1 - y) * ((real)1 + y)); // not 1 − y·y, which cancels near saturation
        case OP_SOFTPLUS: return dy * sigmoid_r(x);
        case OP_LOG_SIGMOID: return dy * sigmoid_r(-x);
        case OP_AFFINE: return dy * p0;
        default: return dy;
    }
}

// Tree reduction of LANES values in local memory, in a fixed order (deterministic run to run).
// op 0: sum, 1: max. Every lane returns the result.
inline real group_reduce(__local real* scratch, real value, int op)
{
    int lane = get_local_id(0);
    scratch[lane] = value;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int width = LANES / 2; width > 0; width >>= 1) {
        if (lane < width) {
            real a = scratch[lane], b = scratch[lane + width];
            scratch[lane] = op == 0 ? a + b : max_nan(a, b);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    real result = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return result;
}
