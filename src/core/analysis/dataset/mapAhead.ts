/**
 * Runs `work` over `items` with up to `concurrency` calls in flight and yields the results in
 * input order: file reads overlap while the consumer handles one record at a time.
 */
export async function* mapAhead<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): AsyncGenerator<R> {
  const pending: Promise<R>[] = []
  let next = 0
  const fill = (): void => {
    while (pending.length < Math.max(1, concurrency) && next < items.length) pending.push(work(items[next++]!))
  }
  fill()
  while (pending.length > 0) {
    const result = await pending.shift()!
    fill()
    yield result
  }
}
