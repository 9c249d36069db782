import Foundation
import TestSupport
import Testing

/// `regimen-infer --allow-first-run` as the shipped crontab line and systemd unit run it: the
/// first day (no previous file, no history) starts from cash and says so; a previous file lost
/// once history exists is still refused (66) naming it; nothing else changes.
@Suite("regimen-infer first run")
struct FirstRunTests {
    static let limits = InferCommandTests.repository.appendingPathComponent("scripts/schedule/limits.synthetic.yaml").path

    /// The scheduled command line for `asOf`, in `directory` (`latest.json`, `history/`).
    static func scheduled(_ asOf: String, in directory: URL, allowFirstRun: Bool = true) throws -> Executables.Run {
        let folder = directory.path
        return try InferCommandTests.infer(
            [
                "--as-of", asOf, "--limits", limits, "--previous", folder + "/latest.json", "--out", folder + "/latest.json",
                "--history", folder + "/history",
            ] + (allowFirstRun ? ["--allow-first-run"] : []))
    }

    @Test("day one starts from cash and says so; day two reads day one; the bytes are those without the flag")
    func firstDayThenSecond() throws {
        let directory = try Fixtures.temporaryDirectory()
        let first = try Self.scheduled("2022-02-07", in: directory)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardError.contains("first run: no previous weights"), "\(first.standardError)")
        // The same bytes as a run without --previous: a first run holds cash before deciding.
        let plain = directory.appendingPathComponent("plain.json")
        let control = try InferCommandTests.infer(["--as-of", "2022-02-07", "--limits", Self.limits, "--out", plain.path])
        #expect(control.status == 0 && !control.standardError.contains("first run"))
        let latest = directory.appendingPathComponent("latest.json")
        #expect(try Data(contentsOf: latest) == (try Data(contentsOf: plain)))
        // Day two reads day one's file: the same bytes as without --allow-first-run, no note.
        let twin = try Fixtures.temporaryDirectory()
        try FileManager.default.copyItem(at: latest, to: twin.appendingPathComponent("latest.json"))
        try FileManager.default.copyItem(
            at: directory.appendingPathComponent("history"), to: twin.appendingPathComponent("history"))
        let second = try Self.scheduled("2022-02-08", in: directory)
        #expect(second.status == 0 && !second.standardError.contains("first run"), "\(second.standardError)")
        let without = try Self.scheduled("2022-02-08", in: twin, allowFirstRun: false)
        #expect(without.status == 0, "\(without.standardError)")
        #expect(try Data(contentsOf: latest) == (try Data(contentsOf: twin.appendingPathComponent("latest.json"))))
    }

    @Test("a previous file lost once history holds an earlier day is refused (66) naming it and the day to restore")
    func lostPreviousFile() throws {
        let directory = try Fixtures.temporaryDirectory()
        #expect(try Self.scheduled("2022-02-07", in: directory).status == 0)
        let latest = directory.appendingPathComponent("latest.json")
        try FileManager.default.removeItem(at: latest)
        let lost = try Self.scheduled("2022-02-08", in: directory)
        #expect(lost.status == 66, "\(lost.standardError)")
        #expect(lost.standardError.contains("\(latest.path): file not found"), "\(lost.standardError)")
        #expect(lost.standardError.contains("not a first run") && lost.standardError.contains("2022-02-07.json"))
        #expect(!FileManager.default.fileExists(atPath: latest.path))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("history/2022-02-08.json").path))
        // A history day on or after --as-of is not an earlier day: rerunning day one is still a first run.
        let rerun = try Self.scheduled("2022-02-07", in: directory)
        #expect(rerun.status == 0 && rerun.standardError.contains("first run: no previous weights"), "\(rerun.standardError)")
    }

    @Test("without --allow-first-run a missing previous file stays 66; the flag needs --previous and --history (64)")
    func flagIsNarrow() throws {
        let directory = try Fixtures.temporaryDirectory()
        let missing = try Self.scheduled("2022-02-07", in: directory, allowFirstRun: false)
        #expect(missing.status == 66 && missing.standardError.contains("latest.json: file not found"))
        let out = directory.appendingPathComponent("w.json").path
        for (arguments, message) in [
            (["--previous", out, "--allow-first-run"], "--allow-first-run needs --history DIR"),
            (["--history", directory.path + "/h", "--allow-first-run"], "--allow-first-run needs --previous FILE"),
        ] {
            let run = try InferCommandTests.infer(["--as-of", "2022-02-07", "--out", out] + arguments)
            #expect(run.status == 64 && run.standardError.contains(message), "\(run.standardError)")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
