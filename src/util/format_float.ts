/**
 * A double as Iridium shows it everywhere (`prtf64`, `!registers`, machine snapshots): JavaScript's
 * shortest round-trip form (`7.5`, `10`, `NaN`, `Infinity`, `1e+21`), except that negative zero prints as
 * `-0` (String() would drop the sign).
 */
export function formatFloat(value: number): string {
  return Object.is(value, -0) ? "-0" : String(value);
}
