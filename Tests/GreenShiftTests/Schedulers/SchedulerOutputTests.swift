import Foundation
import Testing
@testable import GreenShift

/// What each scheduler is handed, for the plan of SiteFileTests, computed by hand.
@Suite struct SchedulerOutputTests {
    typealias R = SchedulerPlans.Row
    static let plan = SiteFileTests.plan

    static func site(_ target: Site.Target, _ text: String = SiteFileTests.good) throws -> Site { try SiteFileTests.load(text, target) }
    static var horizon: Horizon { try! Horizon(plan, file: "plan.json") }

    /// Batch only: east general 200 CU in period 1 (cores 0.5/CU), west general 300 CU (100 CU per node),
    /// west gpu 50 CU in period 2 (8 CU per license, rounded up). Web work is not flexible here.
    @Test func oneReservationPerNodePoolAndPeriodWithFlexibleWork() throws {
        let slurm = SlurmSchedule(plan: Self.plan, site: try Self.site(.slurm), horizon: Self.horizon)
        let reservations = try slurm.reservations()
        #expect(reservations.map { "\($0.name) \($0.resources)" } == [
            "greenshift-east-general-20261126T1700Z CoreCnt=100",
            "greenshift-west-general-20261126T1700Z Nodes=w1,w2,w3",
            "greenshift-west-gpu-20261126T1800Z Licenses=gpu:7 Flags=ANY_NODES",
        ])
        let script = slurm.reservationScript(reservations)
        // 2026-11-27T01:00+08:00 is 1795712400 s after the epoch; the period lasts 60 minutes.
        #expect(script.contains("\nreserve greenshift-east-general-20261126T1700Z 1795712400 1795716000 60 CoreCnt=100 Users=root\n"))
        #expect(script.hasPrefix("#!/bin/sh\n") && script.hasSuffix("exit $status\n"))
        let wrapper = slurm.sbatchWrapper(reservations)
        #expect(wrapper.contains("\nwest batch 1795716000 2026-11-26T17:00:00 greenshift-west-general-20261126T1700Z\nwest batch 1795719600 2026-11-26T18:00:00 greenshift-west-gpu-20261126T1800Z\n"))
        #expect(!wrapper.contains("web"))
    }

    @Test func aPlanWithNoFlexibleWorkGivesNoReservations() throws {
        let site = try Self.site(.slurm, SiteFileTests.good.replacingOccurrences(of: "[\"batch\"]", with: "[\"analytics\"]"))
        let slurm = SlurmSchedule(plan: Self.plan, site: site, horizon: Self.horizon)
        #expect(try slurm.reservations().isEmpty)
        let script = try slurm.files()[0].contents
        #expect(script.contains("# The plan has no flexible work: nothing to reserve.\n") && !script.contains("\nreserve "))
    }

    /// West in period 2: no work in pool general, 50 CU in gpu: 25 cores and 6.25 GPUs. Every flavor
    /// lists every covered resource, in order.
    @Test func kueuePatchSetsEveryFlavorsQuota() throws {
        let kueue = KueueSchedule(plan: Self.plan, site: try Self.site(.kueue), horizon: Self.horizon)
        #expect(kueue.patch(node: "west", period: 2).yaml() == """
            spec:
              resourceGroups:
              - coveredResources:
                - "cpu"
                - "nvidia.com/gpu"
                flavors:
                - name: "cpu"
                  resources:
                  - name: "cpu"
                    nominalQuota: 0
                  - name: "nvidia.com/gpu"
                    nominalQuota: 0
                - name: "a100"
                  resources:
                  - name: "cpu"
                    nominalQuota: 25
                  - name: "nvidia.com/gpu"
                    nominalQuota: "6250m"

            """)
        #expect(kueue.cronSchedule() == "0 16,17,18 * * *")
        let files = try kueue.files().map(\.name)
        #expect(files == ["east-20261126T1600Z.yaml", "east-20261126T1700Z.yaml", "east-20261126T1800Z.yaml", "east-cronjob.yaml",
                          "west-20261126T1600Z.yaml", "west-20261126T1700Z.yaml", "west-20261126T1800Z.yaml", "west-cronjob.yaml"])
    }

    /// Half-hour periods from a quarter past: the CronJob fires at 15 and 45 past the hours they start in.
    @Test func cronFiresAtEveryPeriodStart() throws {
        let plan = try SchedulerPlans.plan(start: "2026-11-27T00:15:00+08:00", periodMinutes: 30, periods: 4, [])
        let kueue = KueueSchedule(plan: plan, site: try Self.site(.kueue), horizon: try Horizon(plan, file: "plan.json"))
        #expect(kueue.cronSchedule() == "15,45 16,17 * * *")
    }

    @Test func quantitiesRoundUpToThousandthsOrWholeUnits() {
        #expect(KueueSchedule.quantity(25).yaml() == "25\n")
        #expect(KueueSchedule.quantity(6.25).yaml() == "\"6250m\"\n")
        #expect(KueueSchedule.quantity(0.0001).yaml() == "\"1m\"\n")
        #expect(KueueSchedule.quantity(11761.2).yaml() == "11762\n")
        // Floating-point noise above a whole number is not rounded up.
        #expect(KueueSchedule.quantity(0.1 * 3 * 10).yaml() == "3\n")
    }

    /// Batch from east in period 1: 200 CU*h at east, 300 at west.
    @Test func karmadaWeightsFollowTheRouting() throws {
        let karmada = KarmadaSchedule(plan: Self.plan, site: try Self.site(.karmada), horizon: Self.horizon)
        let policies = try karmada.policies(period: 1)
        #expect(policies.count == 1)
        let yaml = policies[0].yaml()
        #expect(yaml.contains("metadata:\n  name: \"greenshift-batch-east\"\n  namespace: \"default\"\n"))
        #expect(yaml.contains("""
                    staticWeightList:
                    - targetCluster:
                        clusterNames:
                        - "east"
                      weight: 400
                    - targetCluster:
                        clusterNames:
                        - "west"
                      weight: 600
            """))
        #expect(try karmada.files().map(\.name) == ["propagation-20261126T1700Z.yaml", "propagation-20261126T1800Z.yaml"])
    }

    @Test func integerWeightsSumToTheTotalByLargestRemainder() {
        #expect(KarmadaSchedule.integerWeights([0.25, 0.75]) == [250, 750])
        #expect(KarmadaSchedule.integerWeights([1, 1, 1]) == [334, 333, 333])
        #expect(KarmadaSchedule.integerWeights([0.0004, 0.9996]) == [0, 1000])
    }

    @Test func karmadaRefusesNamesKubernetesWouldNot() throws {
        let plan = try SchedulerPlans.plan(nodes: ["east", "west"], [R(1, "Batch_Jobs", nil, "east", "west", 10)])
        let site = try Site.load(from: try Self.sitePath(SiteFileTests.good.replacingOccurrences(of: "[\"batch\"]", with: "[\"Batch_Jobs\"]")),
                                 for: .karmada, plan: plan)
        do {
            _ = try KarmadaSchedule(plan: plan, site: site, horizon: try Horizon(plan, file: "plan.json")).files()
            Issue.record("no error")
        } catch {
            #expect(error.diagnostics[0].message.hasPrefix("class 'Batch_Jobs' and node 'east' make no Kubernetes name"))
        }
    }

    static func sitePath(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("site-\(UUID().uuidString).toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func yamlQuotesStringsAndKeysThatCouldReadAsOtherTypes() {
        let value = JSON.object([("a", .array([.string("yes"), .number(1.5)])), ("20261126T1600Z", .string("x\ny\n")),
                                 ("empty", .array([])), ("m", .array([.object([("k", .string("v")), ("n", .null)])]))])
        #expect(value.yaml() == """
            a:
            - "yes"
            - 1.5
            "20261126T1600Z": |
              x
              y
            empty: []
            m:
            - k: "v"
              n: null

            """)
    }
}

@Suite struct PeriodViewTests {
    typealias R = SchedulerPlans.Row
    static let plan = SiteFileTests.plan

    static func period(at time: String) throws(InputError) -> Int {
        try PeriodView(plan: plan, file: "plan.json", at: try! Timestamp(parsing: time)).period
    }

    /// Periods are half-open: a boundary belongs to the period it starts, in any offset.
    @Test func aTimeOnABoundaryBelongsToThePeriodItStarts() throws {
        #expect(try Self.period(at: "2026-11-27T00:00:00+08:00") == 0)
        #expect(try Self.period(at: "2026-11-27T00:59:59+08:00") == 0)
        #expect(try Self.period(at: "2026-11-27T01:00:00+08:00") == 1)
        #expect(try Self.period(at: "2026-11-26T18:00:00Z") == 2)
    }

    @Test(arguments: ["2026-11-27T03:00:00+08:00", "2026-11-26T15:59:59Z"])
    func aTimeOutsideTheHorizonNamesIt(_ time: String) {
        do {
            _ = try Self.period(at: time)
            Issue.record("no error for \(time)")
        } catch {
            #expect(error.diagnostics.map(\.description) == [
                "plan.json: \(try! Timestamp(parsing: time)) is outside the plan's horizon, 2026-11-27T00:00:00+08:00 to 2026-11-27T03:00:00+08:00 (3 periods of 60 min)",
            ])
        }
    }

    @Test func everyNodeIsListedWithWhatItRuns() throws {
        let view = try PeriodView(plan: Self.plan, file: "plan.json", at: try Timestamp(parsing: "2026-11-27T02:30:00+08:00"))
        #expect(view.table() == """
            period 2 of hand: 2026-11-27T02:00:00+08:00 to 2026-11-27T03:00:00+08:00
            node  pool  class  max_cu
            east  -     -           0
            west  gpu   batch      50

            """)
        #expect(view.json().rendered() == """
            {
              "period": 2,
              "start": "2026-11-27T02:00:00+08:00",
              "end": "2026-11-27T03:00:00+08:00",
              "nodes": [
                {
                  "id": "east",
                  "run": []
                },
                {
                  "id": "west",
                  "run": [
                    {"pool": "gpu", "class": "batch", "max_cu": 50}
                  ]
                }
              ]
            }

            """)
    }
}
