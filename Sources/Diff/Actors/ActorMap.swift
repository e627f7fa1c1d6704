/// Which actor, if any, made each event of a log: one entry per event, so rules that look at
/// every event ask with an array read rather than a dictionary lookup.
struct ActorMap {
    /// 0 for no actor, n for `actor-n`.
    private var numbers: [Int32]

    /// No event is an actor's.
    static let none = ActorMap(numbers: [])

    private init(numbers: [Int32]) {
        self.numbers = numbers
    }

    /// The actors of `reaches` (numbered from 1 in that order) over a log of `count` events; an
    /// event in several reaches is the last one's.
    init(_ reaches: [ActorGraph.Reach], count: Int) {
        numbers = [Int32](repeating: 0, count: count)
        for (n, reach) in reaches.enumerated() {
            for row in reach.rows { numbers[row] = Int32(n + 1) }
        }
    }

    /// The actor's number of the event at `index`, 0 when it is no actor's.
    func number(_ index: Int) -> Int32 { index < numbers.count ? numbers[index] : 0 }

    /// The actor's id of the event at `index` (`actor-n`).
    subscript(index: Int) -> String? {
        let number = number(index)
        return number == 0 ? nil : Self.name(number)
    }

    /// The id of actor number `number`.
    static func name(_ number: Int32) -> String { "actor-\(number)" }
}
