import type { SeededRandom } from './seededRandom.js'

/**
 * A version-4 UUID from a seeded stream: SDF named generated files `<uuid4>.json`, and drawing the
 * 122 random bits from the run's seed keeps names reproducible while staying valid UUIDs.
 */
export function seededUuid4(random: SeededRandom): string {
  const bytes: number[] = []
  for (let word = 0; word < 4; word += 1) {
    const value = random.int(0, 0xffff_ffff)
    bytes.push((value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff)
  }
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80
  const hex = bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
