// Umbrella header for OpenBLAS (apt: libopenblas-dev): CBLAS, plus the few Fortran LAPACK
// routines Regimen calls. Debian's OpenBLAS ships LAPACK inside libopenblas but no lapack.h,
// so their reference prototypes (netlib LAPACK 3.x, integer = int, hidden string lengths
// omitted as every caller passes one-character strings) are declared here.
#include <cblas.h>

/// Cholesky factorisation of a symmetric positive-definite matrix (column-major).
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info);
/// Solve A X = B with the Cholesky factor from dpotrf_.
void dpotrs_(const char *uplo, const int *n, const int *nrhs, const double *a, const int *lda,
             double *b, const int *ldb, int *info);
/// Eigenvalues and eigenvectors of a symmetric matrix (divide and conquer).
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
             double *w, double *work, const int *lwork, int *iwork, const int *liwork, int *info);
