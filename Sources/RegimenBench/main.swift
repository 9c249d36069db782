import TensorModule
import Foundation
let x = Tensor<Float>(shape: [1024, 1024], scalars: (0..<(1<<20)).map { Float($0 % 7) - 3 })
var t0 = Date()
var s: Float = 0
for _ in 0..<20 { s += x.relu().scalars[5] }
print("relu 1M float x20:", Date().timeIntervalSince(t0), s)
let y = x + x
t0 = Date()
for _ in 0..<20 { s += (x * y).scalars[5] }
print("mul 1M float x20:", Date().timeIntervalSince(t0), s)
