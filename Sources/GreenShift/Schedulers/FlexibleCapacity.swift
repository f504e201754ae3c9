/// The capacity curves of a site's flexible classes, added up per node, pool and period: what a
/// scheduler's reservation or quota must hold for them.
struct FlexibleCapacity {
    struct Slot: Hashable { let node: String; let pool: String; let period: Int }

    let cu: [Slot: Double]
    /// Slots with flexible work, by period, node (the plan's order) and pool.
    let slots: [Slot]

    init(_ plan: Plan, site: Site) {
        var cu: [Slot: Double] = [:], order: [Slot] = []
        for c in plan.capacityCurves where site.flexibleClasses.contains(c.classID) {
            let slot = Slot(node: c.node, pool: c.pool, period: c.period)
            if cu[slot] == nil { order.append(slot) }
            cu[slot, default: 0] += c.maxCU
        }
        self.cu = cu
        slots = order
    }
}

/// Whole resources for a fractional need, without rounding floating-point noise (a relative 1e-9
/// above an integer) up.
func wholeUnits(_ amount: Double) -> Int { Int((amount - max(1e-9, abs(amount) * 1e-9)).rounded(.up)) }
