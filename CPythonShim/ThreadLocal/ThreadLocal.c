#include "PyClassKitThreadLocal.h"

__thread void *pck_thread_caches __attribute__((tls_model("initial-exec"))) = 0;
