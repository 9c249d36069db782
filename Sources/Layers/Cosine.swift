import RealModule

/// `cos(x)` through swift-numerics (kept separate so schedules stay free of imports).
func cosine(_ x: Double) -> Double { Double.cos(x) }
