// Element-wise math in a form the loop vectoriser can widen (inline; nothing to link).
#ifndef REGIMEN_CVECTORMATH_H
#define REGIMEN_CVECTORMATH_H

// On Linux, Swift's `Float.squareRoot()` and `Double.squareRoot()` call the C library's
// `sqrtf` / `sqrt` under C's math-errno rule: each call tests for a negative argument and
// keeps a scalar fall-back, so a loop that takes a square root per element is never
// vectorised (the Adam update ran one element at a time: about 10% of an MLP step at batch
// 256). `__builtin_elementwise_sqrt` is the same correctly rounded IEEE square root without
// errno, so these inline functions compile to `llvm.sqrt` and a loop over them to `vsqrtps`.
// NaN for a negative argument, as `squareRoot()`; every result has the same bits.

/// The correctly rounded square root of `x` (NaN when `x < 0`), without errno.
static inline float regimen_sqrtf(float x) { return __builtin_elementwise_sqrt(x); }

/// The correctly rounded square root of `x` (NaN when `x < 0`), without errno.
static inline double regimen_sqrt(double x) { return __builtin_elementwise_sqrt(x); }

#endif
