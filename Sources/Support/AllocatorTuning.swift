#if canImport(Glibc)
    import Glibc
#endif

/// Process-wide settings of the C allocator for training and benchmarking workloads.
package enum AllocatorTuning {
    /// Makes glibc keep freed memory for reuse instead of returning it to the kernel.
    ///
    /// Training allocates and frees the same large activation buffers every step. By default
    /// glibc serves blocks above 128 KiB with fresh `mmap`s and trims freed heap memory, so
    /// every step pays thousands of page faults (measured: about 6,000 per step of the
    /// batch-4096 MLP benchmark, more system time than compute). Raising the mmap and trim
    /// thresholds keeps those pages mapped and reused. Call it once at the start of a
    /// long-running executable; it changes only where memory comes from, never results.
    /// A no-op where glibc's `mallopt` is absent.
    package static func retainFreedMemory() {
        #if canImport(Glibc)
            // `mallopt` lives in <malloc.h>, which Swift's Glibc module does not import; look it
            // up by name instead. Option numbers from glibc's malloc.h.
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            guard let symbol = dlsym(nil, "mallopt") else { return }
            let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
            let trimThreshold: Int32 = -1
            let mmapThreshold: Int32 = -3
            _ = mallopt(mmapThreshold, 512 << 20)
            _ = mallopt(trimThreshold, Int32.max)
        #endif
    }
}
