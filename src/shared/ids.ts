import { v7 } from 'uuid'

/** Time-ordered UUID v7, for rows whose id is needed before insert (e.g. materialised paths). */
export const newId = (): string => v7()
