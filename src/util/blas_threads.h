// One BLAS thread per caller. OpenBLAS starts its own thread pool on top of
// torch's threads; on 2 cores that oversubscribes the machine and turns
// sampling and training into spinning (several times slower, mostly system
// time). Every program calls this first and lets torch alone decide the
// parallelism. A no-op when the BLAS is not OpenBLAS.
#pragma once

namespace dq {

void pin_blas_threads();

}  // namespace dq
