// Counter-based random fills, the same streams as Cpu/Philox.cs: element i of a fill is a pure
// function of (seed, counter + i). With cl_khr_fp64 the uniforms and Box–Muller run in double, as on
// the CPU, so float32 fills agree to the last bit except where libm and the device's exp/log/cos
// round differently (then by one float ulp).

#ifdef HAS_FP64
#define RNG_PI M_PI
#else
#define RNG_PI M_PI_F
#endif

// Philox4x32-10 (Salmon et al., SC'11): counter (c0, c1) = counter's 64 bits, c2 = c3 = 0,
// key (k0, k1) = seed's 64 bits. Ten rounds of
//   (c0, c1, c2, c3) ← (hi(M1·c2) ⊕ c1 ⊕ k0, lo(M1·c2), hi(M0·c0) ⊕ c3 ⊕ k1, lo(M0·c0)),
//   (k0, k1) ← (k0 + W0, k1 + W1).
inline uint4 philox4x32_10(ulong counter, ulong seed)
{
    uint c0 = (uint)counter, c1 = (uint)(counter >> 32), c2 = 0, c3 = 0;
    uint k0 = (uint)seed, k1 = (uint)(seed >> 32);
    for (int round = 0; round < 10; round++) {
        uint hi0 = mul_hi(0xD2511F53u, c0), lo0 = 0xD2511F53u * c0;
        uint hi1 = mul_hi(0xCD9E8D57u, c2), lo1 = 0xCD9E8D57u * c2;
        uint n0 = hi1 ^ c1 ^ k0;
        uint n2 = hi0 ^ c3 ^ k1;
        c1 = lo1;
        c3 = lo0;
        c0 = n0;
        c2 = n2;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    return (uint4)(c0, c1, c2, c3);
}

// u = (((hi·2³² + lo) >> 11) + ½) · 2⁻⁵³ ∈ (0, 1): 53 random bits, never 0, so log(u) is finite.
inline rng_t open_unit(uint hi, uint lo)
{
    ulong bits = (((ulong)hi << 32) | lo) >> 11;
    return ((rng_t)bits + (rng_t)0.5f) * (rng_t)0x1.0p-53f;
}

// y[i] = mean + std · √(−2 log u1) · cos(2π u2), (u1, u2) from Philox(counter + i, seed).
__kernel void fill_normal(__global real* y, int yo, int n, ulong seed, ulong counter, rng_t mean, rng_t std)
{
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    uint4 block = philox4x32_10(counter + (ulong)i, seed);
    rng_t u1 = open_unit(block.x, block.y), u2 = open_unit(block.z, block.w);
    rng_t z = sqrt((rng_t)-2 * log(u1)) * cos((rng_t)2 * RNG_PI * u2);
    y[yo + i] = (real)(mean + std * z);
}

// y[i] = low + (high − low) · u, u from Philox(counter + i, seed); kept below high after rounding.
__kernel void fill_uniform(__global real* y, int yo, int n, ulong seed, ulong counter, rng_t low, rng_t high)
{
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    uint4 block = philox4x32_10(counter + (ulong)i, seed);
    real v = (real)(low + (high - low) * open_unit(block.x, block.y));
    // NOTE: rounding to float can reach `high` exactly; step down one ulp to keep [low, high).
#if REAL_BYTES == 4
    v = (rng_t)v >= high ? nextafter((real)high, (real)-INFINITY) : v;
#endif
    y[yo + i] = v;
}
