/** The product's mark: a grid with one live point. */
export function BrandMark({ className = 'brand-mark' }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 32 32" aria-hidden="true">
      <path d="M5 5h22v22H5z" fill="none" stroke="currentColor" strokeWidth="2.4" />
      <path d="M16 5v22M5 16h22" stroke="currentColor" strokeWidth="1.6" />
      <circle cx="22" cy="10" r="3.6" fill="#ff4d4f" />
    </svg>
  );
}
