// Parameter updates, one fused pass per tensor, in the CPU's operation order.

// g = gradScale·grad; m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; p ← p − lr·(m/c1 / (√(v/c2) + ε) + wd·p).
__kernel void adam_step(__global real* p, int po, __global const real* grad, int go, __global real* m, int mo, __global real* v, int vo,
                        int n, real lr, real beta1, real beta2, real eps, real c1, real c2, real weightDecay, real gradScale)
{
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    real g = grad[go + i] * gradScale;
    real mi = beta1 * m[mo + i] + ((real)1 - beta1) * g;
    real vi = beta2 * v[vo + i] + ((real)1 - beta2) * g * g;
    m[mo + i] = mi;
    v[vo + i] = vi;
    real step = mi / c1 / (sqrt(vi / c2) + eps);
    real pi = p[po + i];
    p[po + i] = pi - lr * (step + weightDecay * pi);
}

// g = gradScale·grad; with momentum: buf ← μ·buf + g, g = buf; p ← p − lr·g.
__kernel void sgd_step(__global real* p, int po, __global const real* grad, int go, __global real* buf, int bo, int hasMomentum,
                       int n, real lr, real momentum, real gradScale)
{
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    real g = grad[go + i] * gradScale;
    if (hasMomentum) {
        g = momentum * buf[bo + i] + g;
        buf[bo + i] = g;
    }
    p[po + i] = p[po + i] - lr * g;
}
