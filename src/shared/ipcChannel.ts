/**
 * The one IPC channel of the desktop host. Kept in a module without zod so that the sandboxed
 * preload bundle stays a single small file.
 */
export const IPC_INVOKE_CHANNEL = 'sdf:invoke'
