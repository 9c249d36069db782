import Foundation

extension SVGChart {
    /// A vertical line across the plot at a date index (a walk-forward fold's first test date).
    struct Marker {
        let index: Int
        let label: String
    }

    /// `count` colours, distinct enough to tell apart side by side: the 16-colour palette
    /// while it lasts, else hues evenly spaced round the colour wheel with alternating
    /// lightness (so neighbours in a stack differ in both), as `#rrggbb`.
    static func colors(_ count: Int) -> [String] {
        guard count > palette.count else { return Array(palette.prefix(count)) }
        return (0..<count).map { k in
            hex(hue: Double(k) / Double(count), saturation: 0.7, lightness: k.isMultiple(of: 2) ? 0.42 : 0.62)
        }
    }

    /// HSL (each 0..1) as `#rrggbb`.
    static func hex(hue: Double, saturation: Double, lightness: Double) -> String {
        let chroma = (1 - Swift.abs(2 * lightness - 1)) * saturation
        let sector = hue * 6
        let second = chroma * (1 - Swift.abs(sector.truncatingRemainder(dividingBy: 2) - 1))
        let (r, g, b): (Double, Double, Double) =
            switch Int(sector) % 6 {
            case 0: (chroma, second, 0)
            case 1: (second, chroma, 0)
            case 2: (0, chroma, second)
            case 3: (0, second, chroma)
            case 4: (second, 0, chroma)
            default: (chroma, 0, second)
            }
        let offset = lightness - chroma / 2
        let byte = { (value: Double) in Int(((value + offset) * 255).rounded()) }
        return String(format: "#%02x%02x%02x", byte(r), byte(g), byte(b))
    }

    /// The legend in the right margin: one column while the names fit the plot's height,
    /// else two narrower columns with a smaller font, so 20 or more names stay readable and
    /// inside the chart.
    static func legend(_ entries: [(name: String, color: String, bold: Bool)], height chartHeight: Double) -> String {
        let available = chartHeight - top - 6
        let columns = Double(entries.count) * 14 > available ? 2 : 1
        let rows = (entries.count + columns - 1) / columns
        let step = min(14, available / Double(max(rows, 1)))
        let size = columns == 1 ? 11 : 9
        return entries.enumerated().map { k, entry in
            let x = width - right + 8 + Double(k / rows) * (right - 8) / Double(columns)
            let y = top + step * Double(k % rows) + 4
            let weight = entry.bold ? "font-weight:700;" : ""
            return
                "<text x=\"\(String(format: "%.1f", x))\" y=\"\(String(format: "%.1f", y))\" style=\"\(weight)fill:\(entry.color);font-size:\(size)px\">\(escape(entry.name))</text>"
        }.joined()
    }

    /// Dashed vertical lines at the markers' dates, each labelled at the top.
    static func markers(_ markers: [Marker], x: (Int) -> Double, plotBottom: Double) -> String {
        markers.map { marker in
            let at = String(format: "%.1f", x(marker.index))
            return
                "<line x1=\"\(at)\" x2=\"\(at)\" y1=\"\(top)\" y2=\"\(plotBottom)\" class=\"fold\" stroke=\"#666\" stroke-dasharray=\"4 3\"/><text x=\"\(at)\" y=\"\(top - 6)\" text-anchor=\"middle\">\(escape(marker.label))</text>"
        }.joined()
    }
}
