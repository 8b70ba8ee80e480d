// Swift AsyncSequence views of the SDK's paginators. Written by hand: uniffi generates the
// `Pages` class with its `next() async throws`, and these let Swift code write
// `for try await page in pages.sequence`.

/// The pages of a paginated call, as an `AsyncSequence`. A `Pages` walks once, so a second
/// iteration continues where the first one stopped.
public struct PageSequence: AsyncSequence {
    public typealias Element = Page

    let pages: Pages

    public struct AsyncIterator: AsyncIteratorProtocol {
        let pages: Pages

        public mutating func next() async throws -> Page? {
            try await pages.next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(pages: pages)
    }
}

/// The items of every page, one after the other, each as JSON text.
public struct ItemSequence: AsyncSequence {
    public typealias Element = String

    let pages: Pages

    public struct AsyncIterator: AsyncIteratorProtocol {
        let pages: Pages
        var pending: [String] = []

        public mutating func next() async throws -> String? {
            while pending.isEmpty {
                guard let page = try await pages.next() else {
                    return nil
                }
                pending = page.itemsJson.reversed()
            }
            return pending.popLast()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(pages: pages)
    }
}

extension Pages {
    /// The pages, for `for try await page in pages.sequence`.
    public var sequence: PageSequence {
        PageSequence(pages: self)
    }

    /// The items of every page, for `for try await item in pages.items`.
    public var items: ItemSequence {
        ItemSequence(pages: self)
    }
}
