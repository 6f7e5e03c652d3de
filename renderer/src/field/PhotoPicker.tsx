import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/** At most this many photos per report (the action schema takes 20; a phone link takes fewer). */
export const MAX_PHOTOS = 6;
const TYPES = ['image/jpeg', 'image/png', 'image/webp'];

/** The camera button (rear camera on phones) and thumbnails of the photos taken, each removable. */
export function PhotoPicker({ label, photos, onChange }: { label: string; photos: File[]; onChange: (files: File[]) => void }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const urls = useMemo(() => photos.map((p) => URL.createObjectURL(p)), [photos]);
  useEffect(() => () => urls.forEach((u) => URL.revokeObjectURL(u)), [urls]);
  return (
    <fieldset className="f-photos">
      <legend>{label}</legend>
      <div className="f-photo-grid">
        {photos.map((p, i) => (
          <div key={`${p.name}-${i}`} className="f-photo" data-testid="field-photo">
            <img src={urls[i]} alt={p.name} />
            <button type="button" className="f-photo-x" aria-label={t('report.removePhoto')} onClick={() => onChange(photos.filter((_, j) => j !== i))}>
              ×
            </button>
          </div>
        ))}
        {photos.length < MAX_PHOTOS && (
          <button type="button" className="f-btn f-photo-add" onClick={() => input.current?.click()}>
            ＋ {t('report.addPhoto')}
          </button>
        )}
      </div>
      <input
        ref={input}
        type="file"
        accept="image/*"
        capture="environment"
        multiple
        hidden
        data-testid="field-photo-input"
        onChange={(e) => {
          const picked = Array.from(e.target.files ?? []).filter((f) => TYPES.includes(f.type) || f.type === '');
          e.target.value = '';
          if (picked.length) onChange([...photos, ...picked].slice(0, MAX_PHOTOS));
        }}
      />
    </fieldset>
  );
}
