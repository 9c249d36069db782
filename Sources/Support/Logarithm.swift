#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Natural logarithm from the platform C library (kept in one place so `Support` needs no
/// numerics dependency).
@inline(__always)
func logarithm(_ x: Double) -> Double { log(x) }
