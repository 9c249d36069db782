import Foundation

/// Small self-contained SVG charts for the report (no scripts, no network).
enum SVGChart {
    static let palette = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
        "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
    ]

    static let width = 900.0, height = 300.0, left = 60.0, right = 150.0, top = 20.0, bottom = 30.0

    /// Indices to draw: every point up to `limit`, else evenly spaced ones (first and last
    /// kept), which keeps the page light; report.json has every point.
    static func sampled(_ count: Int, limit: Int = 450) -> [Int] {
        guard count > limit else { return Array(0..<count) }
        return (0..<limit).map { Int((Double($0) * Double(count - 1) / Double(limit - 1)).rounded()) }
    }

    /// Lines over dates; `logScale` for wealth. `id` names the chart for tests. Lines named
    /// in `strong` (the models and the reference) are drawn thick and opaque, the others thin
    /// and faint, so a chart of many allocators stays readable; the legend says which is which.
    static func lines(
        id: String, dates: [String], series: [(name: String, values: [Double?])], logScale: Bool, strong: Set<String> = [],
        markers: [Marker] = [], format: (Double) -> String
    ) -> String {
        let transform: (Double) -> Double? = { logScale ? ($0 > 0 ? Foundation.log10($0) : nil) : $0 }
        let all = series.flatMap { $0.values.compactMap { $0.flatMap(transform) } }
        guard let low = all.min(), let high = all.max(), dates.count > 1 else { return "<svg id=\"\(id)\"></svg>" }
        let span = high > low ? high - low : 1
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        func x(_ i: Int) -> Double { left + plotWidth * Double(i) / Double(dates.count - 1) }
        func y(_ v: Double) -> Double { top + plotHeight * (1 - (v - low) / span) }
        var svg = "<svg id=\"\(id)\" class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">"
        for k in 0...4 {
            let value = low + span * Double(k) / 4
            let label = logScale ? format(Foundation.pow(10, value)) : format(value)
            svg += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(y(value))\" y2=\"\(y(value))\" class=\"grid\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y(value) + 4)\" text-anchor=\"end\">\(label)</text>"
        }
        svg +=
            "<text x=\"\(left)\" y=\"\(height - 8)\">\(dates.first!)</text><text x=\"\(width - right)\" y=\"\(height - 8)\" text-anchor=\"end\">\(dates.last!)</text>"
        svg += Self.markers(markers, x: x, plotBottom: height - bottom)
        let colors = colors(series.count)
        for (k, line) in series.enumerated() {
            let color = colors[k]
            var path = ""
            var pen = false
            for i in sampled(line.values.count) {
                guard let v = line.values[i].flatMap(transform) else {
                    pen = false
                    continue
                }
                path += "\(pen ? "L" : "M")\(String(format: "%.1f", x(i))),\(String(format: "%.1f", y(v)))"
                pen = true
            }
            let emphasis =
                strong.isEmpty || strong.contains(line.name)
                ? "stroke-width=\"2.2\"" : "stroke-width=\"1\" stroke-opacity=\"0.35\""
            svg +=
                "<path d=\"\(path)\" stroke=\"\(color)\" fill=\"none\" \(emphasis)><title>\(escape(line.name))</title></path>"
        }
        svg += legend(
            series.enumerated().map { k, line in (line.name, colors[k], strong.contains(line.name)) }, height: height)
        return svg + "</svg>"
    }

    /// Stacked areas of weights over dates (cash on top as the remainder), each layer in its
    /// own colour (an asset keeps its colour across charts when the caller says so).
    static func stacked(
        id: String, dates: [String], layers: [(name: String, values: [Double], color: String)], markers: [Marker] = []
    ) -> String {
        guard dates.count > 1 else { return "<svg id=\"\(id)\"></svg>" }
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        func x(_ i: Int) -> Double { left + plotWidth * Double(i) / Double(dates.count - 1) }
        func y(_ v: Double) -> Double { top + plotHeight * (1 - min(max(v, 0), 1)) }
        var svg = "<svg id=\"\(id)\" class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">"
        var base = [Double](repeating: 0, count: dates.count)
        for layer in layers {
            let topLine = zip(base, layer.values).map { $0 + $1 }
            let points = sampled(dates.count, limit: 300)
            var path = "M\(x(0)),\(y(base[0]))"
            for i in points { path += "L\(String(format: "%.1f", x(i))),\(String(format: "%.1f", y(topLine[i])))" }
            for i in points.reversed() { path += "L\(String(format: "%.1f", x(i))),\(String(format: "%.1f", y(base[i])))" }
            svg +=
                "<path d=\"\(path)Z\" fill=\"\(layer.color)\" fill-opacity=\"0.8\" stroke=\"none\"><title>\(escape(layer.name))</title></path>"
            base = topLine
        }
        svg += Self.markers(markers, x: x, plotBottom: height - bottom)
        svg += legend(layers.map { ($0.name, $0.color, false) }, height: height)
        svg +=
            "<text x=\"\(left - 6)\" y=\"\(y(1) + 4)\" text-anchor=\"end\">100%</text><text x=\"\(left - 6)\" y=\"\(y(0) + 4)\" text-anchor=\"end\">0%</text>"
        svg +=
            "<text x=\"\(left)\" y=\"\(height - 8)\">\(dates.first!)</text><text x=\"\(width - right)\" y=\"\(height - 8)\" text-anchor=\"end\">\(dates.last!)</text>"
        return svg + "</svg>"
    }

    /// A timeline of regime labels: one band per allocator, a colored span per run of one
    /// label (a label's color is the same in every band), blank where no regime was seen.
    static func regimes(id: String, dates: [String], bands: [(name: String, labels: [String?])]) -> String {
        guard dates.count > 1, !bands.isEmpty else { return "<svg id=\"\(id)\"></svg>" }
        let band = 22.0
        let chartHeight = top + band * Double(bands.count) + bottom
        let plotWidth = width - left - right
        func x(_ i: Int) -> Double { left + plotWidth * Double(i) / Double(dates.count - 1) }
        let labels = Set(bands.flatMap { $0.labels.compactMap { $0 } }).sorted()
        var svg = "<svg id=\"\(id)\" class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(chartHeight))\" role=\"img\">"
        for (k, row) in bands.enumerated() {
            let y = top + band * Double(k)
            var start = 0
            for i in 1...row.labels.count {
                guard i == row.labels.count || row.labels[i] != row.labels[start] else { continue }
                if let label = row.labels[start], let color = labels.firstIndex(of: label).map({ palette[$0 % palette.count] }) {
                    let x0 = x(start)
                    let x1 = x(min(i, dates.count - 1))
                    svg +=
                        "<rect x=\"\(String(format: "%.1f", x0))\" y=\"\(y)\" width=\"\(String(format: "%.1f", max(x1 - x0, 0.5)))\" height=\"\(band - 4)\" fill=\"\(color)\"><title>\(escape(row.name)): \(escape(label)) \(dates[start])..\(dates[i - 1])</title></rect>"
                }
                start = i
            }
            svg += "<text x=\"\(left - 6)\" y=\"\(y + 13)\" text-anchor=\"end\">\(escape(row.name))</text>"
        }
        for (k, label) in labels.enumerated() {
            svg +=
                "<text x=\"\(width - right + 8)\" y=\"\(top + 14 * Double(k) + 4)\" style=\"fill:\(palette[k % palette.count])\">\(escape(label))</text>"
        }
        svg +=
            "<text x=\"\(left)\" y=\"\(chartHeight - 8)\">\(dates.first!)</text><text x=\"\(width - right)\" y=\"\(chartHeight - 8)\" text-anchor=\"end\">\(dates.last!)</text>"
        return svg + "</svg>"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
            of: ">", with: "&gt;")
    }
}
