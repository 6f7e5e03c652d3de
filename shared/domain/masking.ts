/**
 * Masks personal data for roles that do not need it (GB/T 35273 style):
 * names keep the family name (王**), phones keep the first 3 and last 4 digits (139****0001).
 */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

export function maskPhone(phone: string): string {
  // already masked by the channel that passed it on (12345 hotline): keep it as given
  if (phone.includes('*')) return phone;
  const all = phone.replace(/\D/g, '');
  // +86 13905710001 masks like 13905710001
  const digits = all.length === 13 && all.startsWith('86') ? all.slice(2) : all;
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}
