import type { AppHost } from '../apiClient.js'

/** True when the host's contract has the method (older hosts may lack newer methods). */
export function hasMethod(host: AppHost, method: string): boolean {
  return Object.hasOwn(host.api, method)
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
