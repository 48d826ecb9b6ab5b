/// The size of a cache line on the machines PyClassKit runs on (x86-64, and arm64 servers):
/// memory that one thread writes often is kept on lines of its own, so that no other thread's
/// writes to the same line make the two cores pass it back and forth (false sharing).
let cacheLineSize = 64
