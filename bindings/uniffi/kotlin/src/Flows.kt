// Kotlin Flow views of the SDK's paginators. Written by hand: uniffi generates the `Pages`
// class with its suspending `next()`, and these turn it into the idiom Kotlin code expects.

package highlevel

import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * The pages as a [Flow]: each collection asks [Pages.next] until it answers `null`.
 *
 * A `Pages` walks once, so a second collection continues where the first one stopped.
 * An error of the service ends the flow with that [HighLevelException].
 */
fun Pages.asFlow(): Flow<Page> = flow {
    while (true) {
        val page = next() ?: break
        emit(page)
    }
}

/** The items of every page, one after the other, each as JSON text. */
fun Pages.itemsFlow(): Flow<String> = flow {
    while (true) {
        val page = next() ?: break
        for (item in page.itemsJson) {
            emit(item)
        }
    }
}
