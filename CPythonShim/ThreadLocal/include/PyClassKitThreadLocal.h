#ifndef PYCLASSKIT_THREAD_LOCAL_H
#define PYCLASSKIT_THREAD_LOCAL_H

// The one thread-local variable of PyClassKit, for what Swift cannot declare itself.

/// The calling thread's table of `PerThreadFreeList` caches, or NULL before its first use.
/// Initial-exec TLS: reading it is one load relative to the thread pointer, where
/// `pthread_getspecific` is a call of about 17 instructions, made twice per object. (An
/// initial-exec variable in a library loaded with dlopen takes 8 bytes of glibc's reserve of
/// static TLS.) The pthread key that runs the thread-exit hook holds the same table.
extern __thread void *pck_thread_caches __attribute__((tls_model("initial-exec")));

static inline void *pck_thread_caches_get(void) { return pck_thread_caches; }
static inline void pck_thread_caches_set(void *table) { pck_thread_caches = table; }

#endif
