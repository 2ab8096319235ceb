import { useEffect } from 'react'
import { useStore } from 'zustand'
import type { StreamStore } from './streamStore.js'

/**
 * A pane shows only the end of its stream: laying out a whole transcript 30 times a second in every
 * pane is what made frames slow (BENCHMARKS.md, "Events"). The full text stays in the store.
 */
const VISIBLE_TAIL_CHARS = 400

/** One pane per live token stream (later: one per discussion being generated). */
export function StreamPanes({ store }: { store: StreamStore }) {
  const order = useStore(store, (state) => state.order)
  useEffect(() => store.getState().start(), [store])
  if (order.length === 0) return null
  return (
    <section aria-label="Live streams" className="streams">
      <h2>Live</h2>
      <div className="stream-grid">
        {order.map((id) => (
          <StreamPane key={id} store={store} id={id} />
        ))}
      </div>
    </section>
  )
}

function StreamPane({ store, id }: { store: StreamStore; id: string }) {
  const stream = useStore(store, (state) => state.streams[id])
  if (stream === undefined) return null
  return (
    <pre className="stream-pane" data-testid="stream-pane" data-stream={id} data-done={stream.done} data-next={stream.next}>
      {stream.text.length > VISIBLE_TAIL_CHARS ? `…${stream.text.slice(-VISIBLE_TAIL_CHARS)}` : stream.text}
      {stream.missing > 0 && <span className="notice"> [{stream.missing} tokens were no longer available]</span>}
    </pre>
  )
}
