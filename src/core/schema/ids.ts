import { z } from 'zod'

/**
 * Identifiers double as file names inside the workspace, so they are restricted to characters that
 * cannot form a path: an id can never point outside its folder.
 */
export const IdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/,
    'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit'
  )
  .refine((id) => !id.includes('..'), 'must not contain ".."')

export type Id = z.infer<typeof IdSchema>

export const IsoTimestampSchema = z.iso.datetime({ offset: true })
