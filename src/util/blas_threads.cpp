#include "util/blas_threads.h"

#include <dlfcn.h>

namespace dq {

void pin_blas_threads() {
  using SetThreads = void (*)(int);
  if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(1);
}

}  // namespace dq
