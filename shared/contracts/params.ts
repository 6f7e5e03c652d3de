import { z } from 'zod';

/**
 * A whole number written in a URL (a path or query parameter): decimal digits only, no leading
 * zero. `z.coerce.number()` also read '0x1', '1e3', '+1', ' 1' and '' (as 0), so one resource
 * had many names (`/catalog/versions/0x1` read version 1) and a typo became a valid request.
 */
export function decimalIntParam({ min, max }: { min: number; max: number }) {
  return z
    .string()
    .regex(/^(?:0|[1-9]\d{0,14})$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}
