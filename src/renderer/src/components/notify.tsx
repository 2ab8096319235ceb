import { notifications } from '@mantine/notifications'
import { ApiError } from '../../../shared/index.js'

function messageOf(error: unknown): { message: string; details: string | null } {
  if (error instanceof ApiError) {
    return { message: error.message, details: error.code }
  }
  return { message: error instanceof Error ? error.message : String(error), details: null }
}

/** A toast for a failed action: what was being done, the host's user-facing message and its code. */
export function notifyError(action: string, error: unknown): void {
  const { message, details } = messageOf(error)
  notifications.show({
    color: 'red',
    title: action,
    message: details === null ? message : `${message} (${details})`,
    autoClose: 10_000,
    withCloseButton: true
  })
}

export function notifySuccess(title: string, message?: string): void {
  notifications.show({ color: 'green', title, message: message ?? '', autoClose: 4_000 })
}
