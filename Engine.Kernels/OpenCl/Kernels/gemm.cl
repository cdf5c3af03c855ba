// Batched GEMM, row-major: C_b = α·op(A_b)·op(B_b) + β·C_b with op(A): [m, k], op(B): [k, n], C: [m, n].
// lda/ldb/ldc are row strides of the stored matrices, sa/sb/sc the element offsets between batch
// entries (0 broadcasts). β = 0 ignores C's old contents (NaN included), as BLAS does.
//
// Tiling: a 16×16 work-group computes a TILE×TILE (64×64) block of C, each work-item a 4×4
// sub-block strided by 16 (so neighbouring work-items touch neighbouring columns). The k loop runs
// in steps of DEPTH: the work-group stages op(A)[block rows, k..k+DEPTH) and op(B)[k..k+DEPTH, block
// cols] in local memory (each work-item loads 4 + 4 elements, along the stored matrix's contiguous
// axis, so either transpose reads memory in order), then every work-item accumulates its 4×4
// products from local memory in registers. Each C element sums its k terms in ascending order.

#define TILE 64
#define DEPTH 16
#define THREADS 16
#define PER_THREAD 4    // TILE / THREADS

__kernel __attribute__((reqd_work_group_size(THREADS, THREADS, 1)))
void gemm(int transA, int transB, int m, int n, int k, real alpha,
          __global const real* a, int ao, int lda, int sa,
          __global const real* b, int bo, int ldb, int sb,
          real beta, __global real* c, int co, int ldc, int sc)
{
    // +1 column of padding keeps the transposing stores free of local-memory bank conflicts.
    __local real tileA[DEPTH][TILE + 1];   // tileA[kk][r] = op(A)[row0 + r, k0 + kk]
    __local real tileB[DEPTH][TILE + 1];   // tileB[kk][q] = op(B)[k0 + kk, col0 + q]
    int tx = get_local_id(0), ty = get_local_id(1);
    int col0 = get_group_id(0) * TILE, row0 = get_group_id(1) * TILE;
    int batch = get_global_id(2);
    a += ao + (long)batch * sa;
    b += bo + (long)batch * sb;
    c += co + (long)batch * sc;
    int flat = ty * THREADS + tx;

    real acc[PER_THREAD][PER_THREAD];
    for (int i = 0; i < PER_THREAD; i++) {
        for (int j = 0; j < PER_THREAD; j++) {
            acc[i][j] = (real)0;
        }
    }

    for (int k0 = 0; k0 < k; k0 += DEPTH) {
        for (int l = 0; l < PER_THREAD; l++) {
            int e = flat + l * THREADS * THREADS;
            // A: stored [m, k] walks k fastest; stored [k, m] (transposed) walks m fastest.
            int r = transA ? e % TILE : e / DEPTH;
            int kk = transA ? e / TILE : e % DEPTH;
            int row = row0 + r, depth = k0 + kk;
            tileA[kk][r] = (row < m && depth < k) ? (transA ? a[(long)depth * lda + row] : a[(long)row * lda + depth]) : (real)0;
            // B: stored [k, n] walks n fastest; stored [n, k] (transposed) walks k fastest.
            int q = transB ? e / DEPTH : e % TILE;
            kk = transB ? e % DEPTH : e / TILE;
            int col = col0 + q;
            depth = k0 + kk;
            tileB[kk][q] = (col < n && depth < k) ? (transB ? b[(long)col * ldb + depth] : b[(long)depth * ldb + col]) : (real)0;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int kk = 0; kk < DEPTH; kk++) {
            real bv[PER_THREAD];
            for (int j = 0; j < PER_THREAD; j++) {
                bv[j] = tileB[kk][tx + j * THREADS];
            }
            for (int i = 0; i < PER_THREAD; i++) {
                real av = tileA[kk][ty + i * THREADS];
                for (int j = 0; j < PER_THREAD; j++) {
                    acc[i][j] += av * bv[j];
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    for (int i = 0; i < PER_THREAD; i++) {
        int row = row0 + ty + i * THREADS;
        for (int j = 0; j < PER_THREAD; j++) {
            int col = col0 + tx + j * THREADS;
            if (row < m && col < n) {
                __global real* out = c + (long)row * ldc + col;
                *out = beta == (real)0 ? alpha * acc[i][j] : alpha * acc[i][j] + beta * *out;
            }
        }
    }
}
